import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../platform/logger.js';
import { SEVERITIES } from './schema.js';
import type { DueBreach, IncidentStore } from './store.js';
import type { Timeline } from './timeline.js';

const KIND_WORDS = { ack: 'acknowledge', resolve: 'resolve' } as const;

/**
 * SLA clocks. Due times are columns of the incident (set at trigger), so
 * checking is a query against "now" from the injected clock; a breach is
 * recorded once per (incident, kind) by the breaches table's primary key,
 * whichever replica or restart finds it.
 */
export class SlaClock {
  private readonly breaches: Counter<'severity' | 'kind'>;

  constructor(
    private readonly deps: { store: IncidentStore; timeline: Timeline; clock: () => Date; logger: Logger; registry: Registry },
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
    for (const breach of await this.deps.store.dueBreaches(now)) {
      // Timeline first (idempotent by key), then the breach row: a crash in between repeats the
      // timeline write harmlessly, and the metric counts only the pass that inserted the row.
      const word = KIND_WORDS[breach.kind];
      await this.deps.timeline.record(breach.incidentId, {
        kind: 'sla.breach',
        actor: 'system',
        summary: `SLA breached: not ${word}d by ${breach.dueAt.toISOString()}`,
        data: { kind: breach.kind, dueAt: breach.dueAt.toISOString(), severity: breach.severity },
        dedupeKey: `sla.breach:${breach.incidentId}:${breach.kind}`,
      });
      if (await this.deps.store.insertBreach(breach, now)) {
        this.breaches.inc({ severity: breach.severity, kind: breach.kind });
        recorded.push(breach);
      }
    }
    return recorded;
  }
}
