import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { AppError, NotFoundError } from '../platform/errors.js';
import { SUBJECT_MAX, type NotifyModule, type PlanLevel } from '../notify/index.js';
import { ACK_LINK_TTL_MS, ackLinkPrefix } from './ack-links.js';
import type { IncidentRow, IncidentStore } from './incident-store.js';
import type { PageRow, PageStore } from './page-store.js';
import type { Timeline } from './timeline.js';
import { SerialWork } from '../platform/serial-work.js';

/** What paging needs of the notify domain (DESIGN.md §3: incidents page through notify, never the reverse). */
export type EscalationPort = Pick<NotifyModule, 'planEscalation' | 'notify' | 'outcome'>;

export interface PagerDeps {
  store: IncidentStore;
  pages: PageStore;
  timeline: Timeline;
  notify: EscalationPort;
  clock: Clock;
  logger: Logger;
  /** Where people open the incident (NEXUS_PUBLIC_URL); links in every page. */
  publicUrl: string;
  /** Records the level's outcome if its deliveries have all ended (PagingOutcomes `settle`). */
  settle(page: PageRow): Promise<void>;
}

/** A level to page in this pass: when it fell due, and whether before its time. */
interface DueLevel {
  level: PlanLevel;
  at: Date;
  early: boolean;
  last: boolean;
}

const MINUTE = 60_000;
/** Incidents handled per pass; the rest wait for the next pass, oldest due first. */
const PASS_LIMIT = 100;

/**
 * How long a claimed incident is held: a pass that dies between its claim and
 * the bookmark's move is retried after it. Also the first wait after a failure.
 */
const RETRY_FIRST_MS = 30_000;
/** Waits after failures double up to this. */
const RETRY_MAX_MS = 15 * MINUTE;
/** A title quoted in a page's text (alert summaries have no length limit; a notification's text has one). */
const TEXT_TITLE_MAX = 1_000;

const hhmm = (d: Date) => `${d.toISOString().slice(11, 16)} UTC`;
const earliest = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));

/** `text` cut to `max` characters, the last one "…" when cut. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  // Never between the two halves of a surrogate pair (an emoji).
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}

/** A subject that always fits a notification's: the prefix ("Escalated: [P1] ") whole, the title cut. */
export function pageSubject(prefix: string, title: string): string {
  return prefix + clip(title, SUBJECT_MAX - prefix.length);
}

/**
 * Paging and escalation. The incident row carries a bookmark (`next_page_at`):
 * every level due by then is paged, and the bookmark moves to the next level's
 * time. Notify is idempotent per key and destination, and the key names the
 * escalation's start and the level, so a pass repeated after a crash, or run
 * by two replicas at once, pages nobody twice. Acknowledging stops escalation
 * because only `triggered` incidents are looked at, and each incident is
 * claimed (still triggered, bookmark unmoved) right before it is paged.
 *
 * A level that fails to page is recorded on the timeline (`page.failed`) and
 * retried with a doubling wait, so one broken incident cannot hold the head
 * of the queue, which is served oldest due first.
 *
 * Two ways in: `kick` right after an incident opens (the first page should not
 * wait for a loop), and `pageDue` from the one-replica clock loop, which also
 * catches whatever a crashed process left behind.
 */
