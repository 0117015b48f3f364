import type { QueryKey } from '@tanstack/react-query';
import { queryKeys } from '../api/query-keys.js';
import type { ServerEvent } from './sse.js';

/**
 * Which cached queries an event from the server makes stale. The names are
 * the ones the server publishes (src/**: INCIDENT_EVENT, RUN_EVENT,
 * NOTIFICATION_EVENTS, and the platform's user/token/audit/runbook events).
 *
 * `run.output` is deliberately absent: output arrives many times a second
 * and is appended from the event itself (useLiveEvents), never refetched.
 * So is the audit log itself: its page puts each `audit.recorded` entry on
 * top as it arrives.
 */

function field(event: ServerEvent, name: string): string | null {
  const data = event.data as Record<string, unknown> | null;
  const value = data && typeof data === 'object' ? data[name] : undefined;
  return typeof value === 'string' && value !== '' ? value : null;
}

/** What an audited action changed, for domains without events of their own (directory, channels, routing). */
function keysForAction(action: string): QueryKey[] {
  const domain = action.slice(0, action.indexOf('.'));
  switch (domain) {
    case 'contact':
      // Rotations show their members' names.
      return [queryKeys.oncall.contacts, queryKeys.oncall.rotations];
    case 'rotation':
      return [queryKeys.oncall.rotations];
    case 'escalation_policy':
      return [queryKeys.oncall.escalationPolicies];
    case 'channel':
      return [queryKeys.oncall.channels];
    case 'silence':
      return [queryKeys.silences.all, queryKeys.alerts.all];
    case 'routing_rule':
      return [queryKeys.routingRules.all];
    default:
      return [];
  }
}

export function keysToInvalidate(event: ServerEvent): QueryKey[] {
  const keys: QueryKey[] = [];
  const incidentId = field(event, 'incidentId');
  const runId = field(event, 'runId');
  // Every deployment event (deployment.step, .traffic, .analysis, .gate, actions) carries the deployment as it is now.
  if (event.type.startsWith('deployment.')) {
    const deploymentId = field(event, 'deploymentId');
    keys.push(queryKeys.deployments.lists());
    if (deploymentId) keys.push(queryKeys.deployments.detail(deploymentId));
    return keys;
  }
  switch (event.type) {
    case 'incident.created':
      // The alerts domain publishes no events of its own: a new incident is how a firing alert shows.
      keys.push(queryKeys.incidents.lists(), queryKeys.alerts.all);
      break;
    case 'incident.updated': {
      const id = field(event, 'id');
      keys.push(queryKeys.incidents.lists(), queryKeys.alerts.all);
      if (id) keys.push(queryKeys.incidents.detail(id));
      break;
    }
    case 'incident.timeline':
      if (incidentId) keys.push(queryKeys.incidents.timeline(incidentId), queryKeys.incidents.postmortem(incidentId));
      // Alerts joining or resolving are recorded here; their list changed too.
      if (field(event, 'kind')?.startsWith('alert.')) keys.push(queryKeys.alerts.all);
      // A deployment step of the incident's service: the header's changes moved.
      if (incidentId && field(event, 'kind') === 'change.deployment') keys.push(queryKeys.incidents.detail(incidentId));
      break;
    case 'run.created':
      keys.push(queryKeys.runs.lists());
      break;
    case 'run.step':
    case 'run.finished':
      keys.push(queryKeys.runs.lists());
      if (runId) keys.push(queryKeys.runs.detail(runId));
      break;
    case 'run.check':
      if (runId) keys.push(queryKeys.runs.detail(runId));
      break;
    case 'notification.sent':
    case 'notification.failed':
    case 'notification.skipped':
      keys.push(queryKeys.oncall.notifications);
      break;
    case 'schedule.run': {
      // Every state change and progress report of a schedule's run: its history, and the list's last result.
      const scheduleId = field(event, 'scheduleId');
      keys.push(queryKeys.schedules.list());
      if (scheduleId) keys.push(queryKeys.schedules.runs(scheduleId));
      break;
    }
    case 'schedule.changed':
      keys.push(queryKeys.schedules.list());
      break;
    case 'runbook.imported':
      keys.push(queryKeys.runbooks.all);
      break;
    case 'user.created':
    case 'user.updated':
    case 'user.sessions_revoked':
      keys.push(queryKeys.users.all, queryKeys.me);
      break;
    case 'token.created':
    case 'token.revoked':
      keys.push(queryKeys.tokens.all);
      break;
    case 'secrets.rotated':
      // A rotation may have revoked every API token and ended sessions too.
      keys.push(queryKeys.secrets.all, queryKeys.tokens.all, queryKeys.users.all);
      break;
    case 'audit.recorded': {
      // The audit page appends the entry from the event itself: refetching every loaded page per entry costs more.
      // Entries also tell admins (the only ones who receive them) of changes that publish no event of their own.
      const action = field(event, 'action');
      if (action && field(event, 'outcome') === 'success') keys.push(...keysForAction(action));
      break;
    }
    case 'alert.received':
      // A webhook committed alerts (ids only in the event): lists refetch through the API, which checks the role.
      keys.push(queryKeys.alerts.all);
      break;
    case 'alerts.config_changed':
      // Routing rules or silences changed (on any replica).
      keys.push(queryKeys.silences.all, queryKeys.routingRules.all, queryKeys.alerts.all);
      break;
  }
  return keys;
}
