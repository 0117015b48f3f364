import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Incident, TimelineEvent } from '../../src/incidents/index.js';
import { pageSubject } from '../../src/incidents/paging.js';
import type { Delivery } from '../../src/notify/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { startReceiver, waitFor } from '../notify/support.js';
import { call, fakeClock, openIncident, timeline } from './support.js';

const MINUTE = 60_000;

describe('page subjects', () => {
  it('keep the prefix whole and cut the title with "…" to 200 characters', () => {
    expect(pageSubject('[P1] ', 'Short')).toBe('[P1] Short');
    const subject = pageSubject('Escalated: [P1] ', 'x'.repeat(300));
    expect(subject).toHaveLength(200);
    expect(subject).toMatch(/^Escalated: \[P1\] x+…$/);
    expect(pageSubject('[P1] ', 'y'.repeat(195))).toBe(`[P1] ${'y'.repeat(195)}`);
    // Never half an emoji.
    const emoji = pageSubject('[P1] ', `${'z'.repeat(193)}🔥🔥🔥`);
    expect(emoji).toBe(`[P1] ${'z'.repeat(193)}…`);
  });
});

/**
 * Defects found in review: long titles never paged (and blocked the queue),
 * escalation after an ack that raced the pass, and a rotation's new on-call
 * person paged late for a level that fell due before the handoff.
 */
