import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, RoutingRule, Silence } from '../../src/alerts/index.js';
import type { Incident } from '../../src/incidents/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { amAlert, amPayload, get, post } from './support.js';

const AM = '/api/v1/alerts/alertmanager';

describe.each(ENGINES)('routing rules and silences on %s', (engine) => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    t = await createTestApp(engine, { start: { listen: true, logger: createLogger('info', sink) } });
  });
  afterAll(async () => t?.close());

  const rules = async () => (await get<{ items: RoutingRule[] }>(t, '/api/v1/routing-rules')).items;
  const alertBy = async (fingerprint: string) => (await get<{ items: Alert[] }>(t, `/api/v1/alerts?fingerprint=${fingerprint}`)).items[0]!;

  it('the first start creates the seed-symptom rules, once, in match order', async () => {
    const names = (await rules()).map((r) => [r.name, r.severity, r.runbook?.procedureId ?? null, r.escalationPolicy]);
    expect(names).toEqual([
      ['Critical Service Down', 'P1', 'p1-critical-service-down', 'default'],
      ['High Error Rate', 'P2', 'p2-high-error-rate', 'default'],
      ['Performance Degradation', 'P3', 'p3-performance-degradation', 'default'],
      // The catch-all leaves the priority to the alert's own severity label, and names no procedure.
      ['Other alerts', null, null, 'default'],
    ]);
    expect(await t.server.alerts.routing.ensureDefaults()).toBe(null);
    expect(await rules()).toHaveLength(4);
  });

  it('an incident opened by a default rule carries the default escalation policy', async () => {
    const res = await post(t, AM, amPayload('{}:{policy}', [amAlert({ alertname: 'NexusHighCPU' }, 'firing', 'cpu-1')]));
    const incident = await get<Incident>(t, `/api/v1/incidents/${res.body.incidents[0]}`);
    const policies = await get<{ items: Array<{ id: string; name: string }> }>(t, '/api/v1/escalation-policies');
    expect(incident.escalationPolicyId).toBe(policies.items.find((p) => p.name === 'default')!.id);
  });

  it('admins add, change and delete rules; an earlier position wins; a bad regex is a 400', async () => {
    const admin = bearer(t.tokens.admin);
    const bad = await t.inject({ method: 'POST', url: '/api/v1/routing-rules', headers: admin, payload: { name: 'bad', matchers: [{ name: 'team', op: '=~', value: '(' }], severity: 'P1' } });
    expect(bad.statusCode).toBe(400);
    expect(json<{ error: { message: string } }>(bad).error.message).toContain('body/matchers/0/value');
    const denied = await t.inject({ method: 'POST', url: '/api/v1/routing-rules', headers: bearer(t.tokens.operator), payload: { name: 'x', matchers: [], severity: 'P1' } });
    expect(denied.statusCode).toBe(403);

    const created = await t.inject({
      method: 'POST',
      url: '/api/v1/routing-rules',
      headers: admin,
      payload: { name: 'Security', position: 0, matchers: [{ name: 'team', op: '=', value: 'sec' }, { name: 'env', op: '!~', value: 'dev|test' }], severity: 'P1', category: 'security', title: 'Security alert' },
    });
    expect(created.statusCode).toBe(201);
    const rule = json<RoutingRule>(created);
    expect((await rules())[0]!.id).toBe(rule.id);
    const dup = await t.inject({ method: 'POST', url: '/api/v1/routing-rules', headers: admin, payload: { name: 'Security', matchers: [], severity: 'P3' } });
    expect(dup.statusCode).toBe(409);

    // NexusHighCPU would be P3 by default; the earlier security rule wins.
    const prod = await post(t, AM, amPayload('{}:{sec}', [amAlert({ alertname: 'NexusHighCPU', team: 'sec', env: 'prod' }, 'firing', 'sec-prod')]));
    expect(await get<Incident>(t, `/api/v1/incidents/${prod.body.incidents[0]}`)).toMatchObject({ severity: 'P1', category: 'security', title: 'Security alert' });
    await post(t, AM, amPayload('{}:{sec-dev}', [amAlert({ alertname: 'NexusHighCPU', team: 'sec', env: 'dev' }, 'firing', 'sec-dev')]));
    expect((await alertBy('sec-dev')).severity).toBe('P3');

    const patched = await t.inject({ method: 'PATCH', url: `/api/v1/routing-rules/${rule.id}`, headers: admin, payload: { severity: 'P2', runbook: { slug: 'nexus-platform', procedureId: 'p2-high-error-rate' } } });
    expect(json<RoutingRule>(patched)).toMatchObject({ severity: 'P2', runbook: { slug: 'nexus-platform', procedureId: 'p2-high-error-rate' }, name: 'Security' });
    expect((await t.inject({ method: 'DELETE', url: `/api/v1/routing-rules/${rule.id}`, headers: admin })).statusCode).toBe(204);
    expect((await t.inject({ method: 'DELETE', url: `/api/v1/routing-rules/${rule.id}`, headers: admin })).statusCode).toBe(404);
    expect((await rules()).map((r) => r.name)).not.toContain('Security');
  });

  it('an active silence stores the alert with silencedBy and pages nobody; expiring it pages on the next delivery', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/silences',
      headers: bearer(t.tokens.responder),
      payload: { kind: 'maintenance', matchers: [{ name: 'alertname', op: '=', value: 'NexusHighLatencyP95' }], endsAt: new Date(Date.now() + 3600_000).toISOString(), comment: 'DB upgrade' },
    });
    expect(res.statusCode).toBe(201);
    const silence = json<Silence>(res);
    expect(silence).toMatchObject({ kind: 'maintenance', active: true, createdBy: 'responder-user', comment: 'DB upgrade' });

    const payload = amPayload('{}:{latency}', [amAlert({ alertname: 'NexusHighLatencyP95' }, 'firing', 'lat-1')]);
    const silenced = await post(t, AM, payload);
    expect(silenced.body).toMatchObject({ received: 1, silenced: 1, incidents: [] });
    expect(await alertBy('lat-1')).toMatchObject({ silencedBy: silence.id, incidentId: null, severity: 'P3' });
    const openLatency = (await get<{ items: Incident[] }>(t, '/api/v1/incidents?state=triggered')).items.filter((i) => i.groupKey === '{}:{latency}');
    expect(openLatency).toEqual([]);

    expect((await t.inject({ method: 'DELETE', url: `/api/v1/silences/${silence.id}`, headers: bearer(t.tokens.responder) })).statusCode).toBe(204);
    const listed = await get<{ items: Silence[] }>(t, '/api/v1/silences');
    expect(listed.items.find((s) => s.id === silence.id)!.active).toBe(false);
    expect((await get<{ items: Silence[] }>(t, '/api/v1/silences?active=true')).items.map((s) => s.id)).not.toContain(silence.id);
    const paged = await post(t, AM, payload);
    expect(paged.body).toMatchObject({ silenced: 0 });
    expect(paged.body.incidents).toHaveLength(1);
    expect(await alertBy('lat-1')).toMatchObject({ silencedBy: null, incidentId: paged.body.incidents[0], count: 2 });
  });

  it('silences need an end in the future and valid matchers; viewers cannot create them', async () => {
    const make = (payload: object, token = t.tokens.responder) => t.inject({ method: 'POST', url: '/api/v1/silences', headers: bearer(token), payload });
    const end = new Date(Date.now() + 60_000).toISOString();
    expect((await make({ matchers: [{ name: 'a', op: '=', value: 'b' }], endsAt: new Date(Date.now() - 1000).toISOString(), comment: 'x' })).statusCode).toBe(400);
    expect((await make({ matchers: [], endsAt: end, comment: 'x' })).statusCode).toBe(400);
    expect((await make({ matchers: [{ name: 'a', op: '=~', value: '[' }], endsAt: end, comment: 'x' })).statusCode).toBe(400);
    expect((await make({ matchers: [{ name: 'a', op: '=', value: 'b' }], endsAt: end, comment: 'x' }, t.tokens.viewer)).statusCode).toBe(403);
  });

  it('a receiver token in the URL (?token=) works, only on the receivers, and never reaches the log', async () => {
    const created = await t.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(t.tokens.responder), payload: { name: 'alertmanager-prod', role: 'responder' } });
    const { token } = json<{ token: string }>(created);
    const body = JSON.stringify(amPayload('{}:{url-token}', [amAlert({ alertname: 'UrlToken' }, 'firing', 'url-1')]));
    const headers = { 'content-type': 'application/json' };
    const ok = await fetch(`${t.server.url}${AM}?token=${token}`, { method: 'POST', headers, body });
    expect(ok.status).toBe(200);
    const generic = await fetch(`${t.server.url}/api/v1/alerts?token=${token}`, { method: 'POST', headers, body: JSON.stringify({ labels: { alertname: 'UrlToken2' } }) });
    expect(generic.status).toBe(200);
    // Anywhere else a token in the URL is not a credential.
    expect((await fetch(`${t.server.url}/api/v1/alerts?token=${token}`)).status).toBe(401);
    expect((await fetch(`${t.server.url}${AM}?token=nxs_wrong`, { method: 'POST', headers, body })).status).toBe(401);
    expect((await alertBy('url-1')).status).toBe('firing');
    const log = lines.join('');
    expect(log).toContain('/api/v1/alerts/alertmanager?token=[redacted]');
    expect(log).not.toContain(token);
  });
});
