import type { Logger } from '../platform/logger.js';
import { NotFoundError } from '../platform/errors.js';
import type { NotifyModule, PlanLevel } from '../notify/index.js';
import type { IncidentRow, IncidentStore } from './store.js';
import type { Timeline } from './timeline.js';

/** What paging needs of the notify domain (DESIGN.md §3: incidents page through notify, never the reverse). */
export type EscalationPort = Pick<NotifyModule, 'planEscalation' | 'notify'>;

export interface PagerDeps {
  store: IncidentStore;
  timeline: Timeline;
  notify: EscalationPort;
  clock: () => Date;
  logger: Logger;
  /** Where people open the incident (NEXUS_PUBLIC_URL); links in every page. */
  publicUrl: string;
}

const MINUTE = 60_000;
/** Incidents handled per pass; the rest wait for the next pass, oldest due first. */
const PASS_LIMIT = 100;

const hhmm = (d: Date) => `${d.toISOString().slice(11, 16)} UTC`;

/**
 * Paging and escalation. The incident row carries a bookmark (`next_page_at`):
 * every level due by then is paged, and the bookmark moves to the next level's
 * time. Notify is idempotent per key and destination, and the key names the
 * escalation's start and the level, so a pass repeated after a crash, or run
 * by two replicas at once, pages nobody twice. Acknowledging stops escalation
 * because only `triggered` incidents are looked at.
 *
 * Two ways in: `kick` right after an incident opens (the first page should not
 * wait for a loop), and `pageDue` from the one-replica clock loop, which also
 * catches whatever a crashed process left behind.
 */