describe.each(ENGINES)('paging defects on %s', (engine) => {
  const time = fakeClock();
  let t: TestApp;
  let hooks: Awaited<ReturnType<typeof startReceiver>>;
  let first: string;
  let manager: string;

  const settle = async () => {
    await t.server.incidents.pager.idle();
    await t.server.incidents.timeline.idle();
  };
  const deliveries = async (incidentId: string) =>
    (await call<{ items: Delivery[] }>(t, 'viewer', 'GET', `/api/v1/notifications?incidentId=${incidentId}&limit=100`)).body.items;
  const incident = async (id: string) => (await call<Incident>(t, 'viewer', 'GET', `/api/v1/incidents/${id}`)).body;
  const failures = async (id: string): Promise<TimelineEvent[]> => (await timeline(t, id)).filter((e) => e.kind === 'page.failed');
  /** Level 0 pages `level0`; the manager channel when the response time passes. Each test its own, so spies can tell them apart. */
  const policy = async (name: string, level0: { type: string; id: string }) => {
    const res = await call<{ id: string }>(t, 'admin', 'POST', '/api/v1/escalation-policies', {
      name,
      levels: [
        { delay: 0, targets: [level0] },
        { delay: 'response-time', targets: [{ type: 'channel', id: manager }] },
      ],
    });
    expect(res.status).toBe(201);
    return res.body.id;
  };

  beforeAll(async () => {
    hooks = await startReceiver();
    t = await createTestApp(engine, { start: { clock: time.clock } });
    const channel = async (name: string) =>
      (await call<{ id: string }>(t, 'admin', 'POST', '/api/v1/channels', { name, kind: 'webhook', url: `${hooks.url}/${name}` })).body.id;
    [first, manager] = [await channel('first'), await channel('manager')];
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await t?.close();
    await hooks?.close();
  });

  it('pages, escalates and announces an incident whose title is longer than a subject may be', async () => {
    const policyId = await policy('long-title', { type: 'channel', id: first });
    const title = 'Checkout latency above two seconds in every region; '.repeat(6).slice(0, 300);
    const opened = await openIncident(t, { title, severity: 'P1', escalationPolicyId: policyId });
    await settle();
    const paged = await deliveries(opened.id);
    expect(paged).toHaveLength(1);
    expect(paged[0]!.subject).toHaveLength(200);
    expect(paged[0]!.subject).toMatch(/^\[P1\] Checkout latency .*…$/);

    time.advanceMinutes(16);
    await t.server.incidents.pager.pageDue();
    const escalated = (await deliveries(opened.id)).find((d) => d.channelId === manager);
    expect(escalated?.subject).toMatch(/^Escalated: \[P1\] Checkout latency .*…$/);
    expect(escalated?.subject).toHaveLength(200);
    expect((await incident(opened.id)).nextPageAt).toBeNull();

    await call(t, 'responder', 'POST', `/api/v1/incidents/${opened.id}/ack`);
    await settle();
    const announced = (await deliveries(opened.id)).find((d) => d.subject.startsWith('Acknowledged: '));
    expect(announced?.subject).toMatch(/^Acknowledged: \[P1\] Checkout latency .*…$/);
    expect(announced?.subject).toHaveLength(200);
    const kinds = (await timeline(t, opened.id)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['page', 'escalation']));
    expect(kinds).not.toContain('page.failed');
  });

  it('pages an alert whose summary (its title) has no length limit', async () => {
    const summary = `Disk full on ${'node-'.repeat(400)}`;
    const res = await call(t, 'admin', 'POST', '/api/v1/alerts', {
      labels: { alertname: 'DiskFull', service: 'storage', severity: 'P2' },
      annotations: { summary },
      status: 'firing',
    });
    expect(res.status).toBeLessThan(300);
    const opened = await waitFor(async () => {
      const list = await call<{ items: Incident[] }>(t, 'viewer', 'GET', '/api/v1/incidents?limit=100');
      return list.body.items.find((i) => i.title.startsWith('Disk full on'));
    }, 'the alert to open an incident');
    await settle();
    const paged = await waitFor(async () => {
      const rows = await deliveries(opened.id);
      return rows.length > 0 ? rows : null;
    }, 'the alert incident to be paged');
    for (const row of paged) {
      expect(row.subject.length).toBeLessThanOrEqual(200);
      // Nothing is configured to deliver here, so level 0 reaches nobody and the next level is paged at once.
      expect(row.subject).toMatch(/^(Escalated: )?\[P\d\] Disk full on node-.*…$/);
    }
    expect(await failures(opened.id)).toEqual([]);
  });

  it('a page that keeps failing is recorded once per attempt and waits longer each time instead of holding the queue', async () => {
    const policyId = await policy('failing', { type: 'channel', id: first });
    const notify = t.server.notify.notify.bind(t.server.notify);
    let broken = true;
    vi.spyOn(t.server.notify, 'notify').mockImplementation(async (request) => {
      if (broken && request.subject.includes('Broken pager')) throw new Error('connection reset by 10.0.0.7');
      return notify(request);
    });
    const opened = await openIncident(t, { title: 'Broken pager', severity: 'P1', escalationPolicyId: policyId });
    await settle();
    const failedTimes = async (count: number) =>
      waitFor(async () => {
        const events = await failures(opened.id);
        return events.length === count ? events.map((e) => e.summary) : null;
      }, `${count} page.failed events`);
    /** How far the next attempt is from now, in seconds. */
    const waitingFor = async () => Math.round((Date.parse((await incident(opened.id)).nextPageAt!) - time.clock().getTime()) / 1000);

    // The driver's message stays in the log; the timeline says only that it failed.
    expect(await failedTimes(1)).toEqual(['Could not page level 0: unexpected error; trying again in 30 s']);
    expect(await waitingFor()).toBeGreaterThan(25);
    // Passes within the wait leave it alone: others due are served, nothing more is recorded.
    await t.server.incidents.pager.pageDue();
    await t.server.incidents.pager.pageDue();
    expect(await failures(opened.id)).toHaveLength(1);

    time.advanceMinutes(1);
    await t.server.incidents.pager.pageDue();
    expect((await failedTimes(2))[1]).toBe('Could not page level 0: unexpected error; trying again in 1 min');
    expect(await waitingFor()).toBeGreaterThan(55);
    time.advanceMinutes(1.5);
    await t.server.incidents.pager.pageDue();
    expect((await failedTimes(3))[2]).toBe('Could not page level 0: unexpected error; trying again in 2 min');

    broken = false;
    time.advanceMinutes(3);
    await t.server.incidents.pager.pageDue();
    await settle();
    expect((await deliveries(opened.id)).map((d) => d.channelId)).toEqual([first]);
    const paged = await incident(opened.id);
    // Back on schedule: the manager's level, 15 minutes after the trigger.
    expect(Date.parse(paged.nextPageAt!) - Date.parse(paged.triggeredAt)).toBe(15 * MINUTE);
    expect(await failures(opened.id)).toHaveLength(3);
  });

  it('a failing level waits no longer than the next level is due, and does not stop it', async () => {
    const policyId = await policy('failing-first', { type: 'channel', id: first });
    const notify = t.server.notify.notify.bind(t.server.notify);
    vi.spyOn(t.server.notify, 'notify').mockImplementation(async (request) => {
      if (request.subject === '[P1] First level broken') throw new Error('connection reset');
      return notify(request);
    });
    const opened = await openIncident(t, { title: 'First level broken', severity: 'P1', escalationPolicyId: policyId });
    await settle();
    // Attempts 2 to 8, each just after the wait before it; 8 minutes from the
    // 5th would pass the manager's level (15 min), so that wait is cut short.
    for (const wait of [0.5, 1, 2, 4, 15 - 7.9, 15, 15]) {
      time.advanceMinutes(wait + 0.1);
      await t.server.incidents.pager.pageDue();
      const row = await incident(opened.id);
      if (wait === 4) expect(Date.parse(row.nextPageAt!) - Date.parse(row.triggeredAt)).toBe(15 * MINUTE);
    }
    await settle();
    const failed = await failures(opened.id);
    // One per bucket (30 s … 15 min), none for repeats at the cap.
    expect(failed.map((e) => e.summary.replace(/^.*trying again in /, ''))).toEqual(['30 s', '1 min', '2 min', '4 min', '8 min', '15 min']);
    // The manager's level fell due meanwhile and was paged although level 0 still fails.
    expect((await deliveries(opened.id)).map((d) => d.channelId)).toEqual([manager]);
  });

  it('an acknowledgement that lands while a pass is under way stops the escalation', async () => {
    const policyId = await policy('ack-race', { type: 'channel', id: first });
    const opened = await openIncident(t, { title: 'Ack race', severity: 'P1', escalationPolicyId: policyId });
    await settle();
    expect(await deliveries(opened.id)).toHaveLength(1);
    const plan = t.server.notify.planEscalation.bind(t.server.notify);
    let acked = false;
    vi.spyOn(t.server.notify, 'planEscalation').mockImplementation(async (id, input) => {
      // The responder acknowledges after the pass read the incident as triggered, before it pages.
      if (id === policyId && !acked) {
        acked = true;
        const ack = await call<Incident>(t, 'responder', 'POST', `/api/v1/incidents/${opened.id}/ack`);
        expect(ack.body.state).toBe('acknowledged');
      }
      return plan(id, input);
    });
    time.advanceMinutes(16);
    await t.server.incidents.pager.pageDue();
    await settle();
    expect(acked).toBe(true);
    expect((await deliveries(opened.id)).filter((d) => d.channelId === manager)).toEqual([]);
    expect((await timeline(t, opened.id)).filter((e) => e.kind === 'escalation')).toEqual([]);
  });

  it('a level repeated after a rotation handoff pages nobody new', async () => {
    const contact = async (name: string) =>
      (await call<{ id: string }>(t, 'admin', 'POST', '/api/v1/contacts', { name, email: `${name.toLowerCase()}@example.com` })).body.id;
    const [alice, bob] = [await contact('Alice'), await contact('Bob')];
    // Weekly handoffs, the next in under 10 minutes: the incident triggers in Alice's shift and escalates in Bob's.
    const handoff = new Date(time.clock().getTime() + 10 * MINUTE);
    const rotation = await call<{ id: string }>(t, 'admin', 'POST', '/api/v1/rotations', {
      name: 'handoff-soon',
      members: [alice, bob],
      handoffWeekday: handoff.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' }).toLowerCase(),
      handoffTime: handoff.toISOString().slice(11, 16),
      timezone: 'UTC',
      startDate: new Date(handoff.getTime() - 7 * 24 * 60 * MINUTE).toISOString().slice(0, 10),
    });
    expect(rotation.status).toBe(201);
    const policyId = await policy('rotation', { type: 'rotation', id: rotation.body.id });
    const opened = await openIncident(t, { title: 'Handoff', severity: 'P1', escalationPolicyId: policyId });
    await settle();
    // Alice's e-mail cannot be sent (no SMTP here): she is not reached, so the manager's level is paged at once.
    expect((await deliveries(opened.id)).map((d) => d.target).sort()).toEqual([`channel:${manager}`, 'email:alice@example.com']);

    time.advanceMinutes(16);
    expect((await t.server.notify.onCallAt(rotation.body.id, time.clock())).contact?.name).toBe('Bob');
    await t.server.incidents.pager.pageDue();
    await settle();
    expect((await deliveries(opened.id)).map((d) => d.target).sort()).toEqual([`channel:${manager}`, 'email:alice@example.com']);
  });
});
