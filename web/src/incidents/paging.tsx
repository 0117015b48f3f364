import { Alert, Anchor, Badge, List, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { Incident } from '../api/types.js';
import { OPEN_STATES } from './queries.js';

type PagedLevel = Incident['paging']['levels'][number];

/** Light, for contrast (axe), with a heavy red edge so it is not read past. */
const LOUD = { border: '2px solid var(--mantine-color-red-filled)' };

/** A level's state in a word and a colour: the word carries the meaning. */
export const LEVEL_STATE: Record<PagedLevel['state'], { label: string; color: string }> = {
  paging: { label: 'paging', color: 'blue' },
  reached: { label: 'reached', color: 'teal' },
  unreached: { label: 'reached nobody', color: 'red' },
};

/** An open incident whose escalation ran out without reaching its last level: the loudest thing on the page. */
export function isUnreachable(incident: Incident): boolean {
  return incident.paging.unreachable && OPEN_STATES.includes(incident.state);
}

/** "Level 0 (at trigger)", "Level 1 (after 15 min)", "Level 1 (at once: the level before reached nobody)". */
export function levelName(level: PagedLevel): string {
  const when = level.early ? 'at once: the level before reached nobody' : level.afterMinutes === 0 ? 'at trigger' : `after ${level.afterMinutes} min`;
  return `Level ${level.level} (${when})`;
}

/** Each paged level of the current escalation: who it reached, who not and why. */
export function PagingLevels({ incident }: { incident: Incident }) {
  const { levels } = incident.paging;
  if (levels.length === 0) return <Text size="sm">{incident.escalationPolicyId ? 'Nobody paged yet' : 'No escalation policy'}</Text>;
  return (
    <List spacing={4} size="sm" listStyleType="none" m={0} p={0} data-testid="paging-levels">
      {levels.map((level) => (
        <List.Item key={level.level} data-state={level.state}>
          <Badge color={LEVEL_STATE[level.state].color} variant="light" size="sm" mr={6}>
            {LEVEL_STATE[level.state].label}
          </Badge>
          <Text span size="sm" fw={600}>
            {levelName(level)}:
          </Text>{' '}
          <Text span size="sm" style={{ overflowWrap: 'anywhere' }}>
            {level.summary}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

/** The red banner of an incident that reached nobody: why, and what to fix. */
export function UnreachableBanner({ incident }: { incident: Incident }) {
  if (!isUnreachable(incident)) return null;
  const unreached = incident.paging.levels.filter((level) => level.state === 'unreached');
  return (
    <Alert color="red" variant="light" style={LOUD} title={incident.paging.reachedAnyone ? 'The last escalation level could not be reached' : 'Nobody was reached for this incident'} mb="md" data-testid="unreachable-banner">
      <Stack gap={4}>
        {unreached.map((level) => (
          <Text key={level.level} size="sm">
            {levelName(level)}: {level.notReached.map((who) => `${who.name} ${who.why.map((w) => `${w.how} (${w.reason})`).join(', ')}`).join('; ') || level.summary}
          </Text>
        ))}
        <Text size="sm">
          Configure a way to reach people (NEXUS_SMTP_URL, NEXUS_SLACK_WEBHOOK_URL, or a channel under{' '}
          <Anchor component={Link} to="/oncall?tab=channels" c="inherit" underline="always">
            On-call, Channels
          </Anchor>
          ), then tell the responders another way.
        </Text>
      </Stack>
    </Alert>
  );
}

/** On the dashboard: every open incident that reached nobody, linked. */
export function UnreachableIncidentsBanner({ incidents }: { incidents: readonly Incident[] }) {
  const unreachable = incidents.filter(isUnreachable);
  if (unreachable.length === 0) return null;
  return (
    <Alert color="red" variant="light" style={LOUD} title={`${unreachable.length === 1 ? 'An open incident' : `${unreachable.length} open incidents`} reached nobody`} data-testid="unreachable-incidents">
      <List size="sm">
        {unreachable.map((incident) => (
          <List.Item key={incident.id}>
            <Anchor component={Link} to={`/incidents/${incident.id}`} c="inherit" underline="always">
              {incident.title}
            </Anchor>
            {` (${incident.severity}, ${incident.state})`}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
