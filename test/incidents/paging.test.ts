import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/index.js';
import type { Delivery } from '../../src/notify/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { startReceiver, waitFor } from '../notify/support.js';
import { call, fakeClock, openIncident, timeline } from './support.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
interface Page {
  key: string;
  incidentId: string;
  subject: string;
  text: string;
  link: string;
}

/**
 * Paging and escalation through the notify domain, with a clock the test
 * moves: level 0 at trigger, the next level when the response time passes
 * unacknowledged, never twice, and not at all once acknowledged.
 */
describe.each(ENGINES)('paging and escalation on %s', (engine) => {
  const time = fakeClock();
  let t: TestApp;
  let hooks: Receiver;
  let slack: Receiver;
  let policyId: string;

  /** Messages that reached the receiver at `path` for one incident. */
  const messagesAt = (path: string, incidentId: string): Page[] =>
    hooks.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Page).filter((p) => p.incidentId === incidentId);
  /** Pages only, not the acknowledged / resolved announcements. */
  const pagesAt = (path: string, incidentId: string): Page[] =>
    messagesAt(path, incidentId).filter((p) => !/^(Acknowledged|Resolved):/.test(p.subject));
  const settle = async () => {
    await t.server.incidents.pager.idle();
    await t.server.incidents.timeline.idle();
  };
  const deliveries = async (incidentId: string) =>
    (await call<{ items: Delivery[] }>(t, 'viewer', 'GET', `/api/v1/notifications?incidentId=${incidentId}&limit=100`)).body.items;
  const delivered = (incidentId: string, count: number) =>
    waitFor(async () => {
      const rows = await deliveries(incidentId);
      return rows.length === count && rows.every((r) => r.state !== 'queued') ? rows : null;
    }, `${count} deliveries of incident ${incidentId} to settle`);

  beforeAll(async () => {
    hooks = await startReceiver();
    slack = await startReceiver();
    t = await createTestApp(engine, {
      start: { clock: time.clock },
      env: { NEXUS_SLACK_WEBHOOK_URL: `${slack.url}/services/T0/B0/slack-secret-path`, NEXUS_PUBLIC_URL: 'https://nexus.example.com/' },
    });
    const channel = async (name: string) =>
      (await call<{ id: string }>(t, 'admin', 'POST', '/api/v1/channels', { name, kind: 'webhook', url: `${hooks.url}/${name}` })).body.id;
    const [first, manager, always] = [await channel('first'), await channel('manager'), await channel('always')];
    const policy = await call<{ id: string }>(t, 'admin', 'POST', '/api/v1/escalation-policies', {
      name: 'test-paging',
      levels: [
        { delay: 0, targets: [{ type: 'channel', id: first }] },
        { delay: 'response-time', targets: [{ type: 'channel', id: manager }] },
      ],
      always: [{ type: 'channel', id: always }],
    });
    expect(policy.status).toBe(201);
    policyId = policy.body.id;
  });
  afterAll(async () => {
    await t?.close();
    await hooks?.close();
    await slack?.close();
  });

  it('pages level 0 and the always targets at trigger, escalates after the response time, once', async () => {
    const incident = await openIncident(t, { severity: 'P2', title: 'Checkout errors', escalationPolicyId: policyId });
    expect(incident.nextPageAt).not.toBeNull();
    await settle();
    await delivered(incident.id, 2);
    const [page] = pagesAt('/first', incident.id);
    expect(page).toMatchObject({ subject: '[P2] Checkout errors', link: `https://nexus.example.com/incidents/${incident.id}` });
    expect(page!.text).toContain('Acknowledge by');
    expect(pagesAt('/always', incident.id)).toHaveLength(1);
    expect(pagesAt('/manager', incident.id)).toHaveLength(0);
    // The bookmark now points at the manager's level: the P2 response time, 30 minutes after the trigger.
    const waiting = (await call<Incident>(t, 'viewer', 'GET', `/api/v1/incidents/${incident.id}`)).body;
    expect(Date.parse(waiting.nextPageAt!) - Date.parse(waiting.triggeredAt)).toBe(30 * 60_000);

    time.advanceMinutes(29);
    await t.server.incidents.pager.pageDue();
    expect(pagesAt('/manager', incident.id)).toHaveLength(0);

    time.advanceMinutes(2);
    // Two passes at once (two replicas, or the loop and a test) still page once.
    await Promise.all([t.server.incidents.pager.pageDue(), t.server.incidents.pager.pageDue()]);
    await delivered(incident.id, 3);
    await t.server.incidents.pager.pageDue();
    await settle();
    const escalation = pagesAt('/manager', incident.id);
    expect(escalation).toHaveLength(1);
    expect(escalation[0]!.subject).toBe('Escalated: [P2] Checkout errors');
    expect(pagesAt('/first', incident.id)).toHaveLength(1);

    const events = await timeline(t, incident.id);
    const paging = events.filter((e) => e.kind === 'page' || e.kind === 'escalation').map((e) => e.summary);
    expect(paging).toEqual(['Paging first, always', 'Escalating to manager: not acknowledged after 30 min']);
    expect(events.filter((e) => e.kind === 'notification.sent')).toHaveLength(3);
    // Each level's outcome once its receivers accepted the page: who was reached, and how.
    const outcomes = await waitFor(async () => {
      const found = (await timeline(t, incident.id)).filter((e) => e.kind.startsWith('page.'));
      return found.length === 2 ? found.map((e) => [e.kind, e.summary]) : null;
    }, 'both levels to settle');
    expect(outcomes).toEqual([
      ['page.reached', 'Reached first by webhook, always by webhook'],
      ['page.reached', 'Reached manager by webhook'],
    ]);
    // The outcome is on the timeline a moment before the level is marked settled.
    const after = await waitFor(async () => {
      const view = (await call<Incident>(t, 'viewer', 'GET', `/api/v1/incidents/${incident.id}`)).body;
      return view.paging.levels.every((l) => l.settledAt !== null) ? view : null;
    }, 'both levels to be marked settled');
    expect(after.nextPageAt).toBeNull();
    expect(after.paging).toMatchObject({ unreachable: false, reachedAnyone: true });
    expect(after.paging.levels.map((l) => [l.level, l.state, l.early])).toEqual([
      [0, 'reached', false],
      [1, 'reached', false],
    ]);
  });

  it('acknowledging stops escalation; reopening pages from level 0 again', async () => {
    const incident = await openIncident(t, { severity: 'P2', title: 'Slow search', escalationPolicyId: policyId });
    await settle();
    await delivered(incident.id, 2);
    time.advanceMinutes(10);
    expect((await call<Incident>(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/ack`)).body.nextPageAt).toBeNull();
    time.advanceMinutes(40);
    await t.server.incidents.pager.pageDue();
    await settle();
    expect(pagesAt('/manager', incident.id)).toHaveLength(0);
    // The channels of level 0 hear who acknowledged; the manager, never paged, hears nothing.
    await delivered(incident.id, 4);
    expect(messagesAt('/always', incident.id).map((m) => m.subject)).toEqual(['[P2] Slow search', 'Acknowledged: [P2] Slow search']);
    expect(messagesAt('/always', incident.id)[1]!.text).toContain('acknowledged by');

    await call(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/resolve`);
    await settle();
    await delivered(incident.id, 6);
    const reopened = await call<Incident>(t, 'responder', 'PATCH', `/api/v1/incidents/${incident.id}`, { state: 'triggered' });
    expect(reopened.status).toBe(200);
    await settle();
    await delivered(incident.id, 8);
    expect(pagesAt('/first', incident.id)).toHaveLength(2);
    expect(messagesAt('/always', incident.id).map((m) => m.subject)).toEqual([
      '[P2] Slow search',
      'Acknowledged: [P2] Slow search',
      'Resolved: [P2] Slow search',
      '[P2] Slow search',
    ]);
    expect(messagesAt('/manager', incident.id)).toHaveLength(0);
  });

  it('raising the severity of an unacknowledged incident brings its escalation forward', async () => {
    const incident = await openIncident(t, { severity: 'P3', title: 'Disk filling', escalationPolicyId: policyId });
    await settle();
    await delivered(incident.id, 2);
    time.advanceMinutes(20);
    await t.server.incidents.pager.pageDue();
    expect(pagesAt('/manager', incident.id)).toHaveLength(0);
    // P1's response time is 15 minutes: 20 minutes in, the manager is already due.
    await call(t, 'responder', 'PATCH', `/api/v1/incidents/${incident.id}`, { severity: 'P1' });
    await settle();
    await delivered(incident.id, 3);
    expect(pagesAt('/manager', incident.id)).toHaveLength(1);
  });

  it('an alert routed by the default rules pages the default policy: on-call engineer and Slack', async () => {
    const res = await call(t, 'admin', 'POST', '/api/v1/alerts', {
      labels: { alertname: 'NexusHighErrorRate', service: 'nexus-platform', severity: 'P2' },
      annotations: { summary: 'Error rate 7%' },
      status: 'firing',
    });
    expect(res.status).toBeLessThan(300);
    const incident = await waitFor(async () => {
      const list = await call<{ items: Incident[] }>(t, 'viewer', 'GET', '/api/v1/incidents?limit=100');
      return list.body.items.find((i) => i.groupKey !== null && i.severity === 'P2');
    }, 'the alert to open an incident');
    await settle();
    const rows = await delivered(incident.id, 2);
    // The seed's on-call engineer has only a phone, which NEXUS cannot call: logged as skipped, not lost.
    expect(rows.map((r) => [r.channel, r.state]).sort()).toEqual([
      ['phone', 'skipped'],
      ['slack', 'sent'],
    ]);
    await waitFor(() => slack.requests.some((r) => r.body.includes(incident.id)), 'the Slack message');
    await settle();
    const skipped = (await timeline(t, incident.id)).filter((e) => e.kind === 'notification.skipped');
    expect(skipped.map((e) => e.summary)).toEqual(['Not notified: On-Call Engineer by phone (not configured: no sms or voice channel is enabled to text or call phones)']);
  });

  it('refuses a manual incident naming a policy that does not exist', async () => {
    const res = await call<{ error: { message: string } }>(t, 'responder', 'POST', '/api/v1/incidents', {
      title: 'Nobody to page',
      severity: 'P1',
      escalationPolicyId: '00000000-0000-4000-8000-000000000000',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('escalationPolicyId');
  });
});
