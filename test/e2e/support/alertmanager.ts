import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/ports.js';

/**
 * A real Alertmanager (Debian package `prometheus-alertmanager`) on a free
 * loopback port, gossip off, with its own temporary storage. It picks its
 * port itself and tries another when the one it chose was taken before it
 * could bind it (parallel tests start servers all the time).
 */

const BINARY = 'prometheus-alertmanager';
const READY_DEADLINE_MS = 15_000;
const START_ATTEMPTS = 3;
const INSTALL_HINT =
  `This test needs the \`${BINARY}\` binary (Debian package prometheus-alertmanager). ` +
  'Run `bash scripts/ensure-test-deps.sh` (it installs it with apt-get), or `npm test`, which runs that script first.';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

export interface AmAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[]; silencedBy: string[] };
}

export class TestAlertmanager {
  private readonly output: string[] = [];
  private exitInfo: string | undefined;
  private readonly exited: Promise<void>;
  // A worker that dies without afterAll must not leave Alertmanager behind.
  private readonly killOnExit = () => this.child.kill('SIGKILL');

  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
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

  static async start(configYaml: string): Promise<TestAlertmanager> {
    if (!onPath(BINARY)) throw new Error(INSTALL_HINT);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-alertmanager-'));
    const config = path.join(dir, 'alertmanager.yml');
    await fs.writeFile(config, configYaml, { mode: 0o600 });
    let lastError: unknown;
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      const port = await freePort();
      const child = spawn(
        BINARY,
        [
          `--config.file=${config}`,
          `--storage.path=${path.join(dir, `data-${attempt}`)}`,
          `--web.listen-address=127.0.0.1:${port}`,
          // Empty: no cluster listener, so no gossip port and no peer wait before the first notification.
          '--cluster.listen-address=',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const am = new TestAlertmanager(`http://127.0.0.1:${port}`, child, dir);
      try {
        await am.waitReady();
        return am;
      } catch (error) {
        lastError = error;
        await am.stop(false);
      }
    }
    await fs.rm(dir, { recursive: true, force: true });
    throw lastError;
  }

  /** `host:port`, as Prometheus's `alerting` section names it. */
  get hostPort(): string {
    return new URL(this.url).host;
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + READY_DEADLINE_MS;
    for (;;) {
      if (this.exitInfo) throw new Error(`${BINARY} ${this.exitInfo} before it was ready:\n${this.log()}`);
      // Ready, and an Alertmanager: a Prometheus that took the port also answers /-/ready.
      if (await fetch(`${this.url}/api/v2/status`).then((res) => res.ok, () => false)) return;
      if (Date.now() > deadline) throw new Error(`${BINARY} not ready after ${READY_DEADLINE_MS} ms:\n${this.log()}`);
      await sleep(100);
    }
  }

  log(): string {
    return this.output.join('\n');
  }

  /** What Alertmanager holds now (for failure messages). */
  async alerts(): Promise<AmAlert[]> {
    const res = await fetch(`${this.url}/api/v2/alerts`);
    if (!res.ok) throw new Error(`GET /api/v2/alerts: ${res.status}`);
    return (await res.json()) as AmAlert[];
  }

  /** SIGTERM, SIGKILL after 5 s; then removes the config (it holds a token) and the storage. */
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