export class Pager {
  private readonly work = new SerialWork();

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
  notifyStateChange(incidentId: string, state: 'acknowledged' | 'resolved', actor: string): void {
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
        subject: pageSubject(`${state === 'acknowledged' ? 'Acknowledged' : 'Resolved'}: [${row.severity}] `, row.title),
        text: `${row.severity} incident "${clip(row.title, TEXT_TITLE_MAX)}" was ${state} by ${actor}.\nOpen it: ${this.deps.publicUrl}/incidents/${row.id}`,
        link: `${this.deps.publicUrl}/incidents/${row.id}`,
        targets: channels.map(({ type, id }) => ({ type, id })),
      });
    }, (error) => this.deps.logger.warn({ err: error, incidentId }, `could not notify the channels that the incident was ${state}`));
  }

  /** Resolves once every kick so far is done (tests, shutdown). */
  idle(): Promise<void> {
    return this.work.idle();
  }

  private async escalate(row: IncidentRow): Promise<void> {
    const { notify, store, clock } = this.deps;
    const now = clock();
    const start = row.escalationStartedAt ?? row.triggeredAt;
    const seen = row.nextPageAt;
    if (!row.escalationPolicyId || !seen) {
      await store.setNextPage(row.id, null, seen);
      return;
    }
    let plan: PlanLevel[];
    try {
      plan = await notify.planEscalation(row.escalationPolicyId, { category: row.category ?? undefined, responseMinutes: row.responseMinutes });
    } catch (error) {
      if (!(error instanceof NotFoundError)) {
        const wait = await this.pageFailed(row, start, 'plan', 'Could not plan the escalation', error);
        await store.claimPage(row.id, seen, new Date(now.getTime() + wait));
        return;
      }
      await this.deps.timeline.record(row.id, {
        kind: 'page.failed',
        actor: 'system',
        summary: 'Nobody paged: the escalation policy of this incident was deleted',
        data: { escalationPolicyId: row.escalationPolicyId },
        dedupeKey: `page:${row.id}:${start.getTime()}:no-policy`,
      });
      await store.setNextPage(row.id, null, seen);
      return;
    }
    const { due, next } = dueLevels(plan, start, now, await this.deps.pages.ofEscalation(row.id, start));
    // Claimed right before notifying: an ack (or another pass) since the read wins. Held
    // briefly rather than moved to `next`, so a pass that dies here is retried.
    const held = new Date(now.getTime() + RETRY_FIRST_MS);
    if (!(await store.claimPage(row.id, seen, held))) return;
    let retry: Date | null = null;
    for (const level of due) {
      try {
        await this.page(row, start, level);
      } catch (error) {
        // The other levels still page; this one is tried again later.
        const wait = await this.pageFailed(row, start, `level:${level.level.level}`, `Could not page level ${level.level.level}`, error);
        retry = earliest(retry, new Date(now.getTime() + wait));
      }
    }
    await store.setNextPage(row.id, earliest(next, retry), held);
  }

  /**
   * Records a failed page on the timeline, once per attempt bucket (waits of
   * 30 s, 1, 2, 4, 8 and 15 min; later attempts wait 15 min, unrecorded), and
   * returns how long to wait before the next attempt. The buckets are the
   * timeline's dedupe keys, so the count survives restarts and replicas.
   */
  private async pageFailed(row: IncidentRow, start: Date, scope: string, what: string, error: unknown): Promise<number> {
    this.deps.logger.warn({ err: error, incidentId: row.id, scope }, 'paging failed; retried after a wait');
    // Only our own errors' messages: a driver's error can carry SQL or an address.
    const reason = error instanceof AppError ? error.message : 'unexpected error';
    for (let attempt = 0; ; attempt++) {
      const wait = Math.min(RETRY_FIRST_MS * 2 ** attempt, RETRY_MAX_MS);
      const recorded = await this.deps.timeline.record(row.id, {
        kind: 'page.failed',
        actor: 'system',
        summary: `${what}: ${reason}; trying again in ${wait < MINUTE ? `${wait / 1000} s` : `${wait / MINUTE} min`}`,
        data: { scope, attempt: attempt + 1, reason, retryInSeconds: wait / 1000 },
        dedupeKey: `page:${row.id}:${start.getTime()}:${scope}:failed:${attempt}`,
      });
      if (recorded || wait === RETRY_MAX_MS) return wait;
    }
  }

  /**
   * Pages one level and records it honestly: "Paging …" with each
   * destination's state, since nothing is known to have arrived yet. What came
   * of it is recorded when its deliveries end (PagingOutcomes), at once when
   * none could even be tried.
   */
  private async page(row: IncidentRow, start: Date, { level, at, early, last }: DueLevel): Promise<void> {
    const key = `incident:${row.id}:${start.getTime()}:level:${level.level}`;
    const escalated = level.afterMinutes > 0;
    const result = await this.deps.notify.notify({
      key,
      incidentId: row.id,
      severity: row.severity,
      subject: pageSubject(`${escalated ? 'Escalated: ' : ''}[${row.severity}] `, row.title),
      text: this.message(row, level, early),
      link: `${this.deps.publicUrl}/incidents/${row.id}`,
      targets: level.targets.map(({ type, id }) => ({ type, id })),
      // Rotations as they were when the level fell due: a later pass repeating it after a handoff is then a no-op.
      at,
      // Each recipient may acknowledge from the message itself (ack-links.ts).
      ack: { urlPrefix: ackLinkPrefix(this.deps.publicUrl, row.id), escalationStartedAt: start, expiresAt: new Date(at.getTime() + ACK_LINK_TTL_MS) },
    });
    const page = await this.deps.pages.insert({
      incidentId: row.id,
      startedAt: start,
      level: level.level,
      notificationId: result.notificationId,
      afterMinutes: level.afterMinutes,
      early,
      last,
      targets: level.targets,
      pagedAt: this.deps.clock(),
    });
    const names = level.targets.map((t) => t.name).join(', ');
    await this.deps.timeline.record(row.id, {
      kind: escalated ? 'escalation' : 'page',
      actor: 'system',
      summary: !escalated
        ? `Paging ${names}`
        : early
          ? `Escalating to ${names} now: nobody at the level before could be reached`
          : `Escalating to ${names}: not acknowledged after ${level.afterMinutes} min`,
      data: {
        level: level.level,
        afterMinutes: level.afterMinutes,
        early,
        targets: level.targets,
        notificationId: result.notificationId,
        deliveries: result.deliveries.map((d) => ({ target: d.target, recipient: d.recipient, means: d.means, state: d.state, reason: d.lastError })),
      },
      dedupeKey: key,
    });
    // The page went out: an outcome that cannot be recorded now is the clock loop's to record, not a failed page.
    await this.deps.settle(page).catch((error: unknown) => this.deps.logger.warn({ err: error, incidentId: row.id, level: level.level }, 'could not record a paging outcome yet'));
  }

  private message(row: IncidentRow, level: PlanLevel, early: boolean): string {
    const lines = [`${row.severity} incident: ${clip(row.title, TEXT_TITLE_MAX)}`];
    if (row.service) lines.push(`Service: ${row.service}`);
    if (row.procedureTitle) lines.push(`Runbook: ${row.procedureTitle} (${row.runbookSlug} v${row.runbookVersion})`);
    if (early) lines.push('Nobody at the escalation level before yours could be reached; you are the next escalation level.');
    else if (level.afterMinutes > 0) lines.push(`Not acknowledged ${level.afterMinutes} min after it was triggered; you are the next escalation level.`);
    lines.push(`Acknowledge by ${hhmm(row.ackDueAt)} (${row.responseMinutes} min), resolve by ${hhmm(row.resolveDueAt)} (${row.resolutionMinutes} min).`);
    lines.push(`Open it: ${this.deps.publicUrl}/incidents/${row.id}`);
    return lines.join('\n');
  }

  /** One at a time, in order, off the caller's path; a failure is reported, never thrown at the caller. */
  private background(work: () => Promise<void>, onError: (error: unknown) => void): void {
    this.work.add(work, onError);
  }

  private failed(incidentId: string, error: unknown): void {
    // The bookmark did not move, or moved no further than the claim's hold: a later pass tries again.
    this.deps.logger.warn({ err: error, incidentId }, 'paging failed; a later pass retries it');
  }
}

