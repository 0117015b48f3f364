import { bearer, type TestApp } from '../support/app.js';

export const FIRING_END = '0001-01-01T00:00:00Z';

/** One alert of an Alertmanager v4 body, as Alertmanager 0.25 sends it. */
export function amAlert(labels: Record<string, string>, status: 'firing' | 'resolved' = 'firing', fingerprint = `fp-${labels.alertname}-${labels.instance ?? 'a'}`) {
  return {
    status,
    labels,
    annotations: { summary: `${labels.alertname} on ${labels.instance ?? 'a'}` },
    startsAt: '2025-01-01T10:00:00.123456789Z',
    endsAt: status === 'firing' ? FIRING_END : '2025-01-01T10:05:00Z',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
    fingerprint,
  };
}

/** Annotations as Alertmanager passes them: any, a summary or not. */
type AmAlert = Omit<ReturnType<typeof amAlert>, 'annotations'> & { annotations: Record<string, string> };

export function amPayload(groupKey: string, alerts: AmAlert[]) {
  const status = alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved';
  return {
    receiver: 'nexus',
    status,
    alerts,
    groupLabels: { alertname: alerts[0]!.labels.alertname },
    commonLabels: { service: 'nexus-platform' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey,
    truncatedAlerts: 0,
  };
}

export async function post(t: TestApp, url: string, payload: unknown, token = t.tokens.responder) {
  const res = await t.inject({ method: 'POST', url, headers: bearer(token), payload: payload as object });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> & { incidents: string[] } };
}

export async function get<T>(t: TestApp, url: string, role: 'viewer' | 'admin' = 'viewer'): Promise<T> {
  const res = await t.inject({ method: 'GET', url, headers: bearer(t.tokens[role]) });
  if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}
