import { runSingleton, type SingletonHandle } from '../platform/jobs/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import type { Logger } from '../platform/logger.js';
import type { DeploymentController } from './controller.js';
import type { DeploymentStore } from './store.js';

const DUE_BATCH = 500;

/**
 * The controller's loop, on exactly one replica (advisory lock, as the SLA
 * clock). Each due deployment advances on its own, so a slow Prometheus
 * query or health check for one never delays another's step; a deployment
 * is never advanced twice at once. It sleeps until the next due time, at
 * most `tickMs`, and wakes early when kicked (an action here, or a
 * deployment event heard from another replica).
 */
export class ControllerLoop {
  private readonly inFlight = new Map<string, Promise<void>>();
  private wake: () => void = () => {};
  /** A kick that came while no sleep was waiting: the next sleep returns at once. */
  private kicked = false;
  private handle: SingletonHandle | null = null;

  constructor(
    private readonly deps: { db: Database; store: DeploymentStore; controller: DeploymentController; clock: Clock; logger: Logger; tickMs: number },
  ) {}

  start(): void {
    this.handle = runSingleton(this.deps.db, 'deployments.controller', (signal) => this.run(signal), { logger: this.deps.logger });
  }

  kick(): void {
    this.kicked = true;
    this.wake();
  }

  isLeader(): boolean {
    return this.handle?.isLeader() ?? false;
  }

  async stop(): Promise<void> {
    await this.handle?.stop();
  }

  /** One pass: every due deployment not already being advanced starts advancing. */
  async pass(): Promise<void> {
    const due = await this.deps.store.due(this.deps.clock(), DUE_BATCH);
    for (const id of due) {
      if (this.inFlight.has(id)) continue;
      const running = this.deps.controller
        .advance(id)
        .catch((error: unknown) => this.deps.logger.error({ err: error, deployment: id }, 'advancing a deployment failed'))
        .finally(() => {
          this.inFlight.delete(id);
          this.kick();
        });
      this.inFlight.set(id, running);
    }
  }

  /** Waits for every advance in flight (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.pass().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'deployment controller pass failed'));
      const next = await this.deps.store.nextDue().catch(() => null);
      const untilNext = next ? next.getTime() - this.deps.clock().getTime() : this.deps.tickMs;
      // Due now but all in flight: their completion wakes the loop.
      const wait = untilNext > 0 ? Math.min(untilNext, this.deps.tickMs) : this.deps.tickMs;
      await this.sleep(wait, signal);
    }
    await this.idle();
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (this.kicked) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        this.kicked = false;
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = () => {};
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }
}
