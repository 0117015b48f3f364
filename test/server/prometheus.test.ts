import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * A real Prometheus (Debian's `prometheus`) scraping a running NEXUS every
 * second, and the seed's own queries answered from what it scraped. Not
 * skipped when Prometheus is missing: a skipped test would hide a machine
 * that cannot check the dashboards' and alerts' queries.
 */

const INSTALL_HINT =
  'The Prometheus test needs the `prometheus` binary (Debian package prometheus). ' +
  'Run `bash scripts/ensure-test-deps.sh` (it installs it with apt-get), or `npm test`, which runs that script first.';

/** Every wait in this file ends by this many ms; the whole file stays well under 30 s. */
const DATA_DEADLINE_MS = 20_000;
const READY_DEADLINE_MS = 10_000;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
interface Target {
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  labels: Record<string, string>;
}
interface PromResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Distinct free loopback ports (all held open together, so never the same one twice). */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => net.createServer());
  try {
    for (const server of servers) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns a value (not undefined) or the deadline
 * passes; the timeout error carries the last thing seen, so a failure says why.
 */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = DATA_DEADLINE_MS): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let last: unknown = 'nothing yet';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}; last: ${typeof last === 'string' ? last : JSON.stringify(last)}`);
    }
    await sleep(250);
  }
}

class Prometheus {
  readonly url: string;
  private output: string[] = [];
  private exited: Promise<void>;
  private exitInfo: string | undefined;

  private constructor(
    readonly child: ChildProcess,
    port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString().split('\n').filter(Boolean));
      if (this.output.length > 60) this.output.splice(0, this.output.length - 60);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitInfo = `exited with ${signal ?? `code ${code}`}`;
        resolve();
      }),
    );
  }

  /** Starts one on a free port; retries on another port if it dies at start (port taken meanwhile). */
  static async start(binary: string, workDir: string, nexusHost: string, firstPort: number): Promise<Prometheus> {
    const configFile = path.join(workDir, 'prometheus.yml');
    await fs.writeFile(
      configFile,
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: nexus',
        '    metrics_path: /metrics',
        '    static_configs:',
        `      - targets: ['${nexusHost}']`,
        '',
      ].join('\n'),
    );
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const port = attempt === 1 ? firstPort : (await freePorts(1))[0]!;
      const child = spawn(
        binary,
        [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${path.join(workDir, `data-${attempt}`)}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=info',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const prom = new Prometheus(child, port);
      try {
        await prom.waitReady();
        return prom;
      } catch (error) {
        lastError = error as Error;
        await prom.stop();
      }
    }
    throw lastError ?? new Error('Prometheus did not start');
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + READY_DEADLINE_MS;
    for (;;) {
      if (this.exitInfo) throw new Error(`Prometheus ${this.exitInfo} before it was ready:\n${this.log()}`);
      try {
        const res = await fetch(`${this.url}/-/ready`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`Prometheus not ready after ${READY_DEADLINE_MS} ms:\n${this.log()}`);
      await sleep(100);
    }
  }

  log(): string {
    return this.output.slice(-20).join('\n');
  }

  async api<T>(pathAndQuery: string): Promise<T> {
    const res = await fetch(`${this.url}${pathAndQuery}`);
    const body = (await res.json()) as PromResponse<T>;
    if (body.status !== 'success') throw new Error(`Prometheus ${pathAndQuery}: ${body.error ?? res.status}`);
    return body.data;
  }

  async query(expr: string): Promise<Sample[]> {
    const data = await this.api<{ resultType: string; result: Sample[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);
    if (data.resultType !== 'vector') throw new Error(`${expr}: expected a vector, got ${data.resultType}`);
    return data.result;
  }

  async targets(): Promise<Target[]> {
    return (await this.api<{ activeTargets: Target[] }>('/api/v1/targets?state=active')).activeTargets;
  }

  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  async stop(): Promise<void> {
    if (this.exitInfo) return;
    this.child.kill('SIGTERM');
    const killed = await Promise.race([this.exited.then(() => true), sleep(5_000).then(() => false)]);
    if (!killed) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

const describeValue = (samples: Sample[]) =>
  JSON.stringify(samples.map((s) => ({ route: s.metric.route, status: s.metric.status, subset: s.metric.subset, value: s.value[1] })));

describe('Prometheus scraping a running NEXUS', () => {
  let t: TestApp | undefined;
  let prom: Prometheus | undefined;
  let workDir: string | undefined;
  const missingPath = `/api/v1/no-such-thing/${randomUUID()}`;
  /** Responses by status code, counted as the traffic is sent. */
  const sent: Record<number, number> = {};
  // If the worker dies without running afterAll, Prometheus must not outlive it.
  const killOnExit = () => prom?.child.kill('SIGKILL');

  beforeAll(async () => {
    const binary = onPath('prometheus');
    if (!binary) throw new Error(INSTALL_HINT);

    // NEXUS and Prometheus start side by side: Prometheus only scrapes ~5 s
    // after it starts anyway, so NEXUS gets a port chosen up front.
    const [nexusPort, promPort] = (await freePorts(2)) as [number, number];
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-prometheus-'));
    process.once('exit', killOnExit);
    const dir = workDir;
    // allSettled: whichever starts must be assigned, so afterAll can stop it.
    const started = await Promise.allSettled([
      createTestApp('postgres', { start: { listen: true }, env: { NEXUS_SUBSET: 'canary', PORT: String(nexusPort) } }).then((app) => (t = app)),
      Prometheus.start(binary, dir, `127.0.0.1:${nexusPort}`, promPort).then((running) => (prom = running)),
    ]);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    if (!t || !prom) throw new Error('unreachable: NEXUS or Prometheus missing after start');
    expect(t.server.url).toBe(`http://127.0.0.1:${nexusPort}`);

    // Prometheus applies its targets ~5 s after start. Traffic runs in small
    // waves until the first scrape succeeded and a few waves after it, so the
    // counters grow between scrapes (rate() of a flat counter is 0).
    const nexus = t.server.url;
    const auth = { authorization: `Bearer ${t.tokens.viewer}` };
    const hit = async (url: string, expected: number, headers: Record<string, string> = {}) => {
      const res = await fetch(`${nexus}${url}`, { headers });
      await res.arrayBuffer();
      if (res.status !== expected) throw new Error(`GET ${url}: expected ${expected}, got ${res.status}`);
      sent[res.status] = (sent[res.status] ?? 0) + 1;
    };
    const wave = () =>
      Promise.all([
        ...Array.from({ length: 15 }, () => hit('/health', 200)),
        ...Array.from({ length: 8 }, () => hit('/api/v1/me', 200, auth)),
        ...Array.from({ length: 2 }, () => hit(missingPath, 404)),
      ]);
    const p = prom;
    const deadline = Date.now() + DATA_DEADLINE_MS;
    let wavesAfterUp = 0;
    while (wavesAfterUp < 4) {
      await wave();
      await sleep(400);
      if (wavesAfterUp > 0 || (await p.targets()).some((target) => target.health === 'up')) wavesAfterUp++;
      if (Date.now() > deadline) {
        const targets = await p.targets();
        throw new Error(`no successful scrape of NEXUS within ${DATA_DEADLINE_MS} ms: ${JSON.stringify(targets)}\n${p.log()}`);
      }
    }
    expect(sent[200]).toBeGreaterThanOrEqual(4 * 23);
  });

  afterAll(async () => {
    await prom?.stop();
    process.removeListener('exit', killOnExit);
    if (workDir) await fs.rm(workDir, { recursive: true, force: true });
    await t?.close();
  });

  it('has NEXUS as an up target', async () => {
    const targets = await prom!.targets();
    const nexus = targets.find((target) => target.scrapeUrl === `${t!.server.url}/metrics`);
    expect(nexus, `targets: ${JSON.stringify(targets)}`).toBeDefined();
    expect(nexus!.health, `last scrape error: ${nexus!.lastError}`).toBe('up');
    expect(nexus!.labels.job).toBe('nexus');
  });

  it('answers sum(rate(http_requests_total[5m])) with a positive rate', async () => {
    const [total] = await eventually('a positive request rate', async () => {
      const samples = await prom!.query('sum(rate(http_requests_total[5m]))');
      const value = Number(samples[0]?.value[1]);
      if (samples.length === 1 && value > 0) return samples;
      throw new Error(`got ${JSON.stringify(samples)}`);
    });
    expect(Number(total!.value[1])).toBeGreaterThan(0);
  });

  it('answers the p95 latency query per route template, never per raw URL', async () => {
    const expr = 'histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m]))';
    const samples = await eventually('a finite p95 for /api/v1/me', async () => {
      const result = await prom!.query(expr);
      const me = result.find((s) => s.metric.route === '/api/v1/me' && Number.isFinite(Number(s.value[1])));
      if (me) return result;
      throw new Error(`got ${describeValue(result)}`);
    });

    const templates = new Set([...t!.server.routes.map((route) => route.url), 'unmatched']);
    for (const sample of samples) {
      expect(sample.metric.route, `series without a route label: ${JSON.stringify(sample.metric)}`).toBeDefined();
      expect(templates, `route label "${sample.metric.route}" is not a route template`).toContain(sample.metric.route);
      expect(sample.metric.subset).toBe('canary');
    }
    const finite = samples.filter((s) => Number.isFinite(Number(s.value[1])));
    for (const sample of finite) {
      const p95 = Number(sample.value[1]);
      expect(p95).toBeGreaterThan(0);
      expect(p95, `p95 of ${sample.metric.route}`).toBeLessThanOrEqual(10);
    }
    expect(finite.map((s) => s.metric.route)).toContain('/health');
  });

  it('labels the 404 as "unmatched", not with the requested path', async () => {
    const samples = await eventually(`all ${sent[404]} requests of the 404 scraped`, async () => {
      const result = await prom!.query('sum by (route, status) (http_requests_total)');
      const scraped = result.filter((s) => s.metric.status === '404').reduce((n, s) => n + Number(s.value[1]), 0);
      if (scraped >= sent[404]!) return result;
      throw new Error(`got ${describeValue(result)}`);
    });
    const notFound = samples.filter((s) => s.metric.status === '404');
    expect(notFound.map((s) => s.metric.route)).toEqual(['unmatched']);
    expect(Number(notFound[0]!.value[1])).toBe(sent[404]);
    const routes = samples.map((s) => s.metric.route ?? '');
    expect(routes.filter((route) => route.includes('no-such-thing') || route.includes('?'))).toEqual([]);
  });

  it('answers the canary query rate(http_requests_total{subset="canary"}[5m])', async () => {
    const samples = await eventually('canary series', async () => {
      const result = await prom!.query('rate(http_requests_total{subset="canary"}[5m])');
      if (result.length > 0) return result;
      throw new Error('empty result');
    });
    expect(samples.every((s) => s.metric.subset === 'canary')).toBe(true);
    expect(samples.some((s) => s.metric.route === '/api/v1/me' && Number(s.value[1]) > 0), describeValue(samples)).toBe(true);
    expect(await prom!.query('http_requests_total{subset="stable"}')).toEqual([]);
  });
});
