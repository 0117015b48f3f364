import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

/**
 * A real Prometheus (Debian package `prometheus`) on a free loopback port
 * with its own temporary storage, for tests that need its PromQL parser or
 * its scrapes. Not skipped when the binary is missing: `npm test` installs it
 * (scripts/ensure-test-deps.sh), and a skipped test would hide a machine
 * that cannot check queries.
 */

const READY_DEADLINE_MS = 15_000;

const INSTALL_HINT =
  'These tests need the `prometheus` binary (Debian package prometheus). ' +
  'Run `bash scripts/ensure-test-deps.sh` (it installs it with apt-get), or `npm test`, which runs that script first.';

function onPath(binary: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(path.join(dir, binary), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface StartPrometheusOptions {
  /** `host:port` targets scraped every second (job "nexus"); none by default. */
  scrapeTargets?: string[];
  /** Also scrape Prometheus itself, so `up` has samples without any other target. */
  scrapeSelf?: boolean;
  /** Rule files (absolute paths), evaluated every second. */
  ruleFiles?: string[];
  /** `host:port` of Alertmanagers that firing and resolved alerts are sent to. */
  alertmanagers?: string[];
}

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface Target {
  health: string;
  labels: Record<string, string>;
  scrapeUrl: string;
  lastError: string;
}

interface PromResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

function configFor(targets: string[], selfPort: number | null, options: StartPrometheusOptions = {}): string {
  const lines = ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', '  evaluation_interval: 1s'];
  if (options.ruleFiles?.length) lines.push(`rule_files: ${JSON.stringify(options.ruleFiles)}`);
  if (options.alertmanagers?.length) {
    lines.push('alerting:', '  alertmanagers:', '    - static_configs:', `        - targets: ${JSON.stringify(options.alertmanagers)}`);
  }
  lines.push('scrape_configs:');
  lines.push('  - job_name: nexus', '    static_configs:', `      - targets: ${JSON.stringify(targets)}`);
  if (selfPort !== null) {
    lines.push('  - job_name: prometheus', '    static_configs:', `      - targets: ["127.0.0.1:${selfPort}"]`);
  }
  return lines.join('\n') + '\n';
}

export class TestPrometheus {
  private readonly output: string[] = [];
  private exitInfo: string | undefined;
  private readonly exited: Promise<void>;
  // If the test worker dies without running afterAll, Prometheus must not outlive it.
  private readonly killOnExit = () => this.child.kill('SIGKILL');

  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly storage: string,
    private readonly config: string,
    private options: StartPrometheusOptions,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString().split('\n').filter(Boolean));
      this.output.splice(0, Math.max(0, this.output.length - 40));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitInfo = `exited with ${signal ?? `code ${code}`}`;
        resolve();
      }),
    );
    process.once('exit', this.killOnExit);
  }

  /**
   * Starts one; retries on another port if it dies at start or the port
   * answers as someone else (it was taken between choosing and binding).
   */
  static async start(options: StartPrometheusOptions = {}): Promise<TestPrometheus> {
    if (!onPath('prometheus')) throw new Error(INSTALL_HINT);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-prometheus-'));
    const config = path.join(dir, 'prometheus.yml');
    let lastError: unknown;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const port = await freePort();
      await fs.writeFile(config, configFor(options.scrapeTargets ?? [], options.scrapeSelf ? port : null, options));
      const storage = path.join(dir, `data-${attempt}`);
      const child = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${storage}`, `--web.listen-address=127.0.0.1:${port}`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const prom = new TestPrometheus(`http://127.0.0.1:${port}`, child, dir, storage, config, options);
      try {
        await prom.waitReady();
        return prom;
      } catch (error) {
        lastError = error;
        await prom.stop(false);
      }
    }
    await fs.rm(dir, { recursive: true, force: true });
    throw lastError;
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + READY_DEADLINE_MS;
    for (;;) {
      if (this.exitInfo) throw new Error(`prometheus ${this.exitInfo} before it was ready:\n${this.log()}`);
      const ready = await fetch(`${this.url}/-/ready`).then((res) => res.ok, () => false);
      // Ready, and ours: a parallel test's Prometheus may hold the port this one failed to take.
      if (ready && (await this.ownsPort())) return;
      if (Date.now() > deadline) throw new Error(`prometheus not ready after ${READY_DEADLINE_MS} ms:\n${this.log()}`);
      await sleep(100);
    }
  }

  private async ownsPort(): Promise<boolean> {
    const flags = await this.api<Record<string, string>>('/api/v1/status/flags').catch((): Record<string, string> => ({}));
    return flags['storage.tsdb.path'] === this.storage;
  }

  log(): string {
    return this.output.join('\n');
  }

  /** `host:port` this Prometheus listens on (to scrape itself or be named elsewhere). */
  get hostPort(): string {
    return new URL(this.url).host;
  }

  /**
   * Changes targets, rules or Alertmanagers of the running server (SIGHUP
   * reload) and waits until the new configuration is the loaded one. Lets a
   * test start Prometheus before the servers it names have bound their ports.
   */
  async reconfigure(changes: StartPrometheusOptions): Promise<void> {
    this.options = { ...this.options, ...changes };
    const yaml = configFor(this.options.scrapeTargets ?? [], this.options.scrapeSelf ? Number(new URL(this.url).port) : null, this.options);
    await fs.writeFile(this.config, yaml);
    this.child.kill('SIGHUP');
    const expected = [...(this.options.scrapeTargets ?? []), ...(this.options.alertmanagers ?? [])];
    const deadline = Date.now() + READY_DEADLINE_MS;
    for (;;) {
      const loaded = (await this.api<{ yaml: string }>('/api/v1/status/config').catch(() => ({ yaml: '' }))).yaml;
      if (expected.every((target) => loaded.includes(target))) return;
      if (this.exitInfo) throw new Error(`prometheus ${this.exitInfo} while reloading:\n${this.log()}`);
      if (Date.now() > deadline) throw new Error(`prometheus did not load ${expected.join(', ')} within ${READY_DEADLINE_MS} ms:\n${this.log()}`);
      await sleep(100);
    }
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

  /** Waits until `expr` returns at least one sample (the first scrapes take a few seconds). */
  async waitForSample(expr: string, timeoutMs = 20_000): Promise<Sample[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const samples = await this.query(expr).catch(() => []);
      if (samples.length > 0) return samples;
      if (this.exitInfo) throw new Error(`prometheus ${this.exitInfo}:\n${this.log()}`);
      if (Date.now() > deadline) throw new Error(`prometheus: no samples for ${expr} within ${timeoutMs} ms`);
      await sleep(200);
    }
  }

  /** SIGTERM, then SIGKILL after 5 s; then removes its storage directory (unless told not to, between start attempts). */
  async stop(removeDir = true): Promise<void> {
    process.removeListener('exit', this.killOnExit);
    if (!this.exitInfo) {
      this.child.kill('SIGTERM');
      const gone = await Promise.race([this.exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!gone) {
        this.child.kill('SIGKILL');
        await this.exited;
      }
    }
    if (removeDir) await fs.rm(this.dir, { recursive: true, force: true });
  }
}
