import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, hasRole, type Role, type RouteAccess } from '../../src/platform/auth/roles.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { enrolledRunner } from '../runners/support.js';

/**
 * The access every route must have. A route added to NEXUS without an entry
 * here fails this suite: someone has to decide, in review, who may call it.
 */
const EXPECTED_ACCESS: Record<string, RouteAccess> = {
  'GET /health': 'public',
  'GET /api/health': 'public',
  'GET /metrics': 'public',
  // The web console: index.html and its assets; the data behind it needs a token.
  'GET /*': 'public',
  'POST /api/v1/auth/login': 'public',
  'GET /api/v1/me': 'viewer',
  'PATCH /api/v1/me': 'viewer',
  'POST /api/v1/me/password': 'viewer',
  'GET /api/v1/users': 'admin',
  'POST /api/v1/users': 'admin',
  'GET /api/v1/users/:id': 'admin',
  'PATCH /api/v1/users/:id': 'admin',
  'POST /api/v1/users/:id/sessions/revoke': 'admin',
  'GET /api/v1/tokens': 'viewer',
  'POST /api/v1/tokens': 'viewer',
  'DELETE /api/v1/tokens/:id': 'viewer',
  'GET /api/v1/audit': 'admin',
  'POST /api/v1/secrets/rotate': 'admin',
  'GET /api/v1/secrets/rotations': 'admin',
  'GET /api/v1/events': 'viewer',
  'GET /api/v1/runbooks': 'viewer',
  'POST /api/v1/runbooks': 'operator',
  'GET /api/v1/runbooks/:id': 'viewer',
  'GET /api/v1/runbooks/:id/versions': 'viewer',
  'POST /api/v1/runbooks/:id/versions/:version/approve': 'admin',
  'POST /api/v1/runbooks/lint': 'viewer',
  'GET /api/v1/runs': 'viewer',
  'POST /api/v1/runs': 'responder',
  'GET /api/v1/runs/:id': 'viewer',
  'GET /api/v1/runs/:id/steps/:step/output': 'viewer',
  'POST /api/v1/runs/:id/steps/:step/run': 'responder',
  'POST /api/v1/runs/:id/steps/:step/approve': 'responder',
  'POST /api/v1/runs/:id/steps/:step/reject': 'responder',
  'POST /api/v1/runs/:id/steps/:step/cancel': 'responder',
  'POST /api/v1/runs/:id/steps/:step/retry': 'responder',
  'POST /api/v1/runs/:id/steps/:step/skip': 'responder',
  'POST /api/v1/runs/:id/cancel': 'responder',
  'POST /api/v1/runs/:id/checks/:check': 'responder',
  'POST /api/v1/runs/:id/secrets': 'responder',
  'GET /api/v1/schedules': 'viewer',
  'GET /api/v1/schedules/tasks': 'viewer',
  'POST /api/v1/schedules': 'admin',
  'GET /api/v1/schedules/:id': 'viewer',
  'PATCH /api/v1/schedules/:id': 'admin',
  'DELETE /api/v1/schedules/:id': 'admin',
  'POST /api/v1/schedules/:id/enable': 'admin',
  'POST /api/v1/schedules/:id/disable': 'admin',
  'POST /api/v1/schedules/:id/run': 'operator',
  'GET /api/v1/schedules/:id/runs': 'viewer',
  'GET /api/v1/schedules/:id/runs/:runId': 'viewer',
  'GET /api/v1/contacts': 'viewer',
  'POST /api/v1/contacts': 'admin',
  'GET /api/v1/contacts/:id': 'viewer',
  'PATCH /api/v1/contacts/:id': 'admin',
  'DELETE /api/v1/contacts/:id': 'admin',
  'GET /api/v1/channels': 'admin',
  'POST /api/v1/channels': 'admin',
  'GET /api/v1/channels/:id': 'admin',
  'PATCH /api/v1/channels/:id': 'admin',
  'DELETE /api/v1/channels/:id': 'admin',
  'POST /api/v1/channels/:id/test': 'admin',
  'GET /api/v1/rotations': 'viewer',
  'POST /api/v1/rotations': 'operator',
  'GET /api/v1/rotations/:id': 'viewer',
  'PATCH /api/v1/rotations/:id': 'operator',
  'POST /api/v1/rotations/:id/overrides': 'operator',
  'GET /api/v1/rotations/:id/oncall': 'viewer',
  'GET /api/v1/escalation-policies': 'viewer',
  'POST /api/v1/escalation-policies': 'operator',
  'GET /api/v1/escalation-policies/:id': 'viewer',
  'PATCH /api/v1/escalation-policies/:id': 'operator',
  'GET /api/v1/notifications': 'viewer',
  'GET /api/v1/incidents': 'viewer',
  'POST /api/v1/incidents': 'responder',
  'GET /api/v1/postmortems': 'viewer',
  'GET /api/v1/incidents/:id': 'viewer',
  'PATCH /api/v1/incidents/:id': 'responder',
  'POST /api/v1/incidents/:id/ack': 'responder',
  // The signed token in the path is the credential (a page's acknowledge link).
  'GET /api/v1/incidents/:id/ack-link/:token': 'public',
  'POST /api/v1/incidents/:id/ack-link/:token': 'public',
  'POST /api/v1/incidents/:id/mitigate': 'responder',
  'POST /api/v1/incidents/:id/resolve': 'responder',
  'POST /api/v1/incidents/:id/close': 'responder',
  'POST /api/v1/incidents/:id/reopen': 'responder',
  'POST /api/v1/incidents/:id/notes': 'responder',
  'GET /api/v1/incidents/:id/timeline': 'viewer',
  'GET /api/v1/incidents/:id/postmortem': 'viewer',
  'PUT /api/v1/incidents/:id/postmortem': 'responder',
  'GET /api/v1/incidents/:id/postmortem.md': 'viewer',
  'POST /api/v1/incidents/:id/runs': 'responder',
  'POST /api/v1/runners/enrolments': 'admin',
  // The enrolment token in the body is the credential.
  'POST /api/v1/runners/enrol': 'public',
  'GET /api/v1/runners': 'admin',
  'DELETE /api/v1/runners/:id': 'admin',
  // Enrolled runners only: no user credential, whatever its role.
  'GET /api/v1/runners/me': 'runner',
  'POST /api/v1/runners/lease': 'runner',
  'POST /api/v1/runners/steps/:id/heartbeat': 'runner',
  'POST /api/v1/runners/steps/:id/output': 'runner',
  'POST /api/v1/runners/steps/:id/complete': 'runner',
  'POST /api/v1/alerts/alertmanager': 'responder',
  'POST /api/v1/alerts': 'responder',
  'GET /api/v1/alerts': 'viewer',
  'GET /api/v1/routing-rules': 'viewer',
  'POST /api/v1/routing-rules': 'admin',
  'PATCH /api/v1/routing-rules/:id': 'admin',
  'DELETE /api/v1/routing-rules/:id': 'admin',
  'GET /api/v1/silences': 'viewer',
  'POST /api/v1/silences': 'responder',
  'DELETE /api/v1/silences/:id': 'responder',
  'GET /api/v1/deployments': 'viewer',
  'POST /api/v1/deployments': 'operator',
  'GET /api/v1/deployments/:id': 'viewer',
  'POST /api/v1/deployments/:id/promote': 'operator',
  'POST /api/v1/deployments/:id/pause': 'operator',
  'POST /api/v1/deployments/:id/resume': 'operator',
  'POST /api/v1/deployments/:id/abort': 'operator',
  'POST /api/v1/deployments/:id/rollback': 'operator',
  'GET /api/v1/backups': 'viewer',
  'POST /api/v1/backups': 'operator',
  'GET /api/v1/backups/:id': 'viewer',
  'POST /api/v1/backups/:id/verify': 'operator',
  'POST /api/v1/backups/:id/restore': 'admin',
  'POST /api/v1/backups/retention': 'admin',
  'GET /api/v1/maintenance-mode': 'viewer',
  'DELETE /api/v1/maintenance-mode': 'admin',
};

