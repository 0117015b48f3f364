import { Button, Skeleton, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';

/**
 * The one way the console shows a list in a panel: its count, add button,
 * loading, error and empty states, and "Load more" for paged lists. The
 * rest of the CRUD scaffold (edit modal, form, row actions) is crud.tsx.
 */

/** What ListPanel reads of a list query (plain or infinite). */
interface ListQuery {
  isPending: boolean;
  isError: boolean;
  isSuccess: boolean;
  error: unknown;
  refetch: () => unknown;
  hasNextPage?: boolean;
  fetchNextPage?: () => unknown;
  isFetchingNextPage?: boolean;
}

export function ListPanel({
  title,
  testId,
  query,
  count,
  noun,
  addLabel,
  onAdd,
  headerActions,
  note,
  controls,
  emptyText,
  skeletonHeight = 60,
  children,
}: {
  title: string;
  testId: string;
  query: ListQuery;
  /** Items loaded so far; also decides between the empty text and the list. */
  count: number;
  /** Plural, for "Loading …" and "Could not load …". */
  noun: string;
  addLabel?: string;
  /** Left out (or null) when the caller may not add: no button. */
  onAdd?: (() => void) | null;
  /** Header actions in place of the add button. */
  headerActions?: ReactNode;
  /** A line above the list: what it is for, or which role changes it. */
  note?: ReactNode;
  /** Filters and switches, first in the panel. */
  controls?: ReactNode;
  emptyText: string;
  skeletonHeight?: number;
  /** The list itself, then the panel's modals. */
  children: ReactNode;
}) {
  const actions =
    headerActions ??
    (onAdd ? (
      <Button size="xs" onClick={onAdd}>
        {addLabel}
      </Button>
    ) : undefined);
  return (
    <Panel title={title} count={query.isSuccess ? count : undefined} testId={testId} actions={actions}>
      <Stack gap="sm">
        {controls}
        {note && (
          <Text size="xs" c="dimmed">
            {note}
          </Text>
        )}
        {query.isPending && <Skeleton height={skeletonHeight} role="status" aria-label={`Loading ${noun}`} />}
        {query.isError && <ErrorNotice error={query.error} title={`Could not load ${noun}`} onRetry={() => void query.refetch()} />}
        {query.isSuccess && count === 0 && <Text size="sm">{emptyText}</Text>}
        {children}
        {query.hasNextPage && query.fetchNextPage && <LoadMore query={query as Required<Pick<ListQuery, 'fetchNextPage' | 'isFetchingNextPage'>>} />}
      </Stack>
    </Panel>
  );
}

/** The next page of a cursor-paged list. */
function LoadMore({ query }: { query: { fetchNextPage: () => unknown; isFetchingNextPage: boolean } }) {
  return (
    <Button variant="default" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} style={{ alignSelf: 'flex-start' }}>
      Load more
    </Button>
  );
}
