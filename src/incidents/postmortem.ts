import type { Clock } from '../platform/clock.js';
import { ConflictError } from '../platform/errors.js';
import { clockStart } from './lifecycle.js';
import type { Postmortem } from './schema.js';
import { isUniqueViolation } from '../platform/db/pg-errors.js';
import type { IncidentRow } from './incident-store.js';
import type { PostmortemStore } from './postmortem-store.js';
import type { EventRow, TimelineStore } from './timeline-store.js';
import type { Timeline } from './timeline.js';

const PAGE = 1000;
const MAX_EVENTS = 20_000;

const minutesBetween = (a: Date, b: Date) => Math.round((b.getTime() - a.getTime()) / 6000) / 10;
/** Table cells: a pipe or a line break would end the cell. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** Met or missed on the exact times, as the SLA clock judged it; only the display is rounded. */
const within = (start: Date, end: Date, targetMinutes: number) => end.getTime() - start.getTime() <= targetMinutes * 60_000;

function slaRow(name: string, target: number, start: Date, end: Date | null): string {
  if (!end) return `| ${name} | ${target} min | not yet | open |`;
  return `| ${name} | ${target} min | ${minutesBetween(start, end)} min | ${within(start, end, target) ? 'met' : 'missed'} |`;
}

/**
 * Resolved with nobody acknowledging (the system resolved it): the ack clock
 * stopped at the resolve, a breach only if that came after the due time.
 */
function ackRow(incident: IncidentRow): string {
  const name = 'Time to acknowledge';
  const target = incident.responseMinutes;
  // The clocks run from the trigger, or from the reopen that restarted them.
  const start = clockStart(incident.ackDueAt, target);
  if (incident.acknowledgedAt || !incident.resolvedAt) return slaRow(name, target, start, incident.acknowledgedAt);
  return `| ${name} | ${target} min | not acknowledged | ${within(start, incident.resolvedAt, target) ? 'resolved first' : 'missed'} |`;
}

/** The commands run during the incident, from the timeline's run.step events. */
function commandsSection(events: EventRow[]): string[] {
  const steps = events.filter((e) => e.kind === 'run.step');
  if (steps.length === 0) return ['No runbook commands were run.'];
  return [
    '| Time (UTC) | Command | Result | Exit code | Duration | By |',
    '| --- | --- | --- | --- | --- | --- |',
    ...steps.map((e) => {
      const d = e.data as { command?: string; state?: string; exitCode?: number | null; durationMs?: number | null };
      const exit = d.exitCode === null || d.exitCode === undefined ? '–' : String(d.exitCode);
      const took = typeof d.durationMs === 'number' ? `${d.durationMs} ms` : '–';
      return `| ${e.at.toISOString()} | \`${cell(d.command ?? '')}\` | ${d.state ?? ''} | ${exit} | ${took} | ${cell(e.actor)} |`;
    }),
  ];
}

/** The draft: facts from the incident and its timeline, then the seed's post-incident actions to fill in. */
export function draftPostmortem(incident: IncidentRow, events: EventRow[]): string {
  const runbook = incident.runbookSlug ? `${incident.runbookSlug} v${incident.runbookVersion}, "${incident.procedureTitle}"` : 'none';
  const alerts = events.filter((e) => e.kind === 'alert.fired' || e.kind === 'alert.joined').length;
  const end = incident.resolvedAt;
  return [
    `# Post-mortem: ${incident.title}`,
    '',
    '## Summary',
    '',
    `- Incident: ${incident.id}`,
    `- Severity: ${incident.severity}${incident.service ? ` · Service: ${incident.service}` : ''}${incident.category ? ` · Category: ${incident.category}` : ''}`,
    `- State: ${incident.state}`,
    `- Runbook: ${runbook}`,
    `- Alerts: ${alerts}`,
    '',
    '## Impact window',
    '',
    `- Triggered: ${incident.triggeredAt.toISOString()}`,
    `- Resolved: ${end ? end.toISOString() : 'not resolved'}`,
    ...(end ? [`- Duration: ${minutesBetween(incident.triggeredAt, end)} min`] : []),
    '',
    '## SLA',
    '',
    '| Target | Goal | Actual | Result |',
    '| --- | --- | --- | --- |',
    ackRow(incident),
    slaRow('Time to resolve', incident.resolutionMinutes, clockStart(incident.resolveDueAt, incident.resolutionMinutes), end),
    '',
    '## Timeline',
    '',
    '| Time (UTC) | Actor | Event |',
    '| --- | --- | --- |',
    ...events.map((e) => `| ${e.at.toISOString()} | ${cell(e.actor)} | ${cell(e.summary)} |`),
    '',
    '## Commands run',
    '',
    ...commandsSection(events),
    '',
    '## Root cause',
    '',
    '_To fill in: what failed, and why._',
    '',
    '## Resolution steps',
    '',
    '_To fill in: what was done to restore service._',
    '',
    '## Monitoring to update',
    '',
    '- [ ] Review alert thresholds',
    '- [ ] Update runbooks if needed',
    '',
    '## Follow-ups',
    '',
    '- [ ] Schedule post-mortem',
    '- [ ] Implement preventive measures',
    '',
  ].join('\n');
}

/** Post-mortems: the generated draft (version 0) until someone edits it; each edit is a new version. */
export class Postmortems {
  constructor(private readonly deps: { store: PostmortemStore; events: TimelineStore; timeline: Timeline; clock: Clock }) {}

  async get(incident: IncidentRow): Promise<Postmortem> {
    const saved = await this.deps.store.latest(incident.id);
    if (saved) {
      return { incidentId: incident.id, version: saved.version, generated: false, markdown: saved.markdown, editedBy: saved.editedBy, updatedAt: saved.createdAt.toISOString() };
    }
    return { incidentId: incident.id, version: 0, generated: true, markdown: draftPostmortem(incident, await this.events(incident.id)), editedBy: null, updatedAt: null };
  }

  /** Optimistic: `baseVersion` is the version the editor started from; a newer one means someone else saved first. */
  async save(actor: string, incident: IncidentRow, markdown: string, baseVersion: number): Promise<Postmortem> {
    const latest = (await this.deps.store.latest(incident.id))?.version ?? 0;
    const stale = () => new ConflictError(`The post-mortem is at version ${latest}, not ${baseVersion}: reload and edit again`, { version: latest, baseVersion });
    if (baseVersion !== latest) throw stale();
    try {
      // The app's clock, as for every other incident time: the post-mortem list orders edits among resolves.
      const row = await this.deps.store.insert({ incidentId: incident.id, version: latest + 1, markdown, editedBy: actor, createdAt: this.deps.clock() });
      await this.deps.timeline.record(incident.id, { kind: 'postmortem', actor, summary: `Post-mortem version ${row.version} saved`, data: { version: row.version } });
      return { incidentId: incident.id, version: row.version, generated: false, markdown: row.markdown, editedBy: row.editedBy, updatedAt: row.createdAt.toISOString() };
    } catch (error) {
      if (isUniqueViolation(error)) throw stale();
      throw error;
    }
  }

  private async events(incidentId: string): Promise<EventRow[]> {
    const all: EventRow[] = [];
    for (let after = 0; all.length < MAX_EVENTS; ) {
      const page = await this.deps.events.events(incidentId, after, PAGE);
      all.push(...page);
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.seq;
    }
    return all;
  }
}
