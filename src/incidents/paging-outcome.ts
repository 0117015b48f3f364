import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events/index.js';
import type { Logger } from '../platform/logger.js';
import { NOTIFICATION_EVENTS, type DestinationOutcome, type NotifyModule } from '../notify/index.js';
import type { IncidentStore } from './incident-store.js';
import type { PageRow, PageStore } from './page-store.js';
import type { ReachedRecipient, UnreachedRecipient } from './schema.js';
import { INCIDENT_EVENT, type Timeline } from './timeline.js';
import { toIncident, type LevelOutcome } from './views.js';
import { SerialWork } from '../platform/serial-work.js';

/** Unsettled levels looked at per pass of the clock loop. */
const PASS_LIMIT = 100;
const HEARD = new Set<string>(Object.values(NOTIFICATION_EVENTS));

export interface PagingOutcomeDeps {
  pages: PageStore;
  store: Pick<IncidentStore, 'get'>;
  timeline: Timeline;
  notify: Pick<NotifyModule, 'outcome'>;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  /** The pager's `kick`: the next level is due now. */
  kick(incidentId: string): void;
}

const unique = (values: string[]) => [...new Set(values)];

/**
 * Destinations grouped by who they reach (a contact's e-mail and phone are one
 * person), in the order the level names its targets (`targetIds`); people
 * reached through a rotation come after.
 */
export function levelOutcome(destinations: readonly DestinationOutcome[], targetIds: readonly string[]): Omit<LevelOutcome, 'summary'> {
  const rank = (d: DestinationOutcome) => {
    const index = targetIds.findIndex((id) => id === d.contactId || id === d.channelId);
    return index === -1 ? targetIds.length : index;
  };
  const byRecipient = new Map<string, DestinationOutcome[]>();
  for (const d of [...destinations].sort((a, b) => rank(a) - rank(b))) {
    const key = d.contactId ?? d.channelId ?? d.recipient;
    byRecipient.set(key, [...(byRecipient.get(key) ?? []), d]);
  }
  const reached: ReachedRecipient[] = [];
  const notReached: UnreachedRecipient[] = [];
  for (const group of byRecipient.values()) {
    const name = group[0]!.recipient;
    const sent = group.filter((d) => d.state === 'sent');
    if (sent.length > 0) reached.push({ name, how: unique(sent.map((d) => d.how)) });
    else notReached.push({ name, why: group.map((d) => ({ how: d.how, reason: d.reason ?? d.state })) });
  }
  return { reached, notReached };
}

const reachedText = (r: ReachedRecipient) => `${r.name} ${r.how.join(' and ')}`;
const notReachedText = (r: UnreachedRecipient) => `${r.name} ${r.why.map((w) => `${w.how} — ${w.reason}`).join(', ')}`;

/**
 * Records what came of each paged level once all its deliveries have an end:
 * who was reached ("Reached On-Call Engineer by e-mail"), who was not and why.
 * A level that reached nobody is loud (`page.unreachable`) and brings the next
 * level forward: it is paged now rather than at its time.
 *
 * Durable and idempotent: the outcome is computed from the delivery log (the
 * notify domain's record of truth), the timeline event has a dedupe key, and
 * the level is marked settled with a compare-and-set, so a crash, a restart or
 * two replicas record each outcome once. Notify's bus events are only the fast
 * path; the clock loop's `settlePending` finds what nobody heard.
 */
export class PagingOutcomes {
  private readonly work = new SerialWork();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: PagingOutcomeDeps) {}

  /** Hears notify's delivery events; the level whose last delivery ended settles at once. */
  listen(): void {
    this.unsubscribe = this.deps.bus.subscribe((event) => {
      if (!HEARD.has(event.type)) return;
      const { notificationId, incidentId } = (event.data ?? {}) as { notificationId?: unknown; incidentId?: unknown };
      if (typeof notificationId !== 'string' || typeof incidentId !== 'string') return;
      this.work.add(
        () => this.settleNotification(notificationId),
        (error) => this.deps.logger.warn({ err: error, notificationId }, 'could not record a paging outcome; the clock loop retries'),
      );
    });
  }

  async settleNotification(notificationId: string): Promise<void> {
    for (const page of await this.deps.pages.byNotification(notificationId)) await this.settle(page);
  }

  /** One pass over levels not settled yet (the clock loop); how many it looked at. */
  async settlePending(): Promise<number> {
    const pages = await this.deps.pages.unsettled(PASS_LIMIT);
    for (const page of pages) {
      await this.settle(page).catch((error: unknown) =>
        this.deps.logger.warn({ err: error, incidentId: page.incidentId, level: page.level }, 'could not record a paging outcome; the next pass retries'),
      );
    }
    return pages.length;
  }

  /** Records the level's outcome if every delivery has ended and nobody recorded it yet. */
  async settle(page: PageRow): Promise<void> {
    if (page.settledAt) return;
    const { pages, store, timeline, notify, clock } = this.deps;
    const outcome = await notify.outcome(page.notificationId);
    if (outcome && !outcome.settled) return;
    const targetIds = (page.targets as Array<{ id: string }>).map((target) => target.id);
    const { reached, notReached } = levelOutcome(outcome?.destinations ?? [], targetIds);
    const incident = await store.get(page.incidentId);
    if (!incident) return;
    const escalating = incident.state === 'triggered' && incident.escalationStartedAt?.getTime() === page.startedAt.getTime();
    const others = (await pages.ofEscalation(page.incidentId, page.startedAt)).filter((p) => p.level !== page.level);
    const summary = this.summary(page, reached, notReached, { escalating, reachedBefore: others.some((p) => p.reached === true) });
    const nobody = reached.length === 0;
    // The event first: were the process to die after it, the next pass repeats it under the same key, and settles.
    await timeline.record(page.incidentId, {
      kind: nobody ? 'page.unreachable' : 'page.reached',
      actor: 'system',
      summary,
      data: { level: page.level, notificationId: page.notificationId, reached, notReached, last: page.last },
      dedupeKey: `page:${page.incidentId}:${page.startedAt.getTime()}:level:${page.level}:outcome`,
    });
    const detail: LevelOutcome = { summary, reached, notReached };
    const result = await pages.settle(page, clock(), { reached: !nobody, detail, bringForward: nobody && !page.last });
    if (!result.settled) return;
    if (result.broughtForward) this.deps.kick(page.incidentId);
    const fresh = await store.get(page.incidentId);
    if (fresh) this.deps.bus.publish(INCIDENT_EVENT.updated, toIncident(fresh, await pages.ofEscalation(fresh.id, fresh.escalationStartedAt ?? fresh.triggeredAt)));
  }

  private summary(page: PageRow, reached: ReachedRecipient[], notReached: UnreachedRecipient[], context: { escalating: boolean; reachedBefore: boolean }): string {
    const missed = notReached.map(notReachedText).join('; ');
    if (reached.length > 0) return `Reached ${reached.map(reachedText).join(', ')}${missed ? `; not reached: ${missed}` : ''}`;
    const nobody = `Reached nobody${page.level > 0 ? ` at escalation level ${page.level}` : ''}: ${missed || 'nothing could be sent'}`;
    if (!page.last) return context.escalating ? `${nobody}. Paging the next level now` : nobody;
    return `${nobody}. No escalation level is left${context.reachedBefore ? '' : ': nobody was reached for this incident'}`;
  }

  /** Resolves once every outcome heard so far is handled (tests, shutdown). */
  idle(): Promise<void> {
    return this.work.idle();
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    await this.idle();
  }
}