/** Swagger UI's own asset routes: public by design, not part of the API contract. */
const isDocsRoute = (url: string) => url.startsWith('/api/docs');

/** Every user role, nobody, and an enrolled runner with its own credential. */
type Caller = Role | 'anonymous' | 'runner';
const CALLERS: Caller[] = ['anonymous', ...ROLES, 'runner'];

function concretePath(url: string): string {
  // Random ids: an allowed caller gets 404/400, never a real change to shared users.
  return url.replace(/:[A-Za-z]+/g, () => randomUUID()).replace(/\*$/, 'index.html');
}

describe('every route answers every role as declared', () => {
  let t: TestApp;
  let base: string;
  let runnerCredential: string;

  beforeAll(async () => {
    t = await createTestApp('pglite', { start: { listen: true } });
    base = t.server.url;
    runnerCredential = (await enrolledRunner(t, 'route-access', { runner: 'route-access' })).credential;
  });
  afterAll(async () => t?.close());

  it('the registered routes are exactly the expected ones', () => {
    const registered = t.server.routes
      .filter((r) => r.method !== 'HEAD' && !isDocsRoute(r.url))
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(registered).toEqual(Object.keys(EXPECTED_ACCESS).sort());
    for (const route of t.server.routes) {
      if (route.method === 'HEAD' || isDocsRoute(route.url)) continue;
      expect(`${route.method} ${route.url} ${route.access}`).toBe(
        `${route.method} ${route.url} ${EXPECTED_ACCESS[`${route.method} ${route.url}`]}`,
      );
    }
  });

  it('docs routes are public', () => {
    const docs = t.server.routes.filter((r) => isDocsRoute(r.url));
    expect(docs.length).toBeGreaterThan(2);
    for (const route of docs) expect(route.access).toBe('public');
  });

  it('anonymous callers get 401, lower roles (and runners on user routes, users on runner routes) 403, and allowed callers get through', async () => {
    const outcomes: string[] = [];
    const routes = t.server.routes.filter((r) => r.method !== 'HEAD');
    for (const route of routes) {
      for (const caller of CALLERS) {
        const controller = new AbortController();
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (caller === 'runner') headers.authorization = `Bearer ${runnerCredential}`;
        else if (caller !== 'anonymous') headers.authorization = `Bearer ${t.tokens[caller]}`;
        const res = await fetch(base + concretePath(route.url), {
          method: route.method,
          headers,
          // The lease long-poll would wait 25 s for a step that never comes.
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: route.url === '/api/v1/runners/lease' ? '{"waitMs":0}' : '{}' }),
          signal: controller.signal,
        });
        // Streams (SSE) never end: the status line is all this test needs.
        controller.abort();
        const status = res.status;
        let verdict: string;
        const allowed = route.access === 'runner' ? caller === 'runner' : caller !== 'runner' && caller !== 'anonymous' && hasRole(caller, route.access as Role);
        if (route.access === 'public') verdict = status === 401 || status === 403 ? 'WRONG' : 'ok';
        else if (caller === 'anonymous') verdict = status === 401 ? 'ok' : 'WRONG';
        else if (!allowed) verdict = status === 403 ? 'ok' : 'WRONG';
        else verdict = status === 401 || status === 403 || status >= 500 ? 'WRONG' : 'ok';
        outcomes.push(`${verdict} ${route.method} ${route.url} as ${caller} -> ${status}`);
      }
    }
    expect(outcomes.filter((o) => o.startsWith('WRONG'))).toEqual([]);
    // Every caller of every route was tried.
    expect(outcomes.length).toBe(routes.length * CALLERS.length);
    // Allowed callers of POST /api/v1/backups really dump the database (twice, operator and admin).
  }, 240_000);
});
