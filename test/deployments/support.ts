import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll } from 'vitest';
import type { Engine } from '../../src/platform/db/index.js';
import { renderUpstream, type Deployment, type DeploymentDetail } from '../../src/deployments/index.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';
import { freePort } from '../support/ports.js';

/** The service every test deploys; its upstream block is `upstream web { … }`. */
export const SERVICE = 'web';
const READY_DEADLINE_MS = 10_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One version of a small HTTP service: answers its version name, fails every
 * `failEvery`-th request with a 500 when asked to (20 %: every 5th), serves the
 * seed's /health and /api/health, and /metrics with
 * `http_requests_total{version,status}` for Prometheus to scrape.
 */
export interface ServiceVersion {
  version: string;
  address: string;
  close(): Promise<void>;
}

export async function startVersion(version: string, options: { failEvery?: number } = {}): Promise<ServiceVersion> {
  const registry = new Registry();
  const requests = new Counter({ name: 'http_requests_total', help: 'Requests by status', labelNames: ['version', 'status'] as const, registers: [registry] });
  // Both series exist from the start, as in a well-instrumented service: a 5xx rate is 0, not "no data".
  requests.inc({ version, status: '200' }, 0);
  requests.inc({ version, status: '500' }, 0);
  let served = 0;
  const server = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
      return;
    }
    if (req.url === '/health' || req.url === '/api/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    served++;
    const fail = options.failEvery !== undefined && served % options.failEvery === 0;
    requests.inc({ version, status: fail ? '500' : '200' });
    res.writeHead(fail ? 500 : 200, { 'content-type': 'text/plain', 'x-version': version }).end(version);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    version,
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A real nginx (Debian package) under its own prefix, unprivileged in
 * everything but the binary: `daemon off`, one worker (weighted round-robin
 * is then exact per cycle), pid, logs and temp paths in its directory, and
 * `include upstreams/*.conf`, where NEXUS's router writes.
 */
export class TestNginx {
  private exitInfo: string | undefined;
  private readonly killOnExit = () => this.child.kill('SIGKILL');

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    child.once('exit', (code, signal) => (this.exitInfo = `exited with ${signal ?? `code ${code}`}`));
    process.once('exit', this.killOnExit);
  }

  static async start(stable: ServiceVersion): Promise<TestNginx> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-nginx-'));
    // nginx run as root hands requests to workers running as nobody: they must reach the directory.
    await fs.chmod(dir, 0o755);
    await fs.mkdir(path.join(dir, 'upstreams'));
    await fs.mkdir(path.join(dir, 'tmp'));
    await fs.writeFile(path.join(dir, 'upstreams', `${SERVICE}.conf`), renderUpstream(SERVICE, [{ version: stable.version, upstream: stable.address, weight: 100 }]));
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      await fs.writeFile(path.join(dir, 'nginx.conf'), nginxConf(dir, port));
      const child = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
      const nginx = new TestNginx(dir, port, child);
      try {
        await nginx.waitReady();
        return nginx;
      } catch (error) {
        lastError = error;
        await nginx.stop(false);
      }
    }
    throw lastError;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What NEXUS needs to drive this nginx. */
  get env(): Record<string, string> {
    return {
      NEXUS_NGINX_UPSTREAM_DIR: path.join(this.dir, 'upstreams'),
      NEXUS_NGINX_PREFIX: this.dir,
      NEXUS_NGINX_CONF: path.join(this.dir, 'nginx.conf'),
      NEXUS_NGINX_PID_FILE: path.join(this.dir, 'nginx.pid'),
    };
  }

  upstreamFile(): Promise<string> {
    return fs.readFile(path.join(this.dir, 'upstreams', `${SERVICE}.conf`), 'utf8');
  }

  /** The worker's pid: a reload replaces it, so an unchanged pid proves nginx was not reloaded. */
  async workerPids(): Promise<number[]> {
    const master = Number((await fs.readFile(path.join(this.dir, 'nginx.pid'), 'utf8')).trim());
    const children = await fs.readFile(`/proc/${master}/task/${master}/children`, 'utf8');
    return children.split(/\s+/).filter(Boolean).map(Number).sort();
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + READY_DEADLINE_MS;
    for (;;) {
      if (this.exitInfo) throw new Error(`nginx ${this.exitInfo}: ${await fs.readFile(path.join(this.dir, 'error.log'), 'utf8').catch(() => '')}`);
      const ok = await fetch(this.url).then((res) => res.headers.has('x-version'), () => false);
      if (ok) return;
      if (Date.now() > deadline) throw new Error('nginx did not answer');
      await sleep(50);
    }
  }

  async stop(removeDir = true): Promise<void> {
    process.removeListener('exit', this.killOnExit);
    if (!this.exitInfo) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    if (removeDir) await fs.rm(this.dir, { recursive: true, force: true });
  }
}

