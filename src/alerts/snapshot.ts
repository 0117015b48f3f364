import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events/index.js';
import type { AlertStore, RuleRow, SilenceRow } from './store.js';

/** Published when rules or silences change, so every replica drops its copy at once. */
export const ALERT_CONFIG_EVENT = 'alerts.config_changed';
/** The longest a replica that missed the event (Redis gap) routes by an old copy. */
export const SNAPSHOT_TTL_MS = 10_000;

export interface RoutingView {
  rules: RuleRow[];
  /** Silences active at the time asked for. */
  silences: SilenceRow[];
}

/**
 * Routing rules and silences, kept in memory: every alert needs them and
 * they change a few times a day, so reading them per webhook was most of a
 * receiver's queries. Any change here or on another replica (bus event)
 * drops the copy; a TTL bounds what a lost event can cost. Silences are
 * cached with their windows and filtered by time per call, so one starting
 * later takes effect on time without a reload.
 */
export class RoutingSnapshot {
  private cached: { rules: RuleRow[]; silences: SilenceRow[]; loadedAt: number } | null = null;
  private loading: Promise<{ rules: RuleRow[]; silences: SilenceRow[]; loadedAt: number }> | null = null;
  /** Bumped by every invalidation: a load that began before it must not be kept. */
  private generation = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: AlertStore,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {
    this.unsubscribe = bus.subscribe((event) => {
      if (event.type === ALERT_CONFIG_EVENT) this.invalidate();
    });
  }

  async at(now: Date): Promise<RoutingView> {
    const fresh = this.cached && Date.now() - this.cached.loadedAt < SNAPSHOT_TTL_MS ? this.cached : await this.load();
    return { rules: fresh.rules, silences: fresh.silences.filter((s) => s.startsAt <= now && now < s.endsAt) };
  }

  /** After a change made here: drop the copy here and tell the other replicas. */
  changed(): void {
    this.invalidate();
    this.bus.publish(ALERT_CONFIG_EVENT, {}, { minRole: 'viewer' });
  }

  close(): void {
    this.unsubscribe();
  }

  private invalidate(): void {
    this.generation++;
    this.cached = null;
    this.loading = null;
  }

  private load() {
    if (this.loading) return this.loading;
    const generation = this.generation;
    const loading = (async () => {
      const [rules, silences] = await Promise.all([this.store.rules(), this.store.silencesNotEnded(this.clock())]);
      const snapshot = { rules, silences, loadedAt: Date.now() };
      if (generation === this.generation) this.cached = snapshot;
      return snapshot;
    })();
    this.loading = loading;
    // A failed load is not remembered: the next alert tries again.
    void loading.finally(() => {
      if (this.loading === loading) this.loading = null;
    }).catch(() => {});
    return loading;
  }
}
