import { afterEach, describe, expect, it } from 'vitest';
import { createEventBus, type EventBus } from '../platform/events/index.js';
import { createLogger } from '../platform/logger.js';
import { ALERT_CONFIG_EVENT, RoutingSnapshot } from './snapshot.js';
import type { AlertStore, RuleRow, SilenceRow } from './store.js';

const T0 = new Date('2026-01-01T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

function silence(id: string, startsAt: Date, endsAt: Date): SilenceRow {
  return { id, kind: 'silence', matchers: [], startsAt, endsAt, comment: '', createdBy: 'test', createdAt: T0 };
}

/** A store that counts its reads; what it returns is changed by the test between calls. */
function countingStore() {
  const state = { rules: [] as RuleRow[], silences: [] as SilenceRow[], reads: 0 };
  const store = {
    rules: async () => {
      state.reads++;
      return state.rules;
    },
    silencesNotEnded: async () => state.silences,
  } as unknown as AlertStore;
  return { state, store };
}

describe('routing snapshot', () => {
  let bus: EventBus;
  afterEach(async () => bus?.close());

  it('reads rules and silences once for many alerts, and again after a change anywhere', async () => {
    bus = createEventBus({ logger: createLogger('silent') });
    const { state, store } = countingStore();
    const snapshot = new RoutingSnapshot(store, bus, () => T0);
    await Promise.all([snapshot.at(T0), snapshot.at(T0), snapshot.at(T0)]);
    await snapshot.at(T0);
    expect(state.reads).toBe(1);

    // A change made here, then one announced by another replica: each drops the copy.
    snapshot.changed();
    await snapshot.at(T0);
    expect(state.reads).toBe(2);
    bus.publish(ALERT_CONFIG_EVENT, {});
    await snapshot.at(T0);
    expect(state.reads).toBe(3);
    snapshot.close();
  });

  it('applies a silence from its start to its end without a reload', async () => {
    bus = createEventBus({ logger: createLogger('silent') });
    const { state, store } = countingStore();
    state.silences = [silence('later', minutes(10), minutes(20))];
    const snapshot = new RoutingSnapshot(store, bus, () => T0);
    expect((await snapshot.at(T0)).silences).toEqual([]);
    expect((await snapshot.at(minutes(10))).silences.map((s) => s.id)).toEqual(['later']);
    expect((await snapshot.at(minutes(20))).silences).toEqual([]);
    expect(state.reads).toBe(1);
    snapshot.close();
  });

  it('does not keep a load that a change overtook', async () => {
    bus = createEventBus({ logger: createLogger('silent') });
    const { state, store } = countingStore();
    const snapshot = new RoutingSnapshot(store, bus, () => T0);
    const stale = snapshot.at(T0);
    snapshot.changed();
    await stale;
    await snapshot.at(T0);
    expect(state.reads).toBe(2);
    snapshot.close();
  });
});
