import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { startReceiver, waitFor } from '../notify/support.js';
import { call, fakeClock, openIncident, timeline } from './support.js';

const PUBLIC = 'https://nexus.example.test';
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/**
 * Acknowledging from a page: the signed link each delivery carries. GET only
 * shows a page (chat apps and mail scanners prefetch links); POST
 * acknowledges once, as the recipient, audited. Every way to misuse a link
 * is refused with a 4xx and changes nothing.
 */
describe.each(ENGINES)('acknowledge links on %s', (engine) => {
  const time = fakeClock();
  const logLines: string[] = [];
  let t: TestApp;
  let hooks: Receiver;
  let policyId: string;

  /** Opens a P1 that pages the webhook, and returns it with the link its page carried. */
  const paged = async (title: string): Promise<{ incident: Incident; ackUrl: string; path: string }> => {
    const incident = await openIncident(t, { severity: 'P1', title, escalationPolicyId: policyId });
    await t.server.incidents.pager.idle();
    const page = await waitFor(
      () => hooks.requests.map((r) => JSON.parse(r.body) as { incidentId: string; ackUrl: string | null }).find((p) => p.incidentId === incident.id && p.ackUrl),
      `the page of ${title}`,
    );
    return { incident, ackUrl: page.ackUrl!, path: page.ackUrl!.slice(PUBLIC.length) };
  };
  const state = async (id: string) => (await t.server.incidents.incidents.get(id)).state;
  const post = (path: string, init: { payload?: string; contentType?: string } = {}) =>
    t.inject({ method: 'POST', url: path, ...(init.payload !== undefined ? { payload: init.payload } : {}), headers: init.contentType ? { 'content-type': init.contentType } : {} });

  beforeAll(async () => {
    hooks = await startReceiver();
    t = await createTestApp(engine, {
      start: { clock: time.clock, logger: createLogger('info', { write: (line: string) => void logLines.push(line) }) },
      env: { NEXUS_PUBLIC_URL: PUBLIC },
    });
    const channel = await call<{ id: string }>(t, 'admin', 'POST', '/api/v1/channels', { name: 'ops-hook', kind: 'webhook', url: `${hooks.url}/ops` });
    const policy = await call<{ id: string }>(t, 'admin', 'POST', '/api/v1/escalation-policies', {
      name: 'ack-links',
      levels: [{ delay: 0, targets: [{ type: 'channel', id: channel.body.id }] }],
    });
    policyId = policy.body.id;
  });
  afterAll(async () => {
    await t?.close();
    await hooks?.close();
  });

  it('GET shows a confirmation page that posts, and acknowledges nothing', async () => {
    const { incident, ackUrl, path } = await paged('Prefetched by a chat app');
    expect(ackUrl).toMatch(new RegExp(`^${PUBLIC.replace(/\./g, '\\.')}/api/v1/incidents/${incident.id}/ack-link/[A-Za-z0-9_-]{82}$`));
    const res = await t.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.body).toContain('<form method="post"><button type="submit">Acknowledge</button></form>');
    expect(res.body).toContain('[P1] Prefetched by a chat app');
    expect(await state(incident.id)).toBe('triggered');
  });

  it('POST acknowledges without a login, as the channel it was sent to, audited and on the timeline; a second use is refused', async () => {
    const { incident, path } = await paged('Acknowledged from ntfy');
    const res = await post(path);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ acknowledged: true, actor: 'ops-hook via ack link', incident: { id: incident.id, state: 'acknowledged' } });
    const events = await timeline(t, incident.id);
    expect(events.find((e) => e.kind === 'state' && e.summary === 'triggered → acknowledged by ops-hook via ack link')).toBeDefined();
    const audit = await call<{ items: Array<{ actor: string; action: string; target: string; outcome: string; details: Record<string, unknown> }> }>(
      t,
      'admin',
      'GET',
      `/api/v1/audit?action=incident.ack_link&target=${incident.id}`,
    );
    expect(audit.body.items).toEqual([
      expect.objectContaining({ actor: 'ops-hook via ack link', action: 'incident.ack_link', target: incident.id, outcome: 'success', details: expect.objectContaining({ via: 'ack link', channel: 'webhook' }) }),
    ]);

    const again = await post(path);
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ error: { code: 'ack_link_used' } });
    expect((await timeline(t, incident.id)).length).toBe(events.length);
  });

  it('refuses a forged or altered token, and a token of another incident, with 404 and no change', async () => {
    const a = await paged('Incident A');
    const b = await paged('Incident B');
    const token = a.path.split('/').pop()!;
    const flipped = `${token.slice(0, 40)}${token[40] === 'A' ? 'B' : 'A'}${token.slice(41)}`;
    for (const path of [
      `/api/v1/incidents/${a.incident.id}/ack-link/${flipped}`,
      `/api/v1/incidents/${a.incident.id}/ack-link/${'A'.repeat(82)}`,
      `/api/v1/incidents/${b.incident.id}/ack-link/${token}`,
    ]) {
      const res = await post(path);
      expect(res.statusCode, path).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'ack_link_invalid' } });
    }
    expect(await state(a.incident.id)).toBe('triggered');
    expect(await state(b.incident.id)).toBe('triggered');
    const refused = await call<{ items: Array<{ actor: string; outcome: string }> }>(t, 'admin', 'GET', `/api/v1/audit?action=incident.ack_link&target=${b.incident.id}`);
    expect(refused.body.items).toEqual([expect.objectContaining({ actor: 'anonymous', outcome: 'rejected' })]);
  });

  it('refuses the link of a resolved incident (409) and of an escalation before a reopen (410)', async () => {
    const { incident, path } = await paged('Resolved before anyone looked');
    expect((await call(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/resolve`, {})).status).toBe(200);
    const res = await post(path);
    expect(res.statusCode).toBe(409);
    expect(await state(incident.id)).toBe('resolved');

    expect((await call(t, 'responder', 'PATCH', `/api/v1/incidents/${incident.id}`, { state: 'triggered' })).status).toBe(200);
    const stale = await post(path);
    expect(stale.statusCode).toBe(410);
    expect(stale.json()).toMatchObject({ error: { code: 'ack_link_stale' } });
    expect(await state(incident.id)).toBe('triggered');
  });

  it('answers a phone call\'s "press 1" in TwiML: another key changes nothing, 1 acknowledges', async () => {
    const { incident, path } = await paged('Called at night');
    const twilio = 'application/x-www-form-urlencoded';
    const other = await post(path, { payload: 'CallSid=CA123&Digits=2&AccountSid=AC1&From=%2B14155550100', contentType: twilio });
    expect(other.statusCode).toBe(200);
    expect(other.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(other.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say>Not acknowledged. Goodbye.</Say></Response>');
    expect(await state(incident.id)).toBe('triggered');
    const one = await post(path, { payload: 'CallSid=CA123&Digits=1&AccountSid=AC1', contentType: twilio });
    expect(one.statusCode).toBe(200);
    expect(one.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say>Acknowledged. Escalation has stopped. Goodbye.</Say></Response>');
    expect(await state(incident.id)).toBe('acknowledged');
  });

  it('answers the confirmation page\'s button with a page', async () => {
    const { incident, path } = await paged('Acknowledged in a browser');
    const res = await post(path, { payload: '', contentType: 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<h1>Acknowledged</h1>');
    expect(await state(incident.id)).toBe('acknowledged');
  });

  it('writes no token to the logs', () => {
    const tokens = hooks.requests.map((r) => (JSON.parse(r.body) as { ackUrl: string | null }).ackUrl?.split('/').pop()).filter(Boolean);
    expect(tokens.length).toBeGreaterThan(5);
    expect(logLines.some((line) => line.includes('/ack-link/[redacted]'))).toBe(true);
    for (const token of tokens) expect(logLines.filter((line) => line.includes(token!))).toEqual([]);
  });

  // Last: moving the clock a day on expires the test's sessions too.
  it('refuses an expired link with 410 and no change', async () => {
    const { incident, path } = await paged('Nobody looked for a day');
    time.advanceMinutes(24 * 60 + 1);
    const res = await post(path);
    expect(res.statusCode).toBe(410);
    expect(res.json()).toMatchObject({ error: { code: 'ack_link_expired' } });
    expect(await state(incident.id)).toBe('triggered');
  });
});
