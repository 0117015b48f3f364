import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, TimelineEvent } from '../../src/incidents/index.js';
import type { Delivery } from '../../src/notify/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { startReceiver, startSmtp, waitFor } from '../notify/support.js';
import { call, fakeClock, openIncident, timeline } from './support.js';

const PHONE = 'not configured: no sms or voice channel is enabled to text or call phones';
const SLACK = 'not configured: the channel has no webhook URL and NEXUS_SLACK_WEBHOOK_URL is not set';

interface Readiness {
  status: string;
  failing: string[];
  checks: Record<string, { status: string; detail?: string }>;
}

/**
 * Issue 16, point 1: "paged" means someone was reached. Out of the box (no
 * SMTP, no Slack URL, no phone provider) every delivery is skipped; the
 * timeline, the incident and /api/health must say so, and escalation must
 * not wait for the next level's time when a level reached nobody.
 */
describe.each(ENGINES)('who a page reached, on %s', (engine) => {
  const time = fakeClock();
  let t: TestApp;
  let hooks: Awaited<ReturnType<typeof startReceiver>>;
  let defaultPolicy: string;
  const contacts = new Map<string, string>();

  const settle = async () => {
    await t.server.incidents.pager.idle();
    await t.server.incidents.outcomes.idle();
    await t.server.incidents.pager.idle();
    await t.server.incidents.timeline.idle();
  };
  const incident = async (id: string) => (await call<Incident>(t, 'viewer', 'GET', `/api/v1/incidents/${id}`)).body;
  /** The incident once every level paged so far is marked settled (a moment after its outcome is on the timeline). */
  const settledIncident = (id: string) =>
    waitFor(async () => {
      const view = await incident(id);
      return view.paging.levels.every((l) => l.settledAt !== null) ? view : null;
    }, 'every paged level to be settled');
  const paging = async (id: string) =>
    (await timeline(t, id)).filter((e) => e.kind === 'page' || e.kind === 'escalation' || e.kind.startsWith('page.')).map((e) => [e.kind, e.summary]);
  const readiness = async () => {
    const res = await t.inject({ method: 'GET', url: '/api/health' });
    return { status: res.statusCode, body: res.json() as Readiness };
  };
  const policy = async (name: string, level0: Array<{ type: string; id: string }>) => {
    const res = await call<{ id: string }>(t, 'admin', 'POST', '/api/v1/escalation-policies', {
      name,
      levels: [
        { delay: 0, targets: level0 },
        { delay: 'response-time', targets: [{ type: 'contact', id: contacts.get('Escalation Manager')! }] },
      ],
    });
    expect(res.status).toBe(201);
    return res.body.id;
  };

  beforeAll(async () => {
    hooks = await startReceiver();
    t = await createTestApp(engine, { start: { clock: time.clock } });
    const policies = await call<{ items: Array<{ id: string; name: string }> }>(t, 'viewer', 'GET', '/api/v1/escalation-policies');
    defaultPolicy = policies.body.items.find((p) => p.name === 'default')!.id;
    const list = await call<{ items: Array<{ id: string; name: string }> }>(t, 'viewer', 'GET', '/api/v1/contacts?limit=100');
    for (const c of list.body.items) contacts.set(c.name, c.id);
  });
  afterAll(async () => {
    await t?.close();
    await hooks?.close();
  });

  it('out of the box: the timeline says nobody was reached and why, the next level is paged at once, and the incident is flagged', async () => {
    const opened = await openIncident(t, { title: 'Checkout down', severity: 'P1', escalationPolicyId: defaultPolicy });
    await settle();
    expect(await paging(opened.id)).toEqual([
      ['page', 'Paging On-Call Engineer, #nexus-platform-alerts'],
      ['page.unreachable', `Reached nobody: On-Call Engineer by phone — ${PHONE}; #nexus-platform-alerts on Slack — ${SLACK}. Paging the next level now`],
      ['escalation', 'Escalating to Escalation Manager now: nobody at the level before could be reached'],
      ['page.unreachable', `Reached nobody at escalation level 1: Escalation Manager by phone — ${PHONE}. No escalation level is left: nobody was reached for this incident`],
    ]);

    const view = await incident(opened.id);
    // The manager was paged without waiting for the P1 response time; nothing is left to page.
    expect(view.nextPageAt).toBeNull();
    expect(view.paging.unreachable).toBe(true);
    expect(view.paging.reachedAnyone).toBe(false);
    expect(view.paging.levels.map((l) => [l.level, l.state, l.early])).toEqual([
      [0, 'unreached', false],
      [1, 'unreached', true],
    ]);
    expect(view.paging.levels[0]!.notReached).toEqual([
      { name: 'On-Call Engineer', why: [{ how: 'by phone', reason: PHONE }] },
      { name: '#nexus-platform-alerts', why: [{ how: 'on Slack', reason: SLACK }] },
    ]);
    // The list (the dashboard's source) carries the same flag.
    const list = await call<{ items: Incident[] }>(t, 'viewer', 'GET', '/api/v1/incidents?state=triggered&limit=100');
    expect(list.body.items.find((i) => i.id === opened.id)?.paging.unreachable).toBe(true);

    // The delivery log names people and channels, not `channel:<uuid>`.
    const log = await call<{ items: Delivery[] }>(t, 'viewer', 'GET', `/api/v1/notifications?incidentId=${opened.id}`);
    expect(log.body.items.map((d) => [d.recipient, d.means, d.state, d.lastError]).sort()).toEqual([
      ['#nexus-platform-alerts', 'Slack', 'skipped', SLACK],
      ['Escalation Manager', 'phone', 'skipped', PHONE],
      ['On-Call Engineer', 'phone', 'skipped', PHONE],
    ]);
  });

  it('out of the box /api/health says notify is degraded and what is missing, to anyone, without naming channels or addresses', async () => {
    const mail = await call(t, 'admin', 'POST', '/api/v1/channels', { name: 'payroll-war-room', kind: 'email', address: 'payroll-oncall@corp.example' });
    expect(mail.status).toBe(201);
    const { status, body } = await readiness();
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.failing).toEqual(['notify']);
    expect(body.checks.notify).toEqual({
      status: 'degraded',
      detail: `no enabled channel or contact route can deliver, so pages reach nobody: Slack channels: ${SLACK}; e-mail channels: not configured: NEXUS_SMTP_URL is not set; contacts' e-mail: not configured: NEXUS_SMTP_URL is not set; contacts' phone: ${PHONE}`,
    });
    const raw = JSON.stringify(body);
    for (const leak of ['payroll', 'corp.example', '#nexus-platform-alerts']) expect(raw).not.toContain(leak);
  });

  it('with a receiver configured: health is ok, the timeline says who was reached, and escalation waits for its time', async () => {
    const hook = await call<{ id: string }>(t, 'admin', 'POST', '/api/v1/channels', { name: 'ops-webhook', kind: 'webhook', url: `${hooks.url}/ops` });
    expect(hook.status).toBe(201);
    expect((await readiness()).body).toMatchObject({ status: 'ok', failing: [], checks: { notify: { status: 'up' } } });

    const policyId = await policy('webhook-and-phone', [
      { type: 'contact', id: contacts.get('On-Call Engineer')! },
      { type: 'channel', id: hook.body.id },
    ]);
    const opened = await openIncident(t, { title: 'Checkout slow', severity: 'P1', escalationPolicyId: policyId });
    await settle();
    const events = await waitFor(async () => {
      const found = await paging(opened.id);
      return found.length === 2 ? found : null;
    }, 'the level to settle');
    expect(events).toEqual([
      ['page', 'Paging On-Call Engineer, ops-webhook'],
      ['page.reached', `Reached ops-webhook by webhook; not reached: On-Call Engineer by phone — ${PHONE}`],
    ]);
    expect(hooks.requests.filter((r) => r.path === '/ops')).toHaveLength(1);
    const view = await settledIncident(opened.id);
    expect(view.paging).toMatchObject({ unreachable: false, reachedAnyone: true });
    // Somebody was reached: the manager waits for the response time (15 minutes for P1).
    expect(Date.parse(view.nextPageAt!) - Date.parse(view.triggeredAt)).toBe(15 * 60_000);

    time.advanceMinutes(16);
    await t.server.incidents.pager.pageDue();
    await settle();
    expect((await paging(opened.id)).slice(2)).toEqual([
      ['escalation', 'Escalating to Escalation Manager: not acknowledged after 15 min'],
      ['page.unreachable', `Reached nobody at escalation level 1: Escalation Manager by phone — ${PHONE}. No escalation level is left`],
    ]);
    const escalated = await settledIncident(opened.id);
    // The last level reached nobody: flagged, though the first level reached a channel.
    expect(escalated.paging).toMatchObject({ unreachable: true, reachedAnyone: true });
  });

  it('an outcome that settled while nobody listened is recorded by the clock loop, once, however many replicas look', async () => {
    let answer: (status: number) => void = () => {};
    const slow = await startReceiver(() => new Promise<number>((resolve) => (answer = resolve)));
    try {
      const hook = await call<{ id: string }>(t, 'admin', 'POST', '/api/v1/channels', { name: 'slow-webhook', kind: 'webhook', url: `${slow.url}/slow` });
      const policyId = await policy('slow', [{ type: 'channel', id: hook.body.id }]);
      const opened = await openIncident(t, { title: 'Queue backlog', severity: 'P2', escalationPolicyId: policyId });
      await settle();
      await waitFor(() => slow.requests.length === 1, 'the webhook request');
      // Still in flight: nothing to record yet.
      expect(await t.server.incidents.outcomes.settlePending()).toBeGreaterThan(0);
      expect((await incident(opened.id)).paging.levels.map((l) => l.state)).toEqual(['paging']);

      // The process "stops hearing" notify (a crash, a restart) before the receiver answers.
      await t.server.incidents.outcomes.close();
      answer(200);
      const sent = await waitFor(async () => {
        const log = await call<{ items: Delivery[] }>(t, 'viewer', 'GET', `/api/v1/notifications?incidentId=${opened.id}`);
        return log.body.items.every((d) => d.state === 'sent') ? log.body.items : null;
      }, 'the delivery to be sent');
      expect(sent).toHaveLength(1);
      expect((await incident(opened.id)).paging.levels.map((l) => l.state)).toEqual(['paging']);

      // Two replicas' clock loops at once record it once.
      await Promise.all([t.server.incidents.outcomes.settlePending(), t.server.incidents.outcomes.settlePending()]);
      await settle();
      const outcomes: TimelineEvent[] = (await timeline(t, opened.id)).filter((e) => e.kind.startsWith('page.'));
      expect(outcomes.map((e) => e.summary)).toEqual(['Reached slow-webhook by webhook']);
      expect((await settledIncident(opened.id)).paging.levels.map((l) => l.state)).toEqual(['reached']);
    } finally {
      t.server.incidents.outcomes.listen();
      answer(200);
      await slow.close();
    }
  });
});

