import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { NginxConfig } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { RouterError, sameBackends, type ApplyResult, type Backend, type TrafficRouter } from './router.js';

const run = promisify(execFile);
const COMMAND_TIMEOUT_MS = 10_000;
/** How long a reload may take to retire the old workers before apply() returns anyway. */
const RELOAD_SETTLE_MS = 5_000;
const MARKER = '# nexus-backends: ';
/**
 * The same line before nginx has been told to reload: a file written and not
 * yet live. A NEXUS that dies between writing and reloading leaves this
 * marker, so the next apply of the same backends reloads instead of finding
 * "nothing to change" while nginx still runs the old split.
 */
const PENDING_MARKER = '# nexus-pending: ';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The upstream block for a service. Weights are divided by their greatest
 * common divisor: nginx's smooth weighted round-robin then repeats a short
 * cycle (25/75 → 1/3), so any whole number of cycles splits exactly. The
 * first line keeps the backends as NEXUS meant them, which `current()` reads,
 * marked pending until nginx has reloaded with them.
 */
export function renderUpstream(service: string, backends: Backend[], pending = false): string {
  const live = backends.filter((b) => b.weight > 0);
  if (live.length === 0) throw new RouterError(`${service}: at least one backend must take traffic`);
  const divisor = live.map((b) => b.weight).reduce(gcd);
  const lines = [
    '# Written by NEXUS (deployments controller): the next traffic change replaces this file.',
    `${pending ? PENDING_MARKER : MARKER}${JSON.stringify(backends)}`,
    `upstream ${service} {`,
    ...backends.map((b) => (b.weight > 0 ? `    server ${b.upstream} weight=${b.weight / divisor};` : `    server ${b.upstream} down;`)),
    '}',
    '',
  ];
  return lines.join('\n');
}

function parseBackends(text: string): { backends: Backend[]; pending: boolean } | null {
  const line = text.split('\n').find((l) => l.startsWith(MARKER) || l.startsWith(PENDING_MARKER));
  if (!line) return null;
  const pending = line.startsWith(PENDING_MARKER);
  try {
    const parsed = JSON.parse(line.slice((pending ? PENDING_MARKER : MARKER).length)) as unknown;
    return Array.isArray(parsed) ? { backends: parsed as Backend[], pending } : null;
  } catch {
    return null;
  }
}

/** The first lines of a tool's complaint: enough to act on, not a wall of text. */
function firstLines(error: unknown): string {
  const out = error as { stderr?: string; stdout?: string; message?: string };
  const text = (out.stderr || out.stdout || out.message || String(error)).trim();
  return text.split('\n').slice(0, 3).join(' | ').slice(0, 500);
}

interface PendingChange {
  service: string;
  backends: Backend[];
  resolve: (result: ApplyResult) => void;
  reject: (error: unknown) => void;
}

/**
 * nginx on this machine: one `upstream <service>` file per service in
 * `upstreamDir` (the nginx configuration includes `upstreamDir/*.conf`), each
 * change checked with `nginx -t` before nginx is told to reload. Changes are
 * serialised: a reload covers every file, and two at once would race.
 */
export class NginxRouter implements TrafficRouter {
  readonly kind = 'nginx';
  private waiting: PendingChange[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly config: NginxConfig,
    private readonly logger: Logger,
  ) {}

  private file(service: string): string {
    return path.join(this.config.upstreamDir, `${service}.conf`);
  }

  private nginxArgs(): string[] {
    const args: string[] = [];
    if (this.config.prefix) args.push('-p', this.config.prefix);
    if (this.config.conf) args.push('-c', this.config.conf);
    return args;
  }

  /** The backends nginx was last reloaded with; null also while a written file waits for its reload (nginx may run either). */
  async current(service: string): Promise<Backend[] | null> {
    const text = await fs.readFile(this.file(service), 'utf8').catch(() => null);
    const parsed = text === null ? null : parseBackends(text);
    return parsed && !parsed.pending ? parsed.backends : null;
  }

