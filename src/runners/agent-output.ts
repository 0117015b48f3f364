import type { OutputStream } from './exec.js';
import type { OutputChunk } from './schema.js';

export interface OutputSenderOptions {
  /** A chunk waits at most this long for company before it is sent. */
  flushMs: number;
  /** A batch is sent at once when it reaches this size. */
  flushBytes: number;
  /** While NEXUS cannot be reached, output beyond this is dropped (counted, and said so in the output). */
  maxPendingBytes: number;
}

/**
 * Delivers one batch: true when stored, false when the lease is gone (409).
 * Throws when it could not; `retry` then decides whether to try again.
 */
export type SendBatch = (chunks: OutputChunk[]) => Promise<boolean>;
/** Waits before attempt `attempt + 1`; false gives the batch up (the agent is shutting down, or fatally refused). */
export type RetryWait = (error: unknown, attempt: number) => Promise<boolean>;

/** Merged chunks stay small, so one batch stays far below NEXUS's body limit even when JSON-escaped. */
const MAX_MERGED_CHARS = 32 * 1024;

/**
 * A running command's output on its way to NEXUS: chunks in order, in
 * batches, one request at a time. A chunk waits at most `flushMs` (so live
 * output stays live), and whatever piles up while a request is in flight
 * goes in the next one (so a chatty command does not become one request
 * per line). Offsets count every byte the command wrote, so NEXUS can drop
 * a batch it already has when a lost answer made us send it again.
 */
export class OutputSender {
  private offset = 0;
  private pending: OutputChunk[] = [];
  private pendingBytes = 0;
  private droppedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | null = null;
  /** Set when NEXUS refused a batch with 409: the lease is gone. */
  leaseLost = false;

  constructor(
    private readonly send: SendBatch,
    private readonly retry: RetryWait,
    private readonly options: OutputSenderOptions,
  ) {}

  push(stream: OutputStream, text: string): void {
    const bytes = Buffer.byteLength(text);
    const at = this.offset;
    this.offset += bytes;
    if (this.leaseLost) return;
    if (this.pendingBytes + bytes > this.options.maxPendingBytes) {
      this.droppedBytes += bytes;
      return;
    }
    if (this.droppedBytes > 0) {
      text = `\n[nexus runner] ${this.droppedBytes} bytes of output dropped while NEXUS could not be reached\n${text}`;
      this.droppedBytes = 0;
    }
    const last = this.pending[this.pending.length - 1];
    if (last && last.stream === stream && last.text.length + text.length <= MAX_MERGED_CHARS) last.text += text;
    else this.pending.push({ stream, text, offset: at });
    this.pendingBytes += bytes;
    if (this.pendingBytes >= this.options.flushBytes) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.options.flushMs);
  }

  /** Sends what is left and waits until every batch is delivered or given up. */
  async close(): Promise<void> {
    this.kick();
    while (this.sending) await this.sending;
  }

  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.sending || this.pending.length === 0) return;
    this.sending = this.drain().finally(() => {
      this.sending = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.leaseLost) {
      clearTimeout(this.timer);
      this.timer = undefined;
      const batch = this.take();
      await this.deliver(batch);
    }
  }

  private take(): OutputChunk[] {
    const batch: OutputChunk[] = [];
    let bytes = 0;
    while (this.pending.length > 0 && (batch.length === 0 || bytes < this.options.flushBytes)) {
      const chunk = this.pending.shift()!;
      bytes += Buffer.byteLength(chunk.text);
      batch.push(chunk);
    }
    this.pendingBytes = Math.max(0, this.pendingBytes - bytes);
    return batch;
  }

  private async deliver(batch: OutputChunk[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        if (!(await this.send(batch))) this.leaseLost = true;
        return;
      } catch (error) {
        if (!(await this.retry(error, attempt))) return;
      }
    }
  }
}
