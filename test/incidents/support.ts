import type { Role } from '../../src/platform/auth/roles.js';
import type { Incident, TimelineEvent } from '../../src/incidents/index.js';
import { bearer, type TestApp } from '../support/app.js';

export async function call<T = unknown>(t: TestApp, role: Role, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) {
  const res = await t.inject({ method, url, headers: bearer(t.tokens[role]), ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.json() as T, raw: res };
}

export async function openIncident(t: TestApp, body: Record<string, unknown> = {}): Promise<Incident> {
  const res = await call<Incident>(t, 'responder', 'POST', '/api/v1/incidents', { title: 'API errors', severity: 'P1', ...body });
  if (res.status !== 201) throw new Error(`creating the incident failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function timeline(t: TestApp, id: string): Promise<TimelineEvent[]> {
  await t.server.incidents.timeline.idle();
  const res = await call<{ items: TimelineEvent[] }>(t, 'viewer', 'GET', `/api/v1/incidents/${id}/timeline?limit=500`);
  return res.body.items;
}

export function alert(id: string, summary = `alert ${id}`) {
  return { id, fingerprint: `fp-${id}`, labels: { alertname: 'HighErrorRate', service: 'api' }, summary };
}

/**
 * A clock the test moves forward by hand. It keeps ticking with real time
 * between jumps because the same clock signs and checks session tokens,
 * which a frozen clock would make look replayed.
 */
export function fakeClock() {
  let offset = 0;
  return {
    clock: () => new Date(Date.now() + offset),
    advanceMinutes: (minutes: number) => {
      offset += minutes * 60_000;
    },
  };
}
