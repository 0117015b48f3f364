import { describe, expect, it } from 'vitest';
import { formatAgo, formatDuration } from '../../web/src/common/format.js';
import { runningClocks, slaClock, worstLevel } from '../../web/src/incidents/sla.js';
import { hasRole } from '../../web/src/session/roles.js';
import { readSession, safeNextPath, SESSION_STORAGE_KEY, writeSession, type KeyValueStore, type Session } from '../../web/src/session/storage.js';

const T0 = Date.parse('2024-05-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

describe('SLA clocks on the dashboard', () => {
  // A P1: acknowledge within 15 minutes, resolve within 60.
  const p1 = {
    sla: { responseMinutes: 15, resolutionMinutes: 60, ackDueAt: at(15), resolveDueAt: at(60) },
    acknowledgedAt: null as string | null,
    resolvedAt: null as string | null,
  };

  it('counts down both clocks of an unacknowledged incident, green while more than a quarter is left', () => {
    const clocks = runningClocks(p1, T0 + 5 * 60_000);
    expect(clocks.map((c) => [c.kind, c.level, c.remainingMs, c.fractionLeft])).toEqual([
      ['acknowledge', 'ok', 10 * 60_000, 10 / 15],
      ['resolve', 'ok', 55 * 60_000, 55 / 60],
    ]);
  });

  it('turns amber under 25 % left and red once the due time has passed', () => {
    expect(slaClock('acknowledge', at(15), 15, T0 + 11 * 60_000).level).toBe('ok');
    expect(slaClock('acknowledge', at(15), 15, T0 + 11.26 * 60_000).level).toBe('warning');
    const breached = slaClock('acknowledge', at(15), 15, T0 + 17 * 60_000);
    expect([breached.level, breached.remainingMs, breached.fractionLeft]).toEqual(['breached', -2 * 60_000, 0]);
    expect(slaClock('acknowledge', at(15), 15, T0 + 15 * 60_000).level).toBe('breached');
  });

  it('stops the acknowledge clock at acknowledgement and every clock at resolution', () => {
    expect(runningClocks({ ...p1, acknowledgedAt: at(3) }, T0 + 20 * 60_000).map((c) => c.kind)).toEqual(['resolve']);
    expect(runningClocks({ ...p1, acknowledgedAt: at(3), resolvedAt: at(30) }, T0 + 40 * 60_000)).toEqual([]);
  });

  it('ranks an incident by its worst clock', () => {
    expect(worstLevel(runningClocks(p1, T0 + 16 * 60_000))).toBe('breached');
    expect(worstLevel(runningClocks(p1, T0 + 12 * 60_000))).toBe('warning');
    expect(worstLevel([])).toBe('ok');
  });
});

describe('times in words', () => {
  it('writes durations short and precise', () => {
    expect([45_000, 12 * 60_000 + 3_000, 3600_000 + 5 * 60_000 + 59_000, -5, 0].map(formatDuration)).toEqual([
      '45 s',
      '12 min 03 s',
      '1 h 05 min',
      '0 s',
      '0 s',
    ]);
  });
  it('writes how long ago', () => {
    expect([at(0), at(-4), at(-180), at(-3000)].map((iso) => formatAgo(iso, T0))).toEqual(['just now', '4 min ago', '3 h ago', '2 d ago']);
  });
});

describe('the stored session', () => {
  const store = (): KeyValueStore & { map: Map<string, string> } => {
    const map = new Map<string, string>();
    return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
  };
  const session: Session = {
    token: 'jwt',
    expiresAt: at(60),
    user: { id: 'u', username: 'alice', displayName: null, email: null, role: 'operator', disabled: false, createdAt: at(0), updatedAt: at(0) },
  };

  it('survives a reload until it expires, then is forgotten', () => {
    const storage = store();
    writeSession(storage, session);
    expect(readSession(storage, T0)).toEqual(session);
    // Thirty seconds before expiry counts as expired: a request sent then would fail on the way.
    expect(readSession(storage, T0 + 59.6 * 60_000)).toBeNull();
    expect(storage.map.has(SESSION_STORAGE_KEY)).toBe(false);
  });

  it('ignores what it cannot read', () => {
    for (const stored of ['not json', '{}', '{"token":"","expiresAt":"x","user":{}}', 'null']) {
      const storage = store();
      storage.setItem(SESSION_STORAGE_KEY, stored);
      expect(readSession(storage, T0)).toBeNull();
    }
  });

  it('returns after sign-in only to a path on this site', () => {
    expect(['/incidents/1', '/runbooks?q=x', null, '', 'https://evil.example', '//evil.example', '/\\evil.example', '/signin?next=/x'].map(safeNextPath)).toEqual([
      '/incidents/1',
      '/runbooks?q=x',
      '/',
      '/',
      '/',
      '/',
      '/',
      '/',
    ]);
  });
});

describe('roles', () => {
  it('rank viewer < responder < operator < admin, as the server does', () => {
    expect(hasRole('operator', 'responder')).toBe(true);
    expect(hasRole('responder', 'operator')).toBe(false);
    expect(hasRole('admin', 'admin')).toBe(true);
    expect(hasRole('viewer', 'viewer')).toBe(true);
  });
});
