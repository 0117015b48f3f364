import type { LeaseRef, StepLease, StepQueue } from '../runbooks/index.js';
import type { OutputStream } from './exec.js';
import { StreamRedactor, redactAll, secretSet } from './redact.js';
import type { OutputChunk } from './schema.js';

/** What the server keeps about a lease a remote runner holds, between its HTTP calls. */
export interface LeaseContext {
  lease: StepLease;
  runnerId: string;
  secrets: string[];
  /** Per stream, like the runner's own: a secret split across two batches is still caught. */
  redactors: Record<OutputStream, StreamRedactor>;
  /** Where the runner's byte count has reached: a batch sent again after a lost answer is not stored twice. */
  nextOffset: number;
  liveStopped: boolean;
  lastUsed: number;
}

/** A context nobody used this long is forgotten (its runner died); the next call rebuilds it. */
const IDLE_MS = 10 * 60_000;

/**
 * Server-side state of remote leases, per replica. The runner redacts what
 * it sends, but the server does not rely on that (an old or misconfigured
 * agent, or one missing a secret): every chunk is redacted again here, with
 * the run's secrets and NEXUS's own, before it is stored or published. A
 * replica that did not hand out the lease rebuilds the context from the row.
 */
export class LeaseContexts {
  private readonly byLease = new Map<string, LeaseContext>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly queue: StepQueue,
    private readonly serverSecrets: () => readonly string[],
    private readonly liveLimitBytes: number,
  ) {
    this.timer = setInterval(() => this.evictIdle(), 60_000);
    this.timer.unref();
  }

  remember(lease: StepLease, runnerId: string): LeaseContext {
    const secrets = secretSet([...lease.secrets, ...this.serverSecrets()]);
    const context: LeaseContext = {
      lease,
      runnerId,
      secrets,
      redactors: { stdout: new StreamRedactor(secrets), stderr: new StreamRedactor(secrets) },
      nextOffset: 0,
      liveStopped: false,
      lastUsed: Date.now(),
    };
    this.byLease.set(lease.leaseId, context);
    return context;
  }

  /** The context of a lease the row says is still held, or the step's current state. */
  async get(ref: LeaseRef): Promise<{ context: LeaseContext } | { state: string | null }> {
    const known = this.byLease.get(ref.leaseId);
    if (known && known.lease.stepId === ref.stepId) {
      known.lastUsed = Date.now();
      return { context: known };
    }
    const found = await this.queue.leaseOf(ref);
    if (!found.held) return { state: found.state };
    return { context: this.remember(found.lease, found.runnerId) };
  }

  forget(leaseId: string): void {
    this.byLease.delete(leaseId);
  }

  close(): void {
    clearInterval(this.timer);
    this.byLease.clear();
  }

  /**
   * Redacts and publishes one batch; returns the text to store. Chunks the
   * server already has (by offset) are skipped.
   */
  accept(context: LeaseContext, chunks: OutputChunk[]): string {
    let stored = '';
    for (const chunk of chunks) {
      const end = chunk.offset + Buffer.byteLength(chunk.text);
      if (end <= context.nextOffset) continue;
      context.nextOffset = end;
      const safe = context.redactors[chunk.stream].push(chunk.text);
      if (safe === '') continue;
      this.publish(context, chunk.stream, safe, chunk.offset);
      stored += safe;
    }
    return stored;
  }

  /** The end of the command: what the redactors held back cannot become a secret any more. */
  drain(context: LeaseContext): string {
    let rest = '';
    for (const stream of ['stdout', 'stderr'] as const) {
      const held = context.redactors[stream].flush();
      if (held === '') continue;
      this.publish(context, stream, held, context.nextOffset);
      rest += held;
    }
    return rest;
  }

  redactText(context: LeaseContext, text: string): string {
    return redactAll(text, context.secrets);
  }

  /** Live output stops after a bound (one notice says so), as with the local runner; storage goes on. */
  private publish(context: LeaseContext, stream: OutputStream, text: string, offset: number): void {
    if (offset < this.liveLimitBytes) {
      this.queue.publishOutput(context.lease, stream, text, offset);
    } else if (!context.liveStopped) {
      context.liveStopped = true;
      const notice = `\n[nexus] live output paused after ${this.liveLimitBytes} bytes; the stored output has the rest\n`;
      this.queue.publishOutput(context.lease, stream, notice, offset);
    }
  }

  private evictIdle(): void {
    const cutoff = Date.now() - IDLE_MS;
    for (const [leaseId, context] of this.byLease) if (context.lastUsed < cutoff) this.byLease.delete(leaseId);
  }
}
