import './incident.css';
import { Badge, Button, Chip, Code, Group, Skeleton, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { TimelineEvent } from '../api/types.js';
import { formatDateTime } from '../common/format.js';
import { hasRole } from '../session/roles.js';
import { useCurrentUser } from '../session/queries.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';
import { inline } from './Markdown.js';
import { useDirectory } from './people.js';
import { useAddNote, useTimeline } from './queries.js';
import { kindStyle, stepResultColor, TIMELINE_GROUPS, type TimelineGroup } from './timeline-kinds.js';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const ALL_GROUPS = Object.keys(TIMELINE_GROUPS) as TimelineGroup[];

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The extra a command's event carries: the command, its exit code, and the end of its output. */
function StepDetails({ data }: { data: Record<string, unknown> }) {
  const command = text(data.command);
  const excerpt = text(data.outputExcerpt);
  const exitCode = typeof data.exitCode === 'number' ? data.exitCode : null;
  return (
    <Stack gap={4} mt={4}>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        {command && (
          <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', minWidth: 0 }}>{command}</Code>
        )}
        {exitCode !== null && (
          <Badge size="sm" variant="light" color={stepResultColor(data.state)} style={{ flex: 'none' }} data-testid="timeline-exit-code">
            exit {exitCode}
          </Badge>
        )}
      </Group>
      {excerpt && (
        <details>
          <summary>
            <Text span size="xs">
              Output
            </Text>
          </summary>
          <pre className="output-block output-block--small" tabIndex={0}>
            {excerpt}
          </pre>
        </details>
      )}
    </Stack>
  );
}

/** Assignment events name people by user id (the server's words); say their names where the caller can look them up. */
function summaryOf(event: TimelineEvent, nameOf: (id: string | null) => string): string {
  if (event.kind !== 'assignment') return event.summary;
  const role = text(event.data.role) ?? 'assignee';
  const to = text(event.data.to);
  return to ? `${role} set to ${nameOf(to)}` : `${role} cleared`;
}

function TimelineItem({ event, nameOf }: { event: TimelineEvent; nameOf: (id: string | null) => string }) {
  const style = kindStyle(event.kind);
  const isNote = event.kind === 'note';
  return (
    <li className="timeline-item" data-testid="timeline-event" data-kind={event.kind} style={{ ['--timeline-color' as string]: `var(--mantine-color-${style.color}-filled)` }}>
      <Group gap="xs" wrap="wrap">
        <Badge size="sm" variant="light" color={style.color} radius="sm">
          {style.label}
        </Badge>
        <Text size="xs" c="dimmed">
          <time dateTime={event.at} title={formatDateTime(event.at)}>
            {time.format(Date.parse(event.at))}
          </time>
          {' · '}
          {event.actor}
        </Text>
      </Group>
      {isNote ? (
        <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {event.summary}
        </Text>
      ) : event.kind === 'run.step' ? (
        <StepDetails data={event.data} />
      ) : (
        <Text size="sm" mt={4} style={{ overflowWrap: 'anywhere' }}>
          {inline(summaryOf(event, nameOf))}
        </Text>
      )}
    </li>
  );
}

function NoteForm({ incidentId }: { incidentId: string }) {
  const [note, setNote] = useState('');
  const add = useAddNote(incidentId);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (note.trim()) add.mutate(note.trim(), { onSuccess: () => setNote('') });
      }}
    >
      <Textarea label="Add a note" placeholder="What you found, what you tried, what you decided" autosize minRows={2} maxRows={8} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
      <Group justify="flex-end" mt="xs">
        <Button type="submit" size="xs" loading={add.isPending} disabled={!note.trim()}>
          Add note
        </Button>
      </Group>
      {add.isError && <ErrorNotice error={add.error} title="The note was not added" />}
    </form>
  );
}

/** Everything that happened to the incident, newest first; live through `incident.timeline` events. */
export function IncidentTimeline({ incidentId }: { incidentId: string }) {
  const timeline = useTimeline(incidentId);
  const user = useCurrentUser();
  const { nameOf } = useDirectory();
  const [groups, setGroups] = useState<string[]>(ALL_GROUPS);
  const events = timeline.data ? [...timeline.data].reverse().filter((event) => groups.includes(kindStyle(event.kind).group)) : [];
  return (
    <Panel title="Timeline" count={timeline.data?.length} testId="timeline">
      <Stack gap="md">
        {user && hasRole(user.role, 'responder') && <NoteForm incidentId={incidentId} />}
        <Chip.Group multiple value={groups} onChange={setGroups}>
          <Group gap={6} role="group" aria-label="Show events of these kinds">
            {ALL_GROUPS.map((group) => (
              <Chip key={group} value={group} size="xs" variant="outline">
                {TIMELINE_GROUPS[group]}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        {timeline.isPending && <Skeleton height={120} role="status" aria-label="Loading the timeline" />}
        {timeline.isError && <ErrorNotice error={timeline.error} title="Could not load the timeline" onRetry={() => void timeline.refetch()} />}
        {timeline.isSuccess && events.length === 0 && <Text size="sm">Nothing to show.</Text>}
        {events.length > 0 && (
          <ol className="timeline" aria-label="Timeline events, newest first">
            {events.map((event) => (
              <TimelineItem key={event.seq} event={event} nameOf={nameOf} />
            ))}
          </ol>
        )}
      </Stack>
    </Panel>
  );
}