function nginxConf(dir: string, port: number): string {
  const tmp = (name: string) => `${name}_temp_path ${path.join(dir, 'tmp', name)};`;
  return `daemon off;
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 512; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(tmp).join('\n  ')}
  include ${path.join(dir, 'upstreams')}/*.conf;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://${SERVICE};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_next_upstream off;
    }
  }
}
`;
}

/** `n` requests through nginx, one after another; how many each version answered. */
export async function measureSplit(url: string, n = 1000): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const res = await fetch(url);
    const version = res.headers.get('x-version') ?? `status ${res.status}`;
    await res.arrayBuffer();
    counts[version] = (counts[version] ?? 0) + 1;
  }
  return counts;
}

/** Steady traffic through nginx until stopped (analysis needs requests to measure). */
export function backgroundLoad(url: string): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      await fetch(url).then((res) => res.arrayBuffer(), () => undefined);
      await sleep(5);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** A NEXUS to talk to: createTestApp's, or one a test started itself (tokens of the roles used here). */
export interface Caller {
  inject: TestApp['inject'];
  tokens: { viewer: string; operator: string };
}

export async function getDeployment(t: Caller, id: string): Promise<DeploymentDetail> {
  const res = await t.inject({ method: 'GET', url: `/api/v1/deployments/${id}`, headers: bearer(t.tokens.viewer) });
  if (res.statusCode !== 200) throw new Error(`GET deployment ${id}: ${res.statusCode} ${res.body}`);
  return json<DeploymentDetail>(res);
}

/**
 * Resolves with the deployment once `check` holds, looking again at every
 * deployment event on the bus: no polling interval, no sleeps.
 */
export function until(t: Caller & { server: Pick<TestApp['server'], 'bus'> }, id: string, check: (d: DeploymentDetail) => boolean): Promise<DeploymentDetail> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let checking = Promise.resolve();
    const look = () => {
      checking = checking.then(async () => {
        if (settled) return;
        try {
          const d = await getDeployment(t, id);
          if (check(d)) {
            settled = true;
            unsubscribe();
            resolve(d);
          }
        } catch (error) {
          settled = true;
          unsubscribe();
          reject(error as Error);
        }
      });
    };
    const unsubscribe = t.server.bus.subscribe((event) => {
      if (event.type.startsWith('deployment.') && (event.data as { deploymentId?: string }).deploymentId === id) look();
    });
    look();
  });
}

export async function act(t: Caller, id: string, action: string, payload: unknown = {}): Promise<Deployment> {
  const res = await t.inject({ method: 'POST', url: `/api/v1/deployments/${id}/${action}`, headers: bearer(t.tokens.operator), payload: payload as object });
  if (res.statusCode !== 200) throw new Error(`${action} ${id}: ${res.statusCode} ${res.body}`);
  return json<Deployment>(res);
}

/** Percent of `n` requests `version` answered. */
export function share(counts: Record<string, number>, version: string, n = 1000): number {
  return ((counts[version] ?? 0) / n) * 100;
}

/** What most deployment tests run against: two versions of the service, a real nginx in front (all on v1), and a NEXUS driving it. */
export interface DeploymentStage {
  t: TestApp;
  nginx: TestNginx;
  v1: ServiceVersion;
  v2: ServiceVersion;
}

/**
 * Sets up a DeploymentStage for the enclosing describe (beforeAll) and takes
 * it down after (afterAll); its fields are there once the tests run.
 */
export function useDeploymentStage(engine: Engine): DeploymentStage {
  const stage = {} as DeploymentStage;
  beforeAll(async () => {
    stage.v1 = await startVersion('v1');
    stage.v2 = await startVersion('v2');
    stage.nginx = await TestNginx.start(stage.v1);
    stage.t = await createTestApp(engine, { env: { ...stage.nginx.env, NEXUS_DEPLOY_TICK_MS: '100' } });
  });
  afterAll(async () => {
    await stage.t?.close();
    await stage.nginx?.stop();
    await stage.v1?.close();
    await stage.v2?.close();
  });
  return stage;
}
