/**
 * HTTP benchmark: NEXUS's admin user listing, requested as a browser does,
 * against a bare Fastify hello-world (the ceiling on this machine) and bare
 * Fastify sending NEXUS's own page from memory (the floor), compressed as
 * NEXUS sends it and not; each served from its own process while autocannon
 * runs here, taking turns in rounds.
 *
 *   npm run bench            (all benchmarks)
 *   npx tsx bench/http/run.ts
 *
 * Reports; never asserts: it exits 0 whether or not the ratio meets the
 * target, and non-zero only when the measurement itself is broken.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import pg from 'pg';
import { benchLog, checkpoint, cleanup, isInterrupted, onCleanup, stopAll } from '../support/lifecycle.js';
import { nexusNodeFlags, serverArgs } from '../support/node-flags.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// test/support resolves its template paths against the working directory.
process.chdir(ROOT);

const CONNECTIONS = 50;
/**
 * Every server runs at once (an idle one costs nothing) and the targets take
 * turns: ROUNDS rounds of ROUND_SECONDS each, after one warm-up turn each.
 * This machine's speed drifts by half within a minute (the hello-world has
 * measured 30k and 50k req/s a minute apart), so back-to-back 10 s runs
 * compared NEXUS with a different machine; turns of 2 s put every target on
 * the same machine, and the ratio is taken per round.
 */
const ROUNDS = 8;
const ROUND_SECONDS = 2;
const WARMUP_SECONDS = 2;
const SEEDED_USERS = 1_000;
const TARGET_RATIO = 0.5;
const START_TIMEOUT_MS = 60_000;

/**
 * What NEXUS's clients send: the console's browser this, the CLI's fetch
 * "gzip, deflate". NEXUS answers lists of 1 KB and more compressed, so the
 * measured list requests send it, like every real client of the list; the
 * ceiling's answer is too small to compress anyway. NEXUS is also measured
 * without it (autocannon's default, a client NEXUS does not have), beside
 * its own floor, for the record.
 */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

const ADMIN_PASSWORD = `bench-admin-${randomBytes(12).toString('base64url')}`;
const JWT_SECRET_KEY = randomBytes(48).toString('base64url');

// --- cleanup, also on Ctrl-C ------------------------------------------------

let running: autocannon.Instance | undefined;
stopAll.signal.addEventListener('abort', () => running?.stop());

const log = benchLog('http');

// --- child servers ------------------------------------------------------------

interface ChildServer {
  url: string;
  stop(): Promise<void>;
}