/**
 * The levels due by `now`: those whose time has come, and the one after a
 * level that reached nobody (due when that level's outcome was recorded, so a
 * repeated pass names the same time). `next`: when the first level not due yet is.
 */
export function dueLevels(plan: readonly PlanLevel[], start: Date, now: Date, paged: readonly PageRow[]): { due: DueLevel[]; next: Date | null } {
  const byLevel = new Map(paged.map((page) => [page.level, page]));
  const due: DueLevel[] = [];
  let next: Date | null = null;
  plan.forEach((level, index) => {
    const at = new Date(start.getTime() + level.afterMinutes * MINUTE);
    const last = index === plan.length - 1;
    const before = index > 0 ? byLevel.get(plan[index - 1]!.level) : undefined;
    // Still early once its own time has passed: a pass repeating it then must name the same time (rotations).
    if (before?.reached === false && before.settledAt && before.settledAt < at) due.push({ level, at: before.settledAt, early: true, last });
    else if (at <= now) due.push({ level, at, early: false, last });
    else next = earliest(next, at);
  });
  return { due, next };
}

function isDue(row: IncidentRow, now: Date): boolean {
  return row.state === 'triggered' && row.nextPageAt !== null && row.nextPageAt <= now;
}

/** Paging fields for an incident that starts (or starts over) escalating at `now`. */
export function escalationStart(policyId: string | null | undefined, now: Date): { escalationStartedAt: Date; nextPageAt: Date | null } {
  return { escalationStartedAt: now, nextPageAt: policyId ? now : null };
}