/**
 * The same default policy with SMTP configured and an e-mail address for the
 * escalation manager only: the first level reaches nobody, the manager is
 * paged at once and reached by e-mail, through a real SMTP server.
 */
describe.each(ENGINES)('a level that reached nobody hands over to one that reaches somebody, on %s', (engine) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp(engine, { env: { NEXUS_SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('pages the escalation manager at once and says by what they were reached', async () => {
    const contacts = await call<{ items: Array<{ id: string; name: string }> }>(t, 'viewer', 'GET', '/api/v1/contacts?limit=100');
    const manager = contacts.body.items.find((c) => c.name === 'Escalation Manager')!;
    expect((await call(t, 'admin', 'PATCH', `/api/v1/contacts/${manager.id}`, { email: 'manager@example.com' })).status).toBe(200);
    const policies = await call<{ items: Array<{ id: string; name: string }> }>(t, 'viewer', 'GET', '/api/v1/escalation-policies');
    const opened = await openIncident(t, { title: 'Payments down', severity: 'P1', escalationPolicyId: policies.body.items.find((p) => p.name === 'default')!.id });

    const events = await waitFor(async () => {
      await t.server.incidents.pager.idle();
      const found = (await timeline(t, opened.id)).filter((e) => e.kind === 'page' || e.kind === 'escalation' || e.kind.startsWith('page.'));
      return found.length === 4 ? found.map((e) => [e.kind, e.summary]) : null;
    }, 'both levels to settle');
    expect(events).toEqual([
      ['page', 'Paging On-Call Engineer, #nexus-platform-alerts'],
      ['page.unreachable', `Reached nobody: On-Call Engineer by phone — ${PHONE}; #nexus-platform-alerts on Slack — ${SLACK}. Paging the next level now`],
      ['escalation', 'Escalating to Escalation Manager now: nobody at the level before could be reached'],
      ['page.reached', 'Reached Escalation Manager by e-mail'],
    ]);
    const [mail] = smtp.mails.filter((m) => m.to.includes('manager@example.com'));
    expect(mail?.subject).toBe('[NEXUS] Escalated: [P1] Payments down');
    expect(mail?.text).toContain('Nobody at the escalation level before yours could be reached; you are the next escalation level.');
    const view = await waitFor(async () => {
      const found = (await call<Incident>(t, 'viewer', 'GET', `/api/v1/incidents/${opened.id}`)).body;
      return found.paging.levels.every((l) => l.settledAt !== null) ? found : null;
    }, 'the levels to be marked settled');
    expect(view.paging).toMatchObject({ unreachable: false, reachedAnyone: true });
    expect(view.paging.levels[1]).toMatchObject({ state: 'reached', early: true, reached: [{ name: 'Escalation Manager', how: ['by e-mail'] }] });
    if (process.env.NEXUS_PRINT_TIMELINE) {
      for (const e of await timeline(t, opened.id)) console.log(`${e.kind.padEnd(22)} ${e.summary}`);
    }
  });
});
