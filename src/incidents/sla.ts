import { Counter, Gauge, type Registry } from 'prom-client';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { SEVERITIES } from './schema.js';
import { DUE_BREACHES_LIMIT, type DueBreach, type SlaStore } from './sla-store.js';
import type { Timeline } from './timeline.js';

const KIND_WORDS = { ack: 'acknowledge', resolve: 'resolve' } as const;
/** Covers an action whose time was read before a pass but committed after it, and clock skew between replicas. */
const LATE_STOP_OVERLAP_MS = 10 * 60_000;

/**
 * SLA clocks. Due times are columns of the incident (set at trigger), so
 * checking is a query against "now" from the injected clock; a breach is
 * recorded once per clock (incident, kind, due time) by the breaches table's
 * primary key, whichever replica or restart finds it.
 */
export class SlaClock {
  private readonly breaches: Counter<'severity' | 'kind'>;
  /**
   * Clocks that stopped late are looked for among incidents changed since
   * the previous pass (less an overlap); the first pass of a process looks
   * at all of them. Open clocks are always looked at in full.
   */
  private lateStopsSince: Date | null = null;

  constructor(
    private readonly deps: { store: SlaStore; timeline: Timeline; clock: Clock; logger: Logger; registry: Registry },
  ) {
    this.breaches = new Counter({
      name: 'nexus_sla_breaches_total',
      help: 'SLA breaches recorded, by incident severity and clock (ack, resolve)',
      labelNames: ['severity', 'kind'] as const,
      registers: [deps.registry],
    });
    const store = deps.store;
    new Gauge({
      name: 'nexus_incidents_open',
      help: 'Incidents not yet resolved, by severity',
      labelNames: ['severity'] as const,
      registers: [deps.registry],
      // Counted from the database at scrape time, so every replica reports the same truth.
      async collect() {
        const counts = new Map((await store.openCounts()).map((c) => [c.severity, c.n]));
        for (const severity of SEVERITIES) this.set({ severity }, counts.get(severity) ?? 0);
      },
    });
  }

  /** One pass: records every clock past due; returns the breaches this pass recorded. */
  async check(): Promise<DueBreach[]> {
    const now = this.deps.clock();
    const recorded: DueBreach[] = [];
    const due = await this.deps.store.dueBreaches(now, this.lateStopsSince);
    for (const breach of due) {
      // Timeline first (idempotent by key), then the breach row: a crash in between repeats the
      // timeline write harmlessly, and the metric counts only the pass that inserted the row.
      // The due time is in the key: a reopened incident's new clock is another breach.
      const word = KIND_WORDS[breach.kind];
      await this.deps.timeline.record(breach.incidentId, {
        kind: 'sla.breach',
        actor: 'system',
        summary: `SLA breached: not ${word}d by ${breach.dueAt.toISOString()}`,
        data: { kind: breach.kind, dueAt: breach.dueAt.toISOString(), severity: breach.severity },
        dedupeKey: `sla.breach:${breach.incidentId}:${breach.kind}:${breach.dueAt.toISOString()}`,
      });
      if (await this.deps.store.insertBreach(breach, now)) {
        this.breaches.inc({ severity: breach.severity, kind: breach.kind });
        recorded.push(breach);
      }
    }
    // A full page may have left late stops out: look at all of them again next time.
    if (due.length < DUE_BREACHES_LIMIT) this.lateStopsSince = new Date(now.getTime() - LATE_STOP_OVERLAP_MS);
    return recorded;
  }
}
