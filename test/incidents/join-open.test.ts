import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { alert, timeline } from './support.js';

describe.each(ENGINES)('alerts joining open incidents in one call on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('links each group to its open incident, answers which it joined, and leaves groups without one to be opened', async () => {
    const service = t.server.incidents.incidents;
    const { incident } = await service.openOrJoin({ groupKey: 'join-a', title: 'Errors', severity: 'P3', alerts: [alert('ja-1')] });
    const joined = await service.joinOpen([
      { groupKey: 'join-a', severity: 'P3', alerts: [alert('ja-2'), alert('ja-3')] },
      { groupKey: 'join-none', severity: 'P1', alerts: [alert('jn-1')] },
    ]);
    expect([...joined]).toEqual([['join-a', incident.id]]);
    const kinds = (await timeline(t, incident.id)).map((e) => [e.kind, e.data.alertId ?? null]);
    expect(kinds).toEqual([
      ['state', null],
      ['alert.fired', 'ja-1'],
      ['alert.joined', 'ja-2'],
      ['alert.joined', 'ja-3'],
    ]);
    // The incidents side writes only its own tables: marking alert rows is the alerts domain's (ADR 0007).
    expect(await t.server.db.query("SELECT 1 FROM incidents WHERE group_key = 'join-none'")).toEqual([]);
  });

  it('joining again adds nothing; a more severe group raises its incident', async () => {
    const service = t.server.incidents.incidents;
    const { incident } = await service.openOrJoin({ groupKey: 'join-b', title: 'Latency', severity: 'P3', alerts: [alert('jb-1')] });
    await service.joinOpen([{ groupKey: 'join-b', severity: 'P3', alerts: [alert('jb-1')] }]);
    expect((await timeline(t, incident.id)).map((e) => e.kind)).toEqual(['state', 'alert.fired']);
    await service.joinOpen([{ groupKey: 'join-b', severity: 'P1', alerts: [alert('jb-2')] }]);
    expect((await service.get(incident.id)).severity).toBe('P1');
    expect((await timeline(t, incident.id)).map((e) => e.kind)).toEqual(['state', 'alert.fired', 'alert.joined', 'severity']);
  });
});
