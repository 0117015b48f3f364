/**
 * Alert received → first notification delivered. A routing rule sends one
 * alertname to an escalation policy whose level 0 is a webhook channel
 * pointing at a receiver in this process; every alert has its own group, so
 * each opens a new incident and pages. Per incident: the time from the alert
 * being due to be sent to its webhook arriving here (one clock).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { AlertStream, webhookBody } from './alert-pool.js';
import { paced, type LoadResult } from './load.js';
import { stopAll } from './processes.js';

const ALERTNAME = 'NexusBenchPaging';
/** How long a notification may still arrive after the last alert was sent. */
const STRAGGLER_WAIT_MS = 10_000;

export interface PagingResult {
  load: LoadResult;
  /** ms per incident that was paged. */
  latencies: number[];
  incidents: number;
  /** Incidents whose notification never arrived (within STRAGGLER_WAIT_MS). */
  missing: number;
  /** Answers that named no incident (the alert did not page). */
  unrouted: number;
}

async function call(base: string, auth: string, method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: auth },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Channel, policy and rule through the API, as an admin would set them up. */
async function routeToWebhook(base: string, adminAuth: string, hookUrl: string, cluster: string): Promise<void> {
  const channel = await call(base, adminAuth, 'POST', '/api/v1/channels', { name: `bench-pager-${cluster}`, kind: 'webhook', url: hookUrl });
  const policy = `bench-paging-${cluster}`;
  await call(base, adminAuth, 'POST', '/api/v1/escalation-policies', {
    name: policy,
    levels: [{ delay: 0, targets: [{ type: 'channel', id: channel.id }] }],
  });
  await call(base, adminAuth, 'POST', '/api/v1/routing-rules', {
    name: `Bench paging ${cluster}`,
    position: 0,
    matchers: [
      { name: 'alertname', op: '=', value: ALERTNAME },
      { name: 'cluster', op: '=', value: cluster },
    ],
    severity: 'P1',
    escalationPolicy: policy,
  });
}

export interface PagingOptions {
  url: string;
  adminAuth: string;
  receiverAuth: string;
  cluster: string;
  rate: number;
  seconds: number;
}

export async function measurePaging(options: PagingOptions): Promise<PagingResult> {
  const arrived = new Map<string, number>();
  const receiver = http.createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const { incidentId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { incidentId?: string };
        if (incidentId && !arrived.has(incidentId)) arrived.set(incidentId, at);
      } catch {
        // Not a NEXUS webhook body: nothing to match.
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const port = (receiver.address() as AddressInfo).port;
    await routeToWebhook(options.url, options.adminAuth, `http://127.0.0.1:${port}/nexus`, options.cluster);

    // One alert per group and as many groups as alerts: every alert opens its own incident.
    const total = Math.round(options.rate * options.seconds);
    const stream = new AlertStream({ cluster: options.cluster, groups: total, perPayload: 1, newShare: 0, alertnames: [ALERTNAME] });
    const sentAt = new Map<string, number>();
    let unrouted = 0;
    const load = await paced({
      url: `${options.url}/api/v1/alerts/alertmanager`,
      headers: { authorization: options.receiverAuth },
      rate: options.rate,
      seconds: options.seconds,
      connections: 10,
      body: () => webhookBody(stream.batch()),
      onResponse: (_index, status, text, due) => {
        const id = status === 200 ? (JSON.parse(text) as { incidents: string[] }).incidents[0] : undefined;
        if (id) sentAt.set(id, due);
        else unrouted += 1;
      },
    });
    const deadline = performance.now() + STRAGGLER_WAIT_MS;
    while ([...sentAt.keys()].some((id) => !arrived.has(id)) && performance.now() < deadline && !stopAll.signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const latencies = [...sentAt].flatMap(([id, due]) => (arrived.has(id) ? [arrived.get(id)! - due] : []));
    return { load, latencies, incidents: sentAt.size, missing: sentAt.size - latencies.length, unrouted };
  } finally {
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}
