/**
 * Alert received → first delivery accepted by each channel kind's receiver.
 * A routing rule sends one alertname to a policy whose level 0 is a Teams,
 * Mattermost, Discord, Telegram and ntfy channel and a contact with a phone
 * (texted and called through the sms and voice channels); every alert has
 * its own group, so each opens an incident and pages all seven. One local
 * receiver stands in for every service and notes when each kind's first
 * request for an incident arrived; the latency is from the alert being due
 * to be sent (one clock, this process). Limit: p99 < 1 s per kind.
 *
 * `npm run bench -- channels`; BENCH_CHANNELS_RATE (alerts/s, default 1: 7 deliveries/s) and
 * BENCH_CHANNELS_SECONDS (default 30) change the load.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { AlertStream, webhookBody } from '../alerts/alert-pool.js';
import { paced, percentile } from '../alerts/load.js';
import { checkpoint, cleanup, log, startNexusChild } from '../alerts/processes.js';
import { stopAll } from '../support/lifecycle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LIMIT_MS = 1000;
const ALERTNAME = 'NexusBenchChannels';
const STRAGGLER_WAIT_MS = 15_000;
// The benchmark's own knobs (src/ reads the environment only in platform/config).
const RATE = Number(process.env.BENCH_CHANNELS_RATE ?? 1);
const SECONDS = Number(process.env.BENCH_CHANNELS_SECONDS ?? 30);
const ADMIN_PASSWORD = `bench-admin-${randomBytes(12).toString('base64url')}`;

/** Which kind a request is, by the path each channel below posts to. */
const KIND_BY_PATH: Array<[RegExp, string]> = [
  [/^\/teams\//, 'teams'],
  [/^\/mattermost\//, 'mattermost'],
  [/^\/discord\//, 'discord'],
  [/^\/telegram\//, 'telegram'],
  [/^\/ntfy\//, 'ntfy'],
  [/\/Messages\.json$/, 'sms'],
  [/\/Calls\.json$/, 'voice'],
];
const KINDS = KIND_BY_PATH.map(([, kind]) => kind);
const INCIDENT = /incidents\/([0-9a-f-]{36})/;

async function call(base: string, auth: string | null, method: string, route: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The receiver: first arrival per (kind, incident). */
async function startReceiver() {
  const arrived = new Map<string, Map<string, number>>(KINDS.map((kind) => [kind, new Map()]));
  const server = http.createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const kind = KIND_BY_PATH.find(([pattern]) => pattern.test(req.url ?? ''))?.[1];
      const body = decodeURIComponent(Buffer.concat(chunks).toString('utf8').replace(/\+/g, ' '));
      const incident = INCIDENT.exec(body)?.[1];
      if (kind && incident && !arrived.get(kind)!.has(incident)) arrived.get(kind)!.set(incident, at);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    arrived,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** Channels, contact, policy and routing rule through the API, as an admin would set them up. */
async function configure(base: string, auth: string, receiver: string): Promise<void> {
  const ids: string[] = [];
  const channel = async (body: Record<string, unknown>) => ids.push((await call(base, auth, 'POST', '/api/v1/channels', body)).id as string);
  await channel({ name: 'bench-teams', kind: 'teams', url: `${receiver}/teams/hook` });
  await channel({ name: 'bench-mattermost', kind: 'mattermost', url: `${receiver}/mattermost/hooks/x` });
  await channel({ name: 'bench-discord', kind: 'discord', url: `${receiver}/discord/webhooks/1/x` });
  await channel({ name: 'bench-telegram', kind: 'telegram', url: `${receiver}/telegram`, secret: '123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0', settings: { chatId: '42' } });
  await channel({ name: 'bench-ntfy', kind: 'ntfy', url: `${receiver}/ntfy/bench` });
  const twilio = { url: `${receiver}/twilio`, secret: 'twilio-auth-token-0123456789abcdef', settings: { accountSid: 'ACbench', from: '+14155550100' } };
  await call(base, auth, 'POST', '/api/v1/channels', { name: 'bench-sms', kind: 'sms', ...twilio });
  await call(base, auth, 'POST', '/api/v1/channels', { name: 'bench-voice', kind: 'voice', ...twilio });
  const contact = await call(base, auth, 'POST', '/api/v1/contacts', { name: 'Bench Phone', phone: '+14155550123' });
  await call(base, auth, 'POST', '/api/v1/escalation-policies', {
    name: 'bench-channels',
    levels: [{ delay: 0, targets: [...ids.map((id) => ({ type: 'channel', id })), { type: 'contact', id: contact.id }] }],
  });
  await call(base, auth, 'POST', '/api/v1/routing-rules', {
    name: 'Bench channels',
    position: 0,
    matchers: [{ name: 'alertname', op: '=', value: ALERTNAME }],
    severity: 'P1',
    escalationPolicy: 'bench-channels',
  });
}

async function main(): Promise<number> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-bench-channels-'));
  const receiver = await startReceiver();
  try {
    log(`starting NEXUS (embedded PGlite), ${RATE} alerts/s for ${SECONDS} s, each paging 7 channel deliveries`);
    const { url } = await startNexusChild(
      'nexus',
      ROOT,
      { NEXUS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', JWT_SECRET_KEY: randomBytes(48).toString('base64url'), NEXUS_ADMIN_PASSWORD: ADMIN_PASSWORD, HOST: '127.0.0.1', PORT: '0' },
      90_000,
    );
    await checkpoint();
    const login = await call(url, null, 'POST', '/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    const adminAuth = `Bearer ${login.token as string}`;
    const token = await call(url, adminAuth, 'POST', '/api/v1/tokens', { name: 'bench-alertmanager', role: 'responder' });
    await configure(url, adminAuth, receiver.url);

    const total = Math.round(RATE * SECONDS);
    const stream = new AlertStream({ cluster: 'bench-channels', groups: total, perPayload: 1, newShare: 0, alertnames: [ALERTNAME] });
    const sentAt = new Map<string, number>();
    await paced({
      url: `${url}/api/v1/alerts/alertmanager`,
      headers: { authorization: `Bearer ${token.token as string}` },
      rate: RATE,
      seconds: SECONDS,
      connections: 10,
      body: () => webhookBody(stream.batch()),
      onResponse: (_index, status, text, due) => {
        const id = status === 200 ? (JSON.parse(text) as { incidents: string[] }).incidents[0] : undefined;
        if (id) sentAt.set(id, due);
      },
    });
    const complete = () => KINDS.every((kind) => [...sentAt.keys()].every((id) => receiver.arrived.get(kind)!.has(id)));
    const deadline = performance.now() + STRAGGLER_WAIT_MS;
    while (!complete() && performance.now() < deadline && !stopAll.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 50));

    const load = os.loadavg().map((v) => v.toFixed(1)).join(' ');
    console.log(`\nalert received → first delivery accepted by the channel's receiver (${sentAt.size} incidents, ${RATE} alerts/s; load average ${load} on ${os.cpus().length} CPUs)`);
    console.log(`${'kind'.padEnd(11)}${'n'.padStart(5)}${'missing'.padStart(9)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}  limit p99 < ${LIMIT_MS} ms`);
    let within = true;
    for (const kind of KINDS) {
      const arrived = receiver.arrived.get(kind)!;
      const latencies = [...sentAt].flatMap(([id, due]) => (arrived.has(id) ? [arrived.get(id)! - due] : []));
      const missing = sentAt.size - latencies.length;
      const p99 = percentile(latencies, 0.99);
      const ok = missing === 0 && p99 < LIMIT_MS;
      within &&= ok;
      const fmt = (v: number) => (latencies.length ? v.toFixed(0) : '-').padStart(9);
      console.log(
        `${kind.padEnd(11)}${String(latencies.length).padStart(5)}${String(missing).padStart(9)}${fmt(percentile(latencies, 0.5))}${fmt(percentile(latencies, 0.95))}${fmt(p99)}${fmt(Math.max(...latencies))}  ${ok ? 'within' : 'OVER'}`,
      );
    }
    console.log(within ? `every kind within the limit (p99 < ${LIMIT_MS} ms)` : `NOT every kind within the limit (p99 < ${LIMIT_MS} ms, nothing missing)`);
    return 0;
  } finally {
    await receiver.close();
    await cleanup();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error);
  return 1;
});