  /**
   * Changes that arrive while nginx is busy wait together and go in as one
   * batch: one `nginx -t` and one reload for all of them. One nginx takes
   * only a few reloads a second (bench/deployments), so with many
   * deployments at once one reload per change would make steps late.
   */
  apply(service: string, backends: Backend[]): Promise<ApplyResult> {
    return new Promise<ApplyResult>((resolve, reject) => {
      this.waiting.push({ service, backends, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      // A service changes at most once per batch; a second change of it waits for the next.
      const services = new Set<string>();
      const batch: PendingChange[] = [];
      this.waiting = this.waiting.filter((change) => {
        if (services.has(change.service)) return true;
        services.add(change.service);
        batch.push(change);
        return false;
      });
      await this.applyBatch(batch);
    }
    this.draining = null;
  }

  private async applyBatch(batch: PendingChange[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch as [PendingChange];
      await this.applyNow(only.service, only.backends).then(only.resolve, only.reject);
      return;
    }
    const written: Array<PendingChange & { restore: () => Promise<void> }> = [];
    try {
      for (const change of batch) {
        const restore = await this.write(change.service, change.backends);
        if (restore) written.push({ ...change, restore });
        else change.resolve({ changed: false });
      }
      if (written.length === 0) return;
      try {
        await run(this.config.binary, [...this.nginxArgs(), '-t', '-q'], { timeout: COMMAND_TIMEOUT_MS });
      } catch {
        // One file spoils the batch: put them all back and go one by one, so each gets its own answer.
        for (const change of written) await change.restore();
        for (const change of written) await this.applyNow(change.service, change.backends).then(change.resolve, change.reject);
        return;
      }
      await this.reload();
      for (const change of written) await this.confirm(change.service, change.backends);
      for (const change of written) change.resolve({ changed: true });
    } catch (error) {
      for (const change of written) await change.restore().catch(() => {});
      for (const change of batch) change.reject(error);
    }
  }

  /** Writes the service's file; returns how to put back the previous one, or null when nothing changed. */
  private async write(service: string, backends: Backend[]): Promise<(() => Promise<void>) | null> {
    const file = this.file(service);
    const previous = await fs.readFile(file, 'utf8').catch(() => null);
    const had = previous === null ? null : parseBackends(previous);
    if (had && !had.pending && sameBackends(had.backends, backends)) return null;
    await this.replace(service, renderUpstream(service, backends, true));
    return async () => {
      if (previous === null) await fs.rm(file, { force: true });
      else await fs.writeFile(file, previous);
    };
  }

  /** Write-then-rename: nginx (or a crash) never sees half a file. */
  private async replace(service: string, text: string): Promise<void> {
    const file = this.file(service);
    const temp = `${file}.${process.pid}.tmp`;
    await fs.mkdir(this.config.upstreamDir, { recursive: true });
    await fs.writeFile(temp, text);
    await fs.rename(temp, file);
  }

  /** nginx runs the file now: the marker says so (only a comment changes, so no reload is needed for it). */
  private async confirm(service: string, backends: Backend[]): Promise<void> {
    await this.replace(service, renderUpstream(service, backends));
  }

  private async applyNow(service: string, backends: Backend[]): Promise<ApplyResult> {
    // Put back what nginx runs with: after a refused file, so the next reload (anyone's) does not pick it up;
    // after a failed reload, so a retry sees a difference and reloads instead of finding "nothing to change".
    const restore = await this.write(service, backends);
    if (!restore) return { changed: false };
    try {
      await run(this.config.binary, [...this.nginxArgs(), '-t', '-q'], { timeout: COMMAND_TIMEOUT_MS });
    } catch (error) {
      await restore();
      throw new RouterError(`nginx refused the configuration for ${service}: ${firstLines(error)}`);
    }
    try {
      await this.reload();
    } catch (error) {
      await restore();
      throw error;
    }
    await this.confirm(service, backends);
    return { changed: true };
  }

  private async reload(): Promise<void> {
    const before = await this.workers();
    const [command, ...args] = this.config.reloadCommand ?? [this.config.binary, ...this.nginxArgs(), '-s', 'reload'];
    try {
      await run(command!, args, { timeout: COMMAND_TIMEOUT_MS });
    } catch (error) {
      throw new RouterError(`nginx reload failed: ${firstLines(error)}`);
    }
    if (before) await this.settle(before);
  }

  /**
   * `nginx -s reload` returns once the signal is sent; the old workers keep
   * serving until they have finished their requests. Waiting until they are
   * gone means that, when apply() returns, every new request sees the new
   * split (the abort benchmark measures exactly that).
   */
  private async settle(before: Set<number>): Promise<void> {
    const deadline = Date.now() + RELOAD_SETTLE_MS;
    while (Date.now() < deadline) {
      const now = await this.workers();
      if (now && now.size > 0 && ![...before].some((pid) => now.has(pid))) return;
      await delay(10);
    }
    this.logger.warn({ router: 'nginx' }, 'old nginx workers still running after the reload; continuing');
  }

  /** The master's children (Linux /proc), when the pid file is configured; null when they cannot be known. */
  private async workers(): Promise<Set<number> | null> {
    if (!this.config.pidFile) return null;
    try {
      const master = Number((await fs.readFile(this.config.pidFile, 'utf8')).trim());
      const children = await fs.readFile(`/proc/${master}/task/${master}/children`, 'utf8');
      return new Set(children.split(/\s+/).filter(Boolean).map(Number));
    } catch {
      return null;
    }
  }
}
