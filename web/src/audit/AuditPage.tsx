import { Anchor, Badge, Button, Code, Group, NativeSelect, SimpleGrid, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import { formatDateTime } from '../common/format.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { useLiveEvents } from '../live/LiveProvider.js';
import { RequireRole } from '../session/RequireRole.js';
import { useApi } from '../session/SessionProvider.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { PageHeader } from '../shell/PageHeader.js';
import { Panel } from '../shell/Panel.js';
import { AUDIT_OUTCOMES, auditQuery, EMPTY_AUDIT_FORM, matchesAuditQuery, prependEntry, type AuditEntry, type AuditForm, type AuditQuery } from './filters.js';

const PAGE = 50;
type Page = { items: AuditEntry[]; next: string | null };
const OUTCOME_COLOR: Record<string, string> = { success: 'teal', denied: 'orange', rejected: 'yellow', error: 'red' };

function Details({ details }: { details: unknown }) {
  if (details === null || details === undefined) return <Text size="xs" c="dimmed">—</Text>;
  const text = JSON.stringify(details);
  return (
    <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxWidth: '28rem', fontSize: 'var(--mantine-font-size-xs)' }}>
      {text.length > 600 ? `${text.slice(0, 600)}…` : text}
    </Code>
  );
}

function EntryRow({ entry, onFilter }: { entry: AuditEntry; onFilter: (field: 'actor' | 'action' | 'target', value: string) => void }) {
  return (
    <Table.Tr data-testid="audit-entry" data-audit-id={entry.id} data-action={entry.action} data-outcome={entry.outcome}>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.at)}</Table.Td>
      <Table.Td>
        <Anchor component="button" type="button" size="sm" underline="always" onClick={() => onFilter('actor', entry.actor)} aria-label={`Only entries by ${entry.actor}`}>
          {entry.actor}
        </Anchor>
        {entry.ip && (
          <Text size="xs" c="dimmed">
            {entry.ip}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Anchor component="button" type="button" size="sm" ff="monospace" underline="always" onClick={() => onFilter('action', entry.action)} aria-label={`Only ${entry.action} entries`}>
          {entry.action}
        </Anchor>
      </Table.Td>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>
        {entry.target ? (
          <Anchor component="button" type="button" size="xs" ff="monospace" underline="always" onClick={() => onFilter('target', entry.target!)} aria-label={`Only entries about ${entry.target}`}>
            {entry.target}
          </Anchor>
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={OUTCOME_COLOR[entry.outcome] ?? 'gray'} size="sm">
          {entry.outcome}
        </Badge>
        {entry.statusCode !== null && (
          <Text size="xs" c="dimmed">
            HTTP {entry.statusCode}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Details details={entry.details} />
      </Table.Td>
    </Table.Tr>
  );
}

function AuditLog() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<AuditForm>(EMPTY_AUDIT_FORM);
  const [applied, setApplied] = useState<AuditQuery>({});
  const key = queryKeys.audit.list({ ...applied, limit: PAGE });
  const log = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/audit', { params: { query: { ...applied, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
  });

  // The log only grows at the top: new entries are put there as they are recorded rather than refetching every page.
  useLiveEvents(['audit.recorded'], (event) => {
    const entry = event.data as AuditEntry;
    if (!entry || typeof entry.id !== 'number' || !matchesAuditQuery(entry, applied)) return;
    queryClient.setQueryData<InfiniteData<Page, string>>(key, (data) => (data ? { ...data, pages: prependEntry(data.pages, entry) } : data));
  });

  const apply = (next: AuditForm) => {
    setForm(next);
    setApplied(auditQuery(next));
  };
  const set = (field: keyof AuditForm, value: string) => setForm((current) => ({ ...current, [field]: value }));
  const items = log.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.keys(applied).length > 0;

  return (
    <Stack gap="md">
      <Panel title="Filters" testId="audit-filters">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            apply(form);
          }}
        >
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
              <TextInput label="Actor" description="Username, exactly" value={form.actor} onChange={(e) => set('actor', e.currentTarget.value)} />
              <TextInput label="Action" description={'Exact, or a prefix ending in "." (user.)'} value={form.action} onChange={(e) => set('action', e.currentTarget.value)} />
              <TextInput label="Target" description="An id, exactly" value={form.target} onChange={(e) => set('target', e.currentTarget.value)} />
              <NativeSelect
                label="Outcome"
                description="Denied: no right; rejected: bad request"
                data={[{ value: '', label: 'Any' }, ...AUDIT_OUTCOMES]}
                value={form.outcome}
                onChange={(e) => set('outcome', e.currentTarget.value)}
              />
              <TextInput type="datetime-local" label="From" description="Your local time" value={form.since} onChange={(e) => set('since', e.currentTarget.value)} />
              <TextInput type="datetime-local" label="Until" description="Your local time" value={form.until} onChange={(e) => set('until', e.currentTarget.value)} />
            </SimpleGrid>
            <Group gap="sm">
              <Button type="submit">Apply</Button>
              <Button variant="default" onClick={() => apply(EMPTY_AUDIT_FORM)} disabled={!filtered && form === EMPTY_AUDIT_FORM}>
                Clear
              </Button>
            </Group>
          </Stack>
        </form>
      </Panel>
      <Panel title="Entries" count={log.isSuccess ? items.length : undefined} testId="audit-log">
        <Stack gap="sm">
          <Text size="xs" c="dimmed">
            Newest first. New entries appear at the top as they are recorded{filtered ? ' (when they match the filters)' : ''}.
          </Text>
          {log.isPending && <Skeleton height={120} aria-label="Loading the audit log" />}
          {log.isError && <ErrorNotice error={log.error} title="Could not load the audit log" onRetry={() => void log.refetch()} />}
          {log.isSuccess && items.length === 0 && <Text size="sm">No entry{filtered ? ' matches these filters' : ''}.</Text>}
          {items.length > 0 && (
            <ScrollTable label="Audit log entries" minWidth={980}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Target</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                  <Table.Th>Details</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((entry) => (
                  <EntryRow key={entry.id} entry={entry} onFilter={(field, value) => apply({ ...form, [field]: value })} />
                ))}
              </Table.Tbody>
            </ScrollTable>
          )}
          {log.hasNextPage && (
            <Button variant="default" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage} style={{ alignSelf: 'flex-start' }}>
              Load more
            </Button>
          )}
        </Stack>
      </Panel>
    </Stack>
  );
}

/** `/audit` (admin): who did what, when, and with what outcome. */
export function AuditPage() {
  return (
    <RequireRole role="admin">
      <PageHeader title="Audit log" description="Every change and every refused request, newest first" />
      <AuditLog />
    </RequireRole>
  );
}
