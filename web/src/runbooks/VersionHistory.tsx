import { Anchor, Badge, Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { formatDateTime } from '../common/format.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';
import type { RunbookDetail } from './model.js';
import { useRunbook, useVersionPages } from './queries.js';
import { lineChanges, procedureChanges } from './version-diff.js';


/** What changed from the version before: lines added and removed, procedures added, removed and changed. */
function DiffSummary({ detail, previous }: { detail: RunbookDetail; previous: number }) {
  const before = useRunbook(detail.runbook.slug, previous);
  const diff = useMemo(() => {
    if (!before.data) return null;
    return { lines: lineChanges(before.data.source, detail.source), procedures: procedureChanges(before.data.parsed, detail.parsed) };
  }, [before.data, detail]);
  if (before.isError) return <ErrorNotice error={before.error} title={`Could not load version ${previous}`} />;
  if (!diff) return <Skeleton height={40} role="status" aria-label={`Loading version ${previous}`} />;
  const { added, removed, changed } = diff.procedures;
  return (
    <Stack gap={4} data-testid="runbook-diff">
      <Text size="sm">
        Against version {previous}: {diff.lines.added} line{diff.lines.added === 1 ? '' : 's'} added, {diff.lines.removed} removed.
      </Text>
      {added.length + removed.length + changed.length === 0 ? (
        <Text size="sm" c="dimmed">
          No procedure changed what it runs.
        </Text>
      ) : (
        <Stack component="ul" gap={2} style={{ margin: 0, paddingLeft: '1.25rem' }}>
          {added.length > 0 && <Text component="li" size="sm">Procedures added: {added.join(', ')}</Text>}
          {removed.length > 0 && <Text component="li" size="sm">Procedures removed: {removed.join(', ')}</Text>}
          {changed.length > 0 && <Text component="li" size="sm">Procedures changed: {changed.join(', ')}</Text>}
        </Stack>
      )}
    </Stack>
  );
}

/** Every imported version, newest first; any of them can be read, and the one shown compared with the one before. */
export function VersionHistory({ detail }: { detail: RunbookDetail }) {
  const slug = detail.runbook.slug;
  const shown = detail.version.version;
  const [comparing, setComparing] = useState(false);
  const versions = useVersionPages(slug);
  const items = versions.data?.pages.flatMap((page) => page.items) ?? [];
  const latest = detail.runbook.latestVersion;

  return (
    <Panel title="Version history" count={versions.isSuccess ? items.length : undefined} testId="runbook-versions">
      {versions.isPending && <Skeleton height={60} role="status" aria-label="Loading versions" />}
      {versions.isError && <ErrorNotice error={versions.error} title="Could not load the versions" onRetry={() => void versions.refetch()} />}
      {items.length > 0 && (
        <Stack gap="sm">
          <Stack component="ol" gap={6} style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Versions">
            {items.map((version) => {
              const current = version.version === shown;
              return (
                <li key={version.version} data-testid="runbook-version" data-version={version.version} aria-current={current ? 'true' : undefined}>
                  <Group gap={6} wrap="wrap">
                    {current ? (
                      <Text fw={700} size="sm">
                        v{version.version} (shown)
                      </Text>
                    ) : (
                      <Anchor component={Link} to={{ search: version.version === latest ? '' : `?version=${version.version}` }} size="sm" underline="always">
                        v{version.version}
                      </Anchor>
                    )}
                    {version.version === latest && (
                      <Badge size="xs" variant="light" color="teal">
                        latest
                      </Badge>
                    )}
                    <Text size="xs" c="dimmed">
                      {version.importedBy} · {formatDateTime(version.importedAt)}
                    </Text>
                  </Group>
                </li>
              );
            })}
          </Stack>
          {versions.hasNextPage && (
            <Button variant="default" size="xs" onClick={() => void versions.fetchNextPage()} loading={versions.isFetchingNextPage} style={{ alignSelf: 'flex-start' }}>
              Load older versions
            </Button>
          )}
          {shown > 1 &&
            (comparing ? (
              <DiffSummary detail={detail} previous={shown - 1} />
            ) : (
              <Button variant="light" size="xs" onClick={() => setComparing(true)} style={{ alignSelf: 'flex-start' }}>
                Compare v{shown} with v{shown - 1}
              </Button>
            ))}
        </Stack>
      )}
    </Panel>
  );
}
