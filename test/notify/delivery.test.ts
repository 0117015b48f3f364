import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_LETTER_QUEUE, DELIVER_QUEUE, NOTIFICATION_EVENTS } from '../../src/notify/index.js';
import type { Delivery } from '../../src/notify/schema.js';
import type { DomainEvent } from '../../src/platform/events/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { startReceiver, startSmtp, waitFor } from './support.js';

const SLACK_PATH = '/services/T0NEXUS/B0NEXUS/slackpathsecret0123';
const WEBHOOK_SECRET = 'webhook-hmac-secret-0123456789';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

describe.each(ENGINES)('notification delivery on %s', (engine) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let slack: Receiver;
  let hook: Receiver;
  /** Per path: the statuses to answer in order (then 200). */
  const script = new Map<string, number[]>();
  const logLines: string[] = [];
  const events: DomainEvent[] = [];
  const ids: Record<string, string> = {};

  const api = async <T>(url: string, role: 'admin' | 'viewer' = 'admin', method: 'GET' | 'POST' = 'GET', payload?: unknown): Promise<T> => {
    const res = await t.inject({ method, url, headers: bearer(t.tokens[role]), ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };
  const log = async (incidentId: string) => (await api<{ items: Delivery[] }>(`/api/v1/notifications?incidentId=${incidentId}`, 'viewer')).items;
  const settled = (incidentId: string, count: number) =>
    waitFor(async () => {
      const rows = await log(incidentId);
      return rows.length === count && rows.every((r) => r.state !== 'queued') ? rows : null;
    }, `${count} deliveries of incident ${incidentId} to settle`);
  const jobsFor = async (queue: string, deliveryId: string) =>
    t.server.db.query<{ state: string }>(`SELECT state FROM pgboss.job WHERE name = $1 AND data->>'deliveryId' = $2`, [queue, deliveryId]);
  const webhookChannel = async (name: string, path: string) => {
    const channel = await api<{ id: string }>('/api/v1/channels', 'admin', 'POST', { name, kind: 'webhook', url: `${hook.url}${path}`, secret: WEBHOOK_SECRET });
    return channel.id;
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    const respond = (_i: number, request: { path: string }) => script.get(request.path)?.shift() ?? 200;
    slack = await startReceiver(respond);
    hook = await startReceiver(respond);
    t = await createTestApp(engine, {
      env: {
        NEXUS_SMTP_URL: smtp.url,
        NEXUS_SMTP_FROM: 'NEXUS Alerts <nexus@example.com>',
        NEXUS_SLACK_WEBHOOK_URL: `${slack.url}${SLACK_PATH}`,
        NEXUS_NOTIFY_RETRY_LIMIT: '2',
        NEXUS_NOTIFY_RETRY_DELAY_SECONDS: '1',
      },
      start: { logger: createLogger('debug', { write: (line: string) => void logLines.push(line) }) },
    });
    t.server.bus.subscribe((event) => {
      if (event.type.startsWith('notification.')) events.push(event);
    });
    const contacts = await api<{ items: Array<{ id: string; name: string }> }>('/api/v1/contacts?limit=500', 'viewer');
    ids.onCall = contacts.items.find((c) => c.name === 'On-Call Engineer')!.id;
    const channels = await api<{ items: Array<{ id: string; name: string }> }>('/api/v1/channels', 'admin');
    ids.slack = channels.items.find((c) => c.name === '#nexus-platform-alerts')!.id;
    const ana = await api<{ id: string }>('/api/v1/contacts', 'admin', 'POST', { name: 'Ana Responder', email: 'Ana@Example.com', slack: '@ana' });
    ids.ana = ana.id;
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([smtp?.close(), slack?.close(), hook?.close()]);
  });

  it('e-mails a contact over SMTP, posts to the Slack webhook, and logs the phone as skipped', async () => {
    const incidentId = randomUUID();
    const result = await t.server.notify.notify({
      key: `incident:${incidentId}:level:0`,
      incidentId,
      subject: 'Critical Service Down',
      text: 'nexus-backend health checks failing',
      severity: 'P1',
      link: `https://nexus.example.com/incidents/${incidentId}`,
      targets: [{ type: 'contact', id: ids.ana! }, { type: 'contact', id: ids.onCall! }, { type: 'channel', id: ids.slack! }],
    });
    expect(result.deliveries.map((d) => `${d.target} ${d.state}`).sort()).toEqual(
      ['email:ana@example.com queued', 'phone:15550123 skipped', `channel:${ids.slack} queued`].sort(),
    );

    const rows = await settled(incidentId, 3);
    const byChannel = Object.fromEntries(rows.map((r) => [r.channel, r]));
    expect(byChannel.email).toMatchObject({ state: 'sent', attempts: 1, via: 'contact:Ana Responder', lastError: null });
    expect(byChannel.slack).toMatchObject({ state: 'sent', attempts: 1, via: 'channel:#nexus-platform-alerts' });
    expect(byChannel.phone).toMatchObject({ state: 'skipped', attempts: 0, lastError: 'not configured: no sms or voice channel is enabled to text or call phones' });

    const mail = await waitFor(() => smtp.mails.find((m) => m.subject.includes('Critical Service Down')), 'the e-mail');
    // nodemailer lower-cases the domain part (it is case-insensitive by RFC 5321); the local part is kept.
    expect(mail.to).toEqual(['Ana@example.com']);
    expect(mail.from).toBe('nexus@example.com');
    expect(mail.auth).toBe('nexus');
    expect(mail.subject).toBe('[NEXUS P1] Critical Service Down');
    expect(mail.headers['x-nexus-delivery']).toBe(byChannel.email!.id);
    expect(mail.text).toBe(
      `nexus-backend health checks failing\n\nOpen in NEXUS: https://nexus.example.com/incidents/${incidentId}\nIncident: ${incidentId}\nDelivery: ${byChannel.email!.id}`,
    );

    const posted = slack.requests.filter((r) => r.body.includes(incidentId));
    expect(posted.map((r) => r.path)).toEqual([SLACK_PATH]);
    expect(JSON.parse(posted[0]!.body)).toEqual({
      text: '[P1] Critical Service Down',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*[P1] Critical Service Down*\nnexus-backend health checks failing' } },
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: 'Paging: Ana Responder (@ana), On-Call Engineer' },
            { type: 'mrkdwn', text: `<https://nexus.example.com/incidents/${incidentId}|Open in NEXUS>` },
          ],
        },
      ],
    });
    // Events are published right after the row is committed; the log can be read a moment before.
    const mine = await waitFor(() => {
      const found = events.filter((e) => (e.data as { incidentId?: string }).incidentId === incidentId);
      return found.length >= 3 ? found : null;
    }, 'three notification events');
    expect(mine.map((e) => `${e.type} ${(e.data as { channel: string }).channel}`).sort()).toEqual(
      [`${NOTIFICATION_EVENTS.sent} email`, `${NOTIFICATION_EVENTS.sent} slack`, `${NOTIFICATION_EVENTS.skipped} phone`].sort(),
    );
  });

  it('pages the delivery log one row at a time without skipping rows that share a timestamp', async () => {
    const incidentId = randomUUID();
    const contacts = await Promise.all(
      ['p1', 'p2', 'p3', 'p4'].map((name) => api<{ id: string }>('/api/v1/contacts', 'admin', 'POST', { name, phone: '+1-555-0100' })),
    );
    await t.server.notify.notify({ key: `incident:${incidentId}:page`, incidentId, subject: 'S', text: 'T', targets: contacts.map((c) => ({ type: 'contact' as const, id: c.id })) });
    // Four contacts, one phone number: one destination. Add e-mail-less contacts with other numbers for four rows.
    const others = await Promise.all(
      ['q1', 'q2', 'q3'].map((name, i) => api<{ id: string }>('/api/v1/contacts', 'admin', 'POST', { name, phone: `+1-555-020${i}` })),
    );
    await t.server.notify.notify({ key: `incident:${incidentId}:page`, incidentId, subject: 'S', text: 'T', targets: others.map((c) => ({ type: 'contact' as const, id: c.id })) });
    const all = await log(incidentId);
    expect(all.map((d) => d.target).sort()).toEqual(['phone:15550100', 'phone:15550200', 'phone:15550201', 'phone:15550202']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Delivery[]; next: string | null } = await api(`/api/v1/notifications?incidentId=${incidentId}&limit=1${cursor ? `&cursor=${cursor}` : ''}`, 'viewer');
      seen.push(...page.items.map((d) => d.id));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(all.map((d) => d.id));
  });

  it('signs generic webhooks with HMAC-SHA256 of the raw body and names the delivery', async () => {
    const channelId = await webhookChannel('signed', '/signed');
    const incidentId = randomUUID();
    await t.server.notify.notify({ key: `incident:${incidentId}:level:0`, incidentId, subject: 'High Error Rate', text: 'error rate 7%', severity: 'P2', targets: [{ type: 'channel', id: channelId }] });
    const [row] = await settled(incidentId, 1);
    expect(row).toMatchObject({ state: 'sent', attempts: 1, channel: 'webhook', target: `channel:${channelId}` });

    const request = hook.requests.find((r) => r.path === '/signed')!;
    const expected = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(request.body).digest('hex')}`;
    expect(request.headers['x-nexus-signature']).toBe(expected);
    expect(request.headers['x-nexus-delivery']).toBe(row!.id);
    expect(request.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(body).toEqual({ key: `incident:${incidentId}:level:0`, incidentId, subject: 'High Error Rate', text: 'error rate 7%', severity: 'P2', link: null, ackUrl: null, sentAt: expect.any(String) });
    expect(Date.parse(body.sentAt as string)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('retries a receiver that answers 500 twice and delivers exactly once on the third attempt', { timeout: 60_000 }, async () => {
    script.set('/flaky', [500, 500]);
    const channelId = await webhookChannel('flaky', '/flaky');
    const incidentId = randomUUID();
    await t.server.notify.notify({ key: `incident:${incidentId}:level:0`, incidentId, subject: 'Flaky', text: 'x', targets: [{ type: 'channel', id: channelId }] });
    const [row] = await settled(incidentId, 1);
    expect(row).toMatchObject({ state: 'sent', attempts: 3, lastError: null });
    expect(hook.requests.filter((r) => r.path === '/flaky').map((r) => r.headers['x-nexus-delivery'])).toEqual([row!.id, row!.id, row!.id]);
    const ofRow = () => events.filter((e) => (e.data as { deliveryId: string }).deliveryId === row!.id);
    await waitFor(() => ofRow().length > 0, 'notification.sent');
    expect(ofRow().map((e) => e.type)).toEqual([NOTIFICATION_EVENTS.sent]);
  });

  it('fails a delivery for good after its retries, dead-letters the job and publishes notification.failed', { timeout: 60_000 }, async () => {
    script.set('/down', [500, 500, 500, 500]);
    const channelId = await webhookChannel('down', '/down');
    const incidentId = randomUUID();
    await t.server.notify.notify({ key: `incident:${incidentId}:level:0`, incidentId, subject: 'Down', text: 'x', targets: [{ type: 'channel', id: channelId }] });
    const [row] = await settled(incidentId, 1);
    expect(row).toMatchObject({ state: 'failed', attempts: 3, lastError: 'receiver answered HTTP 500', sentAt: null });
    expect(hook.requests.filter((r) => r.path === '/down')).toHaveLength(3);
    expect((await jobsFor(DEAD_LETTER_QUEUE, row!.id)).length).toBe(1);
    const failed = await waitFor(() => events.find((e) => e.type === NOTIFICATION_EVENTS.failed && (e.data as { deliveryId: string }).deliveryId === row!.id), 'notification.failed');
    expect(failed.data).toMatchObject({ incidentId, target: `channel:${channelId}`, channel: 'webhook', error: 'receiver answered HTTP 500', attempts: 3 });
  });

  it('sends nothing twice: the same key creates no second job, and a stray job for a sent delivery sends nothing', async () => {
    const channelId = await webhookChannel('once', '/once');
    const incidentId = randomUUID();
    const request = { key: `incident:${incidentId}:level:1`, incidentId, subject: 'Once', text: 'x', targets: [{ type: 'channel' as const, id: channelId }] };
    const first = await t.server.notify.notify(request);
    const second = await t.server.notify.notify(request);
    expect(second.deliveries.map((d) => d.id)).toEqual(first.deliveries.map((d) => d.id));
    const deliveryId = first.deliveries[0]!.id;
    expect(await jobsFor(DELIVER_QUEUE, deliveryId)).toHaveLength(1);
    await settled(incidentId, 1);

    // As if a crash had left a second job for the same row: it must find the row sent and do nothing.
    const stray = (await t.server.jobs.send(DELIVER_QUEUE, { deliveryId }))!;
    t.server.jobs.wake(DELIVER_QUEUE);
    await waitFor(async () => (await t.server.jobs.getJob(DELIVER_QUEUE, stray))?.state === 'completed', 'the stray job to complete');
    expect((await t.server.jobs.getJob(DELIVER_QUEUE, stray))?.output).toEqual({ outcome: 'not-claimed' });
    expect(hook.requests.filter((r) => r.path === '/once')).toHaveLength(1);
    expect((await log(incidentId))[0]).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('puts no secret in API responses, job records, events or logs', async () => {
    const secrets = [SLACK_PATH, 'slackpathsecret0123', WEBHOOK_SECRET, smtp.password];
    const jobs = await t.server.db.query("SELECT data, output FROM pgboss.job WHERE name LIKE 'notify.%'");
    const seen = JSON.stringify([
      await api('/api/v1/notifications?limit=500', 'viewer'),
      await api('/api/v1/channels?limit=500'),
      jobs,
      events,
      await t.server.db.query("SELECT details FROM audit_log WHERE action LIKE 'channel.%'"),
    ]);
    expect(jobs.length).toBeGreaterThan(5);
    expect(logLines.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect(seen).not.toContain(secret);
      expect(logLines.filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});

describe('notification delivery without Slack or SMTP configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => t?.close());

  it('records the default Slack channel and e-mail as skipped: not configured, without a job or an error', async () => {
    const channels = (await t.inject({ method: 'GET', url: '/api/v1/channels', headers: bearer(t.tokens.admin) })).json() as { items: Array<{ id: string }> };
    const contact = (await t.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(t.tokens.admin), payload: { name: 'Mail Only', email: 'm@example.com' } })).json() as { id: string };
    const incidentId = randomUUID();
    const result = await t.server.notify.notify({
      key: `incident:${incidentId}:level:0`,
      incidentId,
      subject: 'S',
      text: 'T',
      targets: [{ type: 'channel', id: channels.items[0]!.id }, { type: 'contact', id: contact.id }],
    });
    expect(result.deliveries.map((d) => [d.channel, d.state, d.lastError])).toEqual([
      ['slack', 'skipped', 'not configured: the channel has no webhook URL and NEXUS_SLACK_WEBHOOK_URL is not set'],
      ['email', 'skipped', 'not configured: NEXUS_SMTP_URL is not set'],
    ]);
    const jobs = await t.server.db.query("SELECT id FROM pgboss.job WHERE name = 'notify.deliver'");
    expect(jobs).toEqual([]);
  });

  it('refuses malformed requests from other services with an InputError', async () => {
    const target = [{ type: 'contact' as const, id: randomUUID() }];
    await expect(t.server.notify.notify({ key: 'bad key!', subject: 's', text: 't', targets: target })).rejects.toThrow(/key must be/);
    await expect(t.server.notify.notify({ key: 'k1', subject: '  ', text: 't', targets: target })).rejects.toThrow(/subject/);
    await expect(t.server.notify.notify({ key: 'k2', subject: 's', text: 't', link: 'javascript:alert(1)', targets: target })).rejects.toThrow(/link/);
    await expect(t.server.notify.notify({ key: 'k3', subject: 's', text: 't', targets: [] })).rejects.toThrow(/targets/);
  });
});
