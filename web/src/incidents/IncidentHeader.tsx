import { Badge, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import type { Incident, IncidentDetail, Severity } from '../api/types.js';
import { formatAgo, formatDateTime, formatDuration } from '../common/format.js';
import { useNow } from '../common/use-now.js';
import { hasRole } from '../session/roles.js';
import { useCurrentUser } from '../session/queries.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { IncidentChanges } from './IncidentChanges.js';
import { actionsFor, INCIDENT_ACTIONS, STATE_COLOR } from './lifecycle.js';
import { useIncidentMutations } from './queries.js';
import { PagingLevels } from './paging.js';
import { displayName, useDirectory } from './people.js';
import { SEVERITIES, SEVERITY_COLOR, SEVERITY_LABEL } from './severity.js';
import { SlaClocks } from './SlaClockBar.js';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Text component="dt" size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text component="dd" size="sm" m={0}>
        {children}
      </Text>
    </div>
  );
}

function escalationText(incident: Incident, now: number): string {
  if (incident.state !== 'triggered') return incident.acknowledgedAt ? 'Stopped: acknowledged' : 'Stopped';
  if (!incident.nextPageAt) return incident.escalationPolicyId ? 'No level left to page' : 'No escalation policy';
  const at = Date.parse(incident.nextPageAt);
  return at <= now ? 'Paging now' : `${formatDateTime(incident.nextPageAt)} (in ${formatDuration(at - now)})`;
}

/** Assignee or commander: a select of the people the caller can name (see people.ts), or plain text for viewers. */
function PersonField({
  label,
  value,
  editable,
  disabled,
  onChange,
}: {
  label: string;
  value: string | null;
  editable: boolean;
  disabled: boolean;
  onChange: (id: string | null) => void;
}) {
  const { people, nameOf } = useDirectory();
  if (!editable) return <Fact label={label}>{nameOf(value)}</Fact>;
  const options = [{ value: '', label: 'Nobody' }, ...people.map((user) => ({ value: user.id, label: displayName(user) }))];
  if (value && !people.some((user) => user.id === value)) options.push({ value, label: nameOf(value) });
  return (
    <NativeSelect
      label={label}
      size="xs"
      data={options}
      value={value ?? ''}
      disabled={disabled}
      onChange={(event) => onChange(event.currentTarget.value || null)}
    />
  );
}

/**
 * The top of the incident page: what it is, how long is left, who has it,
 * when the next escalation pages, and the state actions the server's state
 * machine allows now (responders and up; viewers only read).
 */
export function IncidentHeader({ incident }: { incident: IncidentDetail }) {
  const now = useNow();
  const user = useCurrentUser();
  const canAct = user !== null && hasRole(user.role, 'responder');
  const { transition, patch } = useIncidentMutations(incident.id);
  const busy = transition.isPending || patch.isPending;
  const actionsId = useId();

  return (
    <Paper withBorder p="md" mb="md" data-testid="incident-header" data-state={incident.state} data-severity={incident.severity}>
      <Stack gap="sm">
        <Group gap="xs">
          <Badge color={SEVERITY_COLOR[incident.severity]} variant="light" size="lg" radius="sm">
            {SEVERITY_LABEL[incident.severity]}
          </Badge>
          <Badge color={STATE_COLOR[incident.state]} variant="light" size="lg" radius="sm" data-testid="incident-state">
            {incident.state}
          </Badge>
          {incident.category && (
            <Badge color="grape" variant="light" size="lg" radius="sm">
              {incident.category}
            </Badge>
          )}
        </Group>

        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" maw={720}>
          <SlaClocks incident={incident} now={now} />
        </SimpleGrid>

        <SimpleGrid component="dl" cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" m={0}>
          <Fact label="Service">{incident.service ?? 'none'}</Fact>
          <Fact label="Triggered">
            <span title={formatDateTime(incident.triggeredAt)}>{formatAgo(incident.triggeredAt, now)}</span>
            {' · by '}
            {incident.createdBy}
          </Fact>
          <Fact label="Next escalation" testId="next-escalation">
            {escalationText(incident, now)}
          </Fact>
          <Fact label="Runbook">{incident.runbook ? `${incident.runbook.procedureTitle} (${incident.runbook.slug} v${incident.runbook.version})` : 'none attached'}</Fact>
        </SimpleGrid>

        {incident.changes.length > 0 && (
          <dl style={{ margin: 0 }}>
            <Fact label="Deployments of this service around it">
              <IncidentChanges incident={incident} />
            </Fact>
          </dl>
        )}

        <dl style={{ margin: 0 }}>
          <Fact label="Who was paged" testId="paging">
            <PagingLevels incident={incident} />
          </Fact>
        </dl>

        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" maw={720}>
          <PersonField label="Assignee" value={incident.assigneeId} editable={canAct} disabled={busy} onChange={(assigneeId) => patch.mutate({ assigneeId })} />
          <PersonField label="Commander" value={incident.commanderId} editable={canAct} disabled={busy} onChange={(commanderId) => patch.mutate({ commanderId })} />
          {canAct ? (
            <NativeSelect
              label="Severity"
              size="xs"
              data={SEVERITIES.map((severity) => ({ value: severity, label: SEVERITY_LABEL[severity] }))}
              value={incident.severity}
              disabled={busy}
              onChange={(event) => patch.mutate({ severity: event.currentTarget.value as Severity })}
            />
          ) : (
            <Fact label="Severity">{SEVERITY_LABEL[incident.severity]}</Fact>
          )}
        </SimpleGrid>

        {canAct ? (
          <Group gap="xs" role="group" aria-labelledby={actionsId}>
            <Text id={actionsId} size="sm" fw={600}>
              Actions:
            </Text>
            {actionsFor(incident.state).map((action) => (
              <Button
                key={action}
                size="xs"
                variant={action === 'ack' || action === 'resolve' ? 'filled' : 'default'}
                title={INCIDENT_ACTIONS[action].hint}
                loading={transition.isPending && transition.variables === action}
                disabled={busy}
                onClick={() => transition.mutate(action)}
              >
                {INCIDENT_ACTIONS[action].label}
              </Button>
            ))}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            You can follow this incident; acting on it needs the responder role{user ? ` (you are ${user.role})` : ''}.
          </Text>
        )}
        {transition.isError && <ErrorNotice error={transition.error} title="The incident did not change" />}
        {patch.isError && <ErrorNotice error={patch.error} title="The change was not saved" />}
      </Stack>
    </Paper>
  );
}
