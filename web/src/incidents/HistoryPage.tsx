import { Anchor, Badge, Button, Checkbox, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { IncidentListItem, SlaOutcome } from '../api/types.js';
import { formatDateTime, formatDuration } from '../common/format.js';
import { ListPanel } from '../common/ListPanel.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { PageHeader } from '../shell/PageHeader.js';
import { Panel } from '../shell/Panel.js';
import { ALL_STATES, EMPTY_HISTORY_FORM, formFromSearch, HISTORY_SORTS, historyQuery, searchFromForm, type HistoryForm, type HistorySort } from './history-filters.js';
import { STATE_COLOR } from './lifecycle.js';
import { displayName, useDirectory } from './people.js';
import { useIncidentHistory } from './queries.js';
import { SEVERITIES, SEVERITY_COLOR } from './severity.js';
import { outcomeText, type SlaKind } from './sla.js';

/** One clock's outcome in a cell: met or missed and by how much; "running" while open. */
function OutcomeCell({ kind, outcome }: { kind: SlaKind; outcome: SlaOutcome }) {
  const text = outcomeText(kind, outcome);
  if (!text) return <Text size="xs">running</Text>;
  const met = outcome.result === 'met';
  return (
    <Text size="xs" fw={met ? 400 : 700} c={met ? 'var(--mantine-color-teal-light-color)' : 'var(--mantine-color-error)'} data-result={outcome.result}>
      {text}
    </Text>
  );
}

function PostmortemCell({ incident }: { incident: IncidentListItem }) {
  const { postmortem } = incident;
  const label = postmortem.status === 'edited' ? `Version ${postmortem.version}` : 'Draft';
  return (
    <Stack gap={0}>
      <Anchor component={Link} to={`/incidents/${incident.id}?tab=postmortem`} size="sm" underline="always" aria-label={`Post-mortem of ${incident.title}: ${label}`}>
        {label}
      </Anchor>
      {postmortem.editedBy && (
        <Text size="xs" c="dimmed">
          by {postmortem.editedBy}
        </Text>
      )}
    </Stack>
  );
}

function HistoryRow({ incident }: { incident: IncidentListItem }) {
  return (
    <Table.Tr data-testid="history-row" data-incident-id={incident.id} data-state={incident.state} data-severity={incident.severity}>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>
        <Anchor component={Link} to={`/incidents/${incident.id}`} size="sm" fw={600}>
          {incident.title}
        </Anchor>
        {incident.service && (
          <Text size="xs" c="dimmed">
            {incident.service}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge color={SEVERITY_COLOR[incident.severity]} variant="light" size="sm">
          {incident.severity}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Badge color={STATE_COLOR[incident.state]} variant="light" size="sm">
          {incident.state}
        </Badge>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{formatDateTime(incident.triggeredAt)}</Text>
      </Table.Td>
      <Table.Td>
        <OutcomeCell kind="acknowledge" outcome={incident.sla.response} />
      </Table.Td>
      <Table.Td>
        <OutcomeCell kind="resolve" outcome={incident.sla.resolution} />
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{incident.durationMs === null ? '—' : formatDuration(incident.durationMs)}</Text>
      </Table.Td>
      <Table.Td>
        <PostmortemCell incident={incident} />
      </Table.Td>
    </Table.Tr>
  );
}

function Filters({ initial, onApply }: { initial: HistoryForm; onApply: (form: HistoryForm) => void }) {
  const [form, setForm] = useState<HistoryForm>(initial);
  const { people } = useDirectory();
  const set = <K extends keyof HistoryForm>(field: K, value: HistoryForm[K]) => setForm((current) => ({ ...current, [field]: value }));
  const assignees = [
    { value: '', label: 'Anyone' },
    { value: 'unassigned', label: 'Nobody (unassigned)' },
    ...people.map((user) => ({ value: user.id, label: displayName(user) })),
  ];
  if (form.assignee && !assignees.some((option) => option.value === form.assignee)) assignees.push({ value: form.assignee, label: `another user (${form.assignee.slice(0, 8)})` });
  return (
    <Panel title="Filters" testId="history-filters">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onApply(form);
        }}
      >
        <Stack gap="sm">
          <TextInput label="Search" description="Words in the title, or in an alert's labels or summary" value={form.q} onChange={(e) => set('q', e.currentTarget.value)} maxLength={200} />
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            <Checkbox.Group label="State" description="Any of these; none ticked: all" value={form.states} onChange={(value) => set('states', ALL_STATES.filter((state) => value.includes(state)))}>
              <Group gap="sm" mt={6}>
                {ALL_STATES.map((state) => (
                  <Checkbox key={state} value={state} label={state} />
                ))}
              </Group>
            </Checkbox.Group>
            <Checkbox.Group label="Severity" description="Any of these; none ticked: all" value={form.severities} onChange={(value) => set('severities', SEVERITIES.filter((severity) => value.includes(severity)))}>
              <Group gap="sm" mt={6}>
                {SEVERITIES.map((severity) => (
                  <Checkbox key={severity} value={severity} label={severity} />
                ))}
              </Group>
            </Checkbox.Group>
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="sm">
            <TextInput label="Service" description="Exactly" value={form.service} onChange={(e) => set('service', e.currentTarget.value)} />
            <NativeSelect label="Assignee" description="Who has it" data={assignees} value={form.assignee} onChange={(e) => set('assignee', e.currentTarget.value)} />
            <TextInput type="datetime-local" label="Triggered from" description="Your local time" value={form.from} onChange={(e) => set('from', e.currentTarget.value)} />
            <TextInput type="datetime-local" label="Triggered before" description="Your local time" value={form.to} onChange={(e) => set('to', e.currentTarget.value)} />
            <NativeSelect
              label="Order"
              description="Ties: newest first"
              data={Object.entries(HISTORY_SORTS).map(([value, { label }]) => ({ value, label }))}
              value={form.sort}
              onChange={(e) => set('sort', e.currentTarget.value as HistorySort)}
            />
          </SimpleGrid>
          <Group gap="sm">
            <Button type="submit">Apply</Button>
            <Button
              variant="default"
              onClick={() => {
                setForm(EMPTY_HISTORY_FORM);
                onApply(EMPTY_HISTORY_FORM);
              }}
            >
              Clear
            </Button>
          </Group>
        </Stack>
      </form>
    </Panel>
  );
}

/**
 * `/incidents`: every incident, open or long resolved, filtered and sorted,
 * with how each SLA clock ended and where its post-mortem stands. The filters
 * live in the URL, so a filtered history can be shared as a link.
 */
export function HistoryPage() {
  const [search, setSearch] = useSearchParams();
  const applied = formFromSearch(search);
  const history = useIncidentHistory(historyQuery(applied));
  const items = history.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = search.toString() !== '';
  return (
    <>
      <PageHeader title="Incidents" description="The history: every incident, its SLA outcome and its post-mortem" />
      <Stack gap="md">
        {/* Keyed by the URL: back and forward fill the form with what they show. */}
        <Filters key={search.toString()} initial={applied} onApply={(form) => setSearch(searchFromForm(form))} />
        <ListPanel
          title="Incidents"
          testId="incident-history"
          query={history}
          count={items.length}
          noun="the incidents"
          note={`${HISTORY_SORTS[applied.sort].label}. Acknowledge and resolve: how each SLA clock ended.`}
          emptyText={filtered ? 'No incident matches these filters.' : 'No incident yet.'}
          skeletonHeight={160}
        >
          {items.length > 0 && (
            <ScrollTable label="Incidents" minWidth={1040} columns={['Incident', 'Severity', 'State', 'Triggered', 'Acknowledge', 'Resolve', 'Duration', 'Post-mortem']}>
              {items.map((incident) => (
                <HistoryRow key={incident.id} incident={incident} />
              ))}
            </ScrollTable>
          )}
        </ListPanel>
      </Stack>
    </>
  );
}
