import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A real Prometheus (Debian `prometheus`) scraping itself every second, in a temp directory. */
export class ScratchPrometheus {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {}

  static async start(): Promise<ScratchPrometheus> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-runs-prom-'));
    const port = await freePort();
    const config = path.join(dir, 'prometheus.yml');
    await fs.writeFile(
      config,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    );
    const child = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
      stdio: 'ignore',
    });
    const prom = new ScratchPrometheus(`http://127.0.0.1:${port}`, child, dir);
    await prom.waitFor(async () => (await fetch(`${prom.url}/-/ready`)).ok, 'ready');
    // `up` has a sample once the first self-scrape happened.
    await prom.waitFor(async () => {
      const body = (await (await fetch(`${prom.url}/api/v1/query?query=up`)).json()) as { data: { result: unknown[] } };
      return body.data.result.length > 0;
    }, 'the first scrape');
    return prom;
  }

  private async waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`prometheus exited (${this.child.exitCode}) before ${what}`);
      if (await check().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`prometheus: no ${what} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