export class Pager {
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: PagerDeps) {}

  /** One pass over every incident with a level due; returns how many incidents it looked at. */
  async pageDue(): Promise<number> {
    const rows = await this.deps.store.duePages(this.deps.clock(), PASS_LIMIT);
    for (const row of rows) await this.escalate(row).catch((error: unknown) => this.failed(row.id, error));
    return rows.length;
  }

  /** Pages the incident's due levels now, in the background; `idle()` waits for it. */
  kick(incidentId: string): void {
    this.background(
      async () => {
        const row = await this.deps.store.get(incidentId);
        if (row && isDue(row, this.deps.clock())) await this.escalate(row);
      },
      (error) => this.failed(incidentId, error),
    );
  }

  /**
   * Tells the channels paged at trigger (Slack, webhooks: not people, who
   * need no second page) that the incident was acknowledged or resolved.
   * In the background, like `kick`, and once per escalation and state.
   */
  announce(incidentId: string, state: 'acknowledged' | 'resolved', actor: string): void {
    this.background(async () => {
      const row = await this.deps.store.get(incidentId);
      if (!row?.escalationPolicyId || !row.escalationStartedAt) return;
      const plan = await this.deps.notify.planEscalation(row.escalationPolicyId, {
        category: row.category ?? undefined,
        responseMinutes: row.responseMinutes,
      });
      const channels = plan.find((level) => level.afterMinutes === 0)?.targets.filter((t) => t.type === 'channel') ?? [];
      if (channels.length === 0) return;
      const stamp = (state === 'acknowledged' ? row.acknowledgedAt : row.resolvedAt) ?? this.deps.clock();
      await this.deps.notify.notify({
        key: `incident:${row.id}:${row.escalationStartedAt.getTime()}:${state}:${stamp.getTime()}`,
        incidentId: row.id,
        severity: row.severity,
        subject: `${state === 'acknowledged' ? 'Acknowledged' : 'Resolved'}: [${row.severity}] ${row.title}`,
        text: `${row.severity} incident "${row.title}" was ${state} by ${actor}.\nOpen it: ${this.deps.publicUrl}/incidents/${row.id}`,
        link: `${this.deps.publicUrl}/incidents/${row.id}`,
        targets: channels.map(({ type, id }) => ({ type, id })),
      });
    }, (error) => this.deps.logger.warn({ err: error, incidentId }, `could not announce the incident ${state}`));
  }

  /** Resolves once every kick so far is done (tests, shutdown). */
  async idle(): Promise<void> {
    let seen: Promise<unknown> | undefined;
    while (seen !== this.pending) {
      seen = this.pending;
      await seen;
    }
  }

  private async escalate(row: IncidentRow): Promise<void> {
    const { notify, store, clock } = this.deps;
    const now = clock();
    const start = row.escalationStartedAt ?? row.triggeredAt;
    if (!row.escalationPolicyId) {
      await store.setNextPage(row.id, null, row.nextPageAt);
      return;
    }
    let plan: PlanLevel[];
    try {
      plan = await notify.planEscalation(row.escalationPolicyId, { category: row.category ?? undefined, responseMinutes: row.responseMinutes });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      await this.deps.timeline.record(row.id, {
        kind: 'page.failed',
        actor: 'system',
        summary: 'Nobody paged: the escalation policy of this incident was deleted',
        data: { escalationPolicyId: row.escalationPolicyId },
        dedupeKey: `page:${row.id}:${start.getTime()}:no-policy`,
      });
      await store.setNextPage(row.id, null, row.nextPageAt);
      return;
    }
    let next: Date | null = null;
    for (const level of plan) {
      const due = new Date(start.getTime() + level.afterMinutes * MINUTE);
      if (due <= now) await this.page(row, level, start);
      else if (!next || due < next) next = due;
    }
    await store.setNextPage(row.id, next, row.nextPageAt);
  }

  private async page(row: IncidentRow, level: PlanLevel, start: Date): Promise<void> {
    const key = `incident:${row.id}:${start.getTime()}:level:${level.level}`;
    const escalated = level.afterMinutes > 0;
    const result = await this.deps.notify.notify({
      key,
      incidentId: row.id,
      severity: row.severity,
      subject: `${escalated ? 'Escalated: ' : ''}[${row.severity}] ${row.title}`,
      text: this.message(row, level),
      link: `${this.deps.publicUrl}/incidents/${row.id}`,
      targets: level.targets.map(({ type, id }) => ({ type, id })),
    });
    const names = level.targets.map((t) => t.name).join(', ');
    await this.deps.timeline.record(row.id, {
      kind: escalated ? 'escalation' : 'page',
      actor: 'system',
      summary: escalated ? `Escalated to ${names}: not acknowledged after ${level.afterMinutes} min` : `Paged ${names}`,
      data: {
        level: level.level,
        afterMinutes: level.afterMinutes,
        targets: level.targets,
        notificationId: result.notificationId,
        deliveries: result.deliveries.map((d) => ({ target: d.target, state: d.state })),
      },
      dedupeKey: key,
    });
  }

  private message(row: IncidentRow, level: PlanLevel): string {
    const lines = [`${row.severity} incident: ${row.title}`];
    if (row.service) lines.push(`Service: ${row.service}`);
    if (row.procedureTitle) lines.push(`Runbook: ${row.procedureTitle} (${row.runbookSlug} v${row.runbookVersion})`);
    if (level.afterMinutes > 0) lines.push(`Not acknowledged ${level.afterMinutes} min after it was triggered; you are the next escalation level.`);
    lines.push(`Acknowledge by ${hhmm(row.ackDueAt)} (${row.responseMinutes} min), resolve by ${hhmm(row.resolveDueAt)} (${row.resolutionMinutes} min).`);
    lines.push(`Open it: ${this.deps.publicUrl}/incidents/${row.id}`);
    return lines.join('\n');
  }

  /** One at a time, in order, off the caller's path; a failure is reported, never thrown at the caller. */
  private background(work: () => Promise<void>, onError: (error: unknown) => void): void {
    this.pending = this.pending.then(work).catch(onError);
  }

  private failed(incidentId: string, error: unknown): void {
    // The bookmark did not move, so the next pass tries again.
    this.deps.logger.warn({ err: error, incidentId }, 'paging failed; the next pass retries it');
  }
}

function isDue(row: IncidentRow, now: Date): boolean {
  return row.state === 'triggered' && row.nextPageAt !== null && row.nextPageAt <= now;
}

/** Paging fields for an incident that starts (or starts over) escalating at `now`. */
export function escalationStart(policyId: string | null | undefined, now: Date): { escalationStartedAt: Date; nextPageAt: Date | null } {
  return { escalationStartedAt: now, nextPageAt: policyId ? now : null };
}