/** Runs `script` with tsx in its own process and waits for its `LISTENING <url>` line. */
async function startChild(name: string, script: string, env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, serverArgs(ROOT, script), {
    cwd: ROOT,
    // Only what the server needs: a developer's own NEXUS variables must not leak in.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', ...env },
    // stdin stays open: the child stops itself when it closes (this process died).
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  onCleanup(`stop ${name}`, stop);

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const listening = /^LISTENING (\S+)$/.exec(line);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]!);
      } else if (line.trim()) {
        process.stderr.write(`[${name}] ${line}\n`);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? `code ${code}`}) before it was listening`));
    });
  });
  return { url, stop };
}

// --- load ---------------------------------------------------------------------

interface Target {
  label: string;
  url: string;
  headers: Record<string, string>;
  /** After its turn: waits until the server has answered what it still had queued. */
  drain?: () => Promise<unknown>;
}

interface Turn {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

interface Row {
  label: string;
  turns: Turn[];
}

function fire(url: string, headers: Record<string, string>, duration: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    running = autocannon({ url, connections: CONNECTIONS, duration, headers }, (error: unknown, result) => {
      running = undefined;
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(result);
    });
  });
}

async function turn(target: Target, seconds: number): Promise<Turn> {
  const result = await fire(target.url, target.headers, seconds);
  // autocannon hangs up when its time is over; the next target must not pay for this one's queue.
  await target.drain?.();
  await checkpoint();
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** One warm-up turn each, then ROUNDS rounds in which every target takes one turn, in the same order. */
async function measureInRounds(targets: Target[]): Promise<Row[]> {
  log(`warm-up: ${WARMUP_SECONDS} s per target at ${CONNECTIONS} connections`);
  for (const target of targets) await turn(target, WARMUP_SECONDS);
  const rows: Row[] = targets.map((target) => ({ label: target.label, turns: [] }));
  for (let round = 1; round <= ROUNDS; round += 1) {
    log(`round ${round} of ${ROUNDS}: ${ROUND_SECONDS} s per target`);
    for (const [i, target] of targets.entries()) rows[i]!.turns.push(await turn(target, ROUND_SECONDS));
  }
  return rows;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const sum = (row: Row, key: 'ok' | 'non2xx' | 'errors') => row.turns.reduce((total, t) => total + t[key], 0);
const meanRps = (row: Row) => row.turns.reduce((total, t) => total + t.rps, 0) / row.turns.length;
/** Per round: `row`'s req/s over the ceiling's in that same round. */
const roundRatios = (row: Row, ceiling: Row) => row.turns.map((t, i) => t.rps / ceiling.turns[i]!.rps);

/** The response's bytes as they travel (fetch would decompress them), and its Content-Encoding. */
function getRaw(url: string, headers: Record<string, string>): Promise<{ body: Buffer; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`GET ${url}: ${res.statusCode}`));
          else resolve({ body: Buffer.concat(chunks), encoding: res.headers['content-encoding'] });
        });
      })
      .on('error', reject);
  });
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

// --- the run ------------------------------------------------------------------

async function main(): Promise<number> {
  log('preparing the migrated PostgreSQL template (vitest global setup)');
  const { default: globalSetup } = await import('../../test/support/global-setup.js');
  const dropTemplates = await globalSetup();
  onCleanup('drop the template database', dropTemplates);
  await checkpoint();
  const { createPostgresDatabase } = await import('../../test/support/db.js');
  const database = await createPostgresDatabase();
  onCleanup('drop the benchmark database', database.drop);
  await checkpoint();

  log('starting the Fastify hello-world (child process)');
  const hello = await startChild('hello', 'bench/http/hello-server.ts', {});
  await getJson(`${hello.url}/`);

  log('starting NEXUS (child process)');
  const nexus = await startChild('nexus', 'bench/http/nexus-server.ts', {
    DATABASE_URL: database.url,
    LOG_LEVEL: 'warn',
    JWT_SECRET_KEY,
    NEXUS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    HOST: '127.0.0.1',
    PORT: '0',
  });
  await checkpoint();

  // After NEXUS started: its first start creates the admin only into an empty users table.
  log(`seeding ${SEEDED_USERS} users`);
  const sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  try {
    await sql.query(
      `INSERT INTO users (username, role, password_hash)
       SELECT 'bench-user-' || lpad(g::text, 5, '0'), (ARRAY['viewer', 'responder', 'operator', 'admin'])[1 + g % 4], 'bench-not-a-password-hash'
       FROM generate_series(1, $1::int) AS g`,
      [SEEDED_USERS],
    );
    await sql.query('ANALYZE users');
  } finally {
    await sql.end();
  }
  await checkpoint();

  const login = await fetch(`${nexus.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${await login.text()}`);
  const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };

  // The measured responses must be the real thing, not 401s or empty pages.
  for (const limit of [50, 500]) {
    const page = (await getJson(`${nexus.url}/api/v1/users?limit=${limit}`, auth)) as { items: unknown[]; next: string | null };
    if (page.items.length !== limit || !page.next) throw new Error(`GET /api/v1/users?limit=${limit} returned ${page.items.length} items`);
  }

  // The page as NEXUS sends it, for the floor; and as it sends it to a browser, checked to be the same page.
  const browser = { ...auth, 'accept-encoding': BROWSER_ACCEPT_ENCODING };
  const page = await getRaw(`${nexus.url}/api/v1/users?limit=50`, auth);
  const browserPage = await getRaw(`${nexus.url}/api/v1/users?limit=50`, browser);
  const decode = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync }[browserPage.encoding ?? ''] ?? ((bytes: Buffer) => bytes);
  if (!decode(browserPage.body).equals(page.body)) throw new Error(`the page sent as ${browserPage.encoding} does not decode to the page sent uncompressed`);
  const sizeOf = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  log(`NEXUS's page of 50 users: ${sizeOf(page.body.length)}; ${sizeOf(browserPage.body.length)} as sent to a browser (${browserPage.encoding ?? 'not compressed'})`);
  log("starting bare Fastify with NEXUS's page in memory, compressed and not (child processes)");
  const floorServer = async (name: string, body: Buffer, encoding: string | undefined) => {
    const file = path.join(os.tmpdir(), `nexus-bench-page-${process.pid}-${name}`);
    await fs.writeFile(file, body);
    onCleanup(`remove the ${name} page file`, () => fs.rm(file, { force: true }));
    return startChild(`static ${name}`, 'bench/http/static-server.ts', { STATIC_BODY_FILE: file, ...(encoding ? { STATIC_CONTENT_ENCODING: encoding } : {}) });
  };
  const floorBrowser = await floorServer('browser', browserPage.body, browserPage.encoding);
  const floorPlain = await floorServer('plain', page.body, undefined);
  await checkpoint();

  // One more request through NEXUS's pool waits for whatever it still had queued.
  const drainNexus = () => getJson(`${nexus.url}/api/v1/users?limit=1`, auth);
  const encoded = browserPage.encoding ?? 'identity';
  const [ceiling, nexus50, floor, nexusPlain, floorOfPlain, nexus500] = await measureInRounds([
    { label: 'ceiling: bare Fastify hello-world', url: `${hello.url}/`, headers: {} },
    { label: `NEXUS  GET /api/v1/users?limit=50 (${encoded})`, url: `${nexus.url}/api/v1/users?limit=50`, headers: browser, drain: drainNexus },
    { label: `floor: same ${sizeOf(browserPage.body.length)} page (${encoded}), from memory`, url: `${floorBrowser.url}/`, headers: {} },
    { label: 'NEXUS  same, not compressed (info)', url: `${nexus.url}/api/v1/users?limit=50`, headers: auth, drain: drainNexus },
    { label: `floor: same ${sizeOf(page.body.length)} page, not compressed (info)`, url: `${floorPlain.url}/`, headers: {} },
    { label: `NEXUS  GET /api/v1/users?limit=500 (${encoded}; info)`, url: `${nexus.url}/api/v1/users?limit=500`, headers: browser, drain: drainNexus },
  ]);
  await Promise.all([hello.stop(), nexus.stop(), floorBrowser.stop(), floorPlain.stop()]);

  const rows = [ceiling!, nexus50!, floor!, nexusPlain!, floorOfPlain!, nexus500!];
  const ratios = roundRatios(nexus50!, ceiling!);
  const ratio = median(ratios);
  const medianRatio = (row: Row) => median(roundRatios(row, ceiling!)).toFixed(3);
  const broken = rows.filter((row) => sum(row, 'non2xx') > 0 || sum(row, 'errors') > 0 || sum(row, 'ok') === 0);
  const pad = (text: string, width: number) => text.padEnd(width);
  const num = (value: number, width: number, digits = 0) => value.toFixed(digits).padStart(width);
  const range = (values: number[]) => `${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}`;
  const lines = [
    '',
    `HTTP benchmark: ${CONNECTIONS} connections; after a ${WARMUP_SECONDS} s warm-up each, ${ROUNDS} rounds in which every target ` +
      `takes a ${ROUND_SECONDS} s turn; ${SEEDED_USERS + 1} users in PostgreSQL; servers in child processes, autocannon in this one; ` +
      `every server on the Node flags bin/nexus starts NEXUS with (${nexusNodeFlags(ROOT).join(' ') || 'none'})`,
    '',
    `${pad('target', 52)}${'req/s'.padStart(10)}${'min'.padStart(9)}${'max'.padStart(9)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'2xx'.padStart(10)}${'non-2xx'.padStart(9)}${'errors'.padStart(8)}`,
    ...rows.map((row) => {
      const rps = row.turns.map((t) => t.rps);
      return (
        `${pad(row.label, 52)}${num(meanRps(row), 10, 1)}${num(Math.min(...rps), 9)}${num(Math.max(...rps), 9)}` +
        `${num(median(row.turns.map((t) => t.p50)), 8)}${num(median(row.turns.map((t) => t.p99)), 8)}` +
        `${num(sum(row, 'ok'), 10)}${num(sum(row, 'non2xx'), 9)}${num(sum(row, 'errors'), 8)}`
      );
    }),
    'req/s: mean of the turns (min and max: the slowest and fastest turn); p50 and p99: the median over the turns.',
    '',
    `NEXUS's list requests send what a browser sends, Accept-Encoding: ${BROWSER_ACCEPT_ENCODING}; NEXUS answers ${encoded}.`,
    `"floor": no auth, no database, no serialisation, only the bytes of the page NEXUS answers; its ratio to the ceiling is ` +
      `${medianRatio(floor!)} (median of rounds), so no server sending this page can reach more than that on this machine.`,
    `not compressed (a client that sends no Accept-Encoding; info): NEXUS / ceiling ${medianRatio(nexusPlain!)}, its floor / ceiling ${medianRatio(floorOfPlain!)}`,
    `ratio NEXUS limit=50 / ceiling, per round: ${ratios.map((r) => r.toFixed(3)).join(', ')} (range ${range(ratios)})`,
    `ratio (median of rounds): ${ratio.toFixed(3)} (target >= ${TARGET_RATIO}): ${ratio >= TARGET_RATIO ? 'PASS' : 'BELOW TARGET'}`,
  ];
  if (broken.length > 0) lines.push(`INVALID: non-2xx responses or connection errors in: ${broken.map((row) => row.label.trim()).join('; ')}`);
  console.log(lines.join('\n'));
  return broken.length > 0 ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  if (!isInterrupted()) console.error(`bench/http failed: ${(error as Error).stack ?? String(error)}`);
  await checkpoint();
} finally {
  await checkpoint();
  await cleanup();
}
process.exit(code);
