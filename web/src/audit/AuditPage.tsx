import { Anchor, Badge, Button, Code, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ListPanel } from '../common/ListPanel.js';
import { formatDateTime } from '../common/format.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { RequireRole } from '../session/RequireRole.js';
import { PageHeader } from '../shell/PageHeader.js';
import { Panel } from '../shell/Panel.js';
import { AUDIT_OUTCOMES, auditQuery, EMPTY_AUDIT_FORM, type AuditEntry, type AuditForm, type AuditQuery } from './filters.js';
import { useAuditLog } from './queries.js';
import { auditSentence } from './sentence.js';

const OUTCOME_COLOR: Record<string, string> = { success: 'teal', denied: 'orange', rejected: 'yellow', error: 'red' };

/** The JSON details, folded: the sentence says what happened; these are for whoever needs the facts. */
function Details({ details }: { details: unknown }) {
  if (details === null || details === undefined || (typeof details === 'object' && Object.keys(details).length === 0)) return <Text size="xs" c="dimmed">—</Text>;
  return (
    <details>
      <summary style={{ cursor: 'pointer', fontSize: 'var(--mantine-font-size-xs)' }}>Details</summary>
      <Code block mt={4} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxWidth: '28rem', fontSize: 'var(--mantine-font-size-xs)' }}>
        {JSON.stringify(details, null, 2)}
      </Code>
    </details>
  );
}

type FilterField = 'actor' | 'action' | 'target';

/** "alice acknowledged incident Disk full": the actor and the target are buttons that filter the log by them. */
function Sentence({ entry, onFilter }: { entry: AuditEntry; onFilter: (field: FilterField, value: string) => void }) {
  const sentence = auditSentence(entry);
  return (
    <Text size="sm" style={{ overflowWrap: 'anywhere' }} data-testid="audit-sentence">
      <Anchor component="button" type="button" size="sm" fw={600} underline="always" onClick={() => onFilter('actor', entry.actor)} aria-label={`Only entries by ${entry.actor}`}>
        {entry.actor}
      </Anchor>{' '}
      {sentence.verb}
      {sentence.thing && ` ${sentence.thing}`}
      {sentence.target !== null && entry.target !== null && (
        <>
          {' '}
          <Anchor component="button" type="button" size="sm" fw={600} underline="always" title={entry.target} onClick={() => onFilter('target', entry.target!)} aria-label={`Only entries about ${sentence.target}`}>
            {sentence.target}
          </Anchor>
        </>
      )}
      {sentence.outcome && (
        <Text span size="sm" c="var(--mantine-color-error)" fw={600}>
          {` — ${sentence.outcome}`}
        </Text>
      )}
    </Text>
  );
}

function EntryRow({ entry, onFilter }: { entry: AuditEntry; onFilter: (field: FilterField, value: string) => void }) {
  return (
    <Table.Tr data-testid="audit-entry" data-audit-id={entry.id} data-action={entry.action} data-outcome={entry.outcome}>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.at)}</Table.Td>
      <Table.Td>
        <Sentence entry={entry} onFilter={onFilter} />
        <Anchor component="button" type="button" size="xs" ff="monospace" c="dimmed" underline="always" onClick={() => onFilter('action', entry.action)} aria-label={`Only ${entry.action} entries`}>
          {entry.action}
        </Anchor>
        {entry.ip && (
          <Text span size="xs" c="dimmed">
            {' '}
            · from {entry.ip}
          </Text>
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
  const [form, setForm] = useState<AuditForm>(EMPTY_AUDIT_FORM);
  const [applied, setApplied] = useState<AuditQuery>({});
  const log = useAuditLog(applied);

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
      <ListPanel title="Entries" testId="audit-log" query={log} count={items.length} noun="the audit log"
        note={`Newest first. New entries appear at the top as they are recorded${filtered ? ' (when they match the filters)' : ''}.`}
        emptyText={`No entry${filtered ? ' matches these filters' : ''}.`} skeletonHeight={120}>
        {items.length > 0 && (
          <ScrollTable label="Audit log entries" minWidth={860} columns={['When', 'What happened', 'Outcome', 'Details']}>
            {items.map((entry) => (
              <EntryRow key={entry.id} entry={entry} onFilter={(field, value) => apply({ ...form, [field]: value })} />
            ))}
          </ScrollTable>
        )}
      </ListPanel>
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
