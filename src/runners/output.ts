import type { LeaseRef } from '../runbooks/index.js';
import type { OutputStream } from './exec.js';

/** What an output pump needs of the queue: the same two calls a remote runner makes over HTTP. */
export interface OutputSink {
  publish(stream: OutputStream, chunk: string, offset: number): void;
  append(ref: LeaseRef, text: string): Promise<boolean>;
}

export interface OutputPumpOptions {
  /** Storage batches: at most this old... */
  flushMs: number;
  /** ...or this large. */
  flushBytes: number;
  /** Live output stops after this many bytes (one notice says so); storage goes on, bounded. */
  liveLimitBytes: number;
}

/**
 * Every chunk goes live at once (SSE latency is what a person watching
 * feels); storage gets it in batches, one statement per batch, in order.
 */
export class OutputPump {
  private offset = 0;
  private pending = '';
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private liveStopped = false;
  /** Set when storage refused a batch: the lease is gone. */
  leaseLost = false;

  constructor(
    private readonly ref: LeaseRef,
    private readonly sink: OutputSink,
    private readonly options: OutputPumpOptions,
  ) {}

  push(stream: OutputStream, text: string): void {
    if (this.offset < this.options.liveLimitBytes) this.sink.publish(stream, text, this.offset);
    else if (!this.liveStopped) {
      this.liveStopped = true;
      this.sink.publish(stream, `\n[nexus] live output paused after ${this.options.liveLimitBytes} bytes; the stored output has the rest\n`, this.offset);
    }
    this.offset += Buffer.byteLength(text);
    this.pending += text;
    if (this.pending.length >= this.options.flushBytes) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.flushMs);
  }

  get bytes(): number {
    return this.offset;
  }

  /** Flushes what is left and waits for every batch to be stored. */
  async close(): Promise<void> {
    this.flush();
    await this.chain;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === '') return;
    const batch = this.pending;
    this.pending = '';
    this.chain = this.chain.then(async () => {
      if (this.leaseLost) return;
      this.leaseLost = !(await this.sink.append(this.ref, batch).catch(() => true));
    });
  }
}
