import type { AlertLink } from './alert-links.js';
import type { IncidentRow } from './incident-store.js';

/**
 * An alert firing again after its incident ended (issue 16): within the
 * reopen window of the resolve, the flapping alert reopens that incident;
 * later (or once someone closed it) it opens a new one whose timeline names
 * the earlier. Either way the timeline says so.
 */
export type Recurrence = { reopen: IncidentRow; text: string; data: Record<string, unknown> } | { previous: IncidentRow; text: string; data: Record<string, unknown> };

/** "40 s", "4 min", "2 h 5 min", "3 d 2 h": how long, for the timeline. */
export function spokenDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return hours % 24 ? `${Math.floor(hours / 24)} d ${hours % 24} h` : `${Math.floor(hours / 24)} d`;
}

/** What the alert, and the incident it paged into last, call for now; null when it never paged in this group. */
export function recurrence(last: { incident: IncidentRow; alertId: string } | null, alerts: AlertLink[], now: Date, windowMinutes: number): Recurrence | null {
  if (!last) return null;
  const { incident } = last;
  const alert = alerts.find((a) => a.id === last.alertId);
  const name = alert?.labels.alertname || alert?.summary || last.alertId;
  const since = now.getTime() - (incident.resolvedAt ?? now).getTime();
  const after = spokenDuration(since);
  const data = { alertId: last.alertId, previousIncidentId: incident.id, resolvedAt: incident.resolvedAt?.toISOString() ?? null, reopenWindowMinutes: windowMinutes };
  if (incident.state === 'resolved' && windowMinutes > 0 && since <= windowMinutes * 60_000) {
    return { reopen: incident, text: `Reopened: ${name} fired again ${after} after resolve`, data };
  }
  const why =
    incident.state === 'closed'
      ? 'it was closed'
      : windowMinutes === 0
        ? 'alerts never reopen incidents here'
        : `more than ${spokenDuration(windowMinutes * 60_000)} after resolve`;
  return {
    previous: incident,
    text: `${name} fired again ${after} after "${incident.title}" (${incident.id}) was resolved; ${why}, so this is a new incident`,
    data,
  };
}
