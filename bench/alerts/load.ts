/**
 * Two ways of sending load. `saturate`: autocannon, closed loop, as fast as
 * the server answers (throughput). `paced`: an open loop at a fixed rate,
 * written here because autocannon's rate limit sends each connection's share
 * of a second back to back and then waits for the next second (bursts, not
 * 1,000 evenly spaced requests), and corrects its latencies with an interval
 * of `ceil(1 / rate)` = 1 ms. Paced latencies are measured from the moment a
 * request was due, so a server that falls behind shows it (no coordinated
 * omission).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { stopAll } from './processes.js';

export interface LoadResult {
  seconds: number;
  /** Requests answered 2xx: the sender was told its alerts were committed. */
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  p50: number;
  p99: number;
  max: number;
  /** Status codes other than 2xx, for the report. */
  statuses: Record<string, number>;
  /** Paced only: seconds after which sending stopped because the server had fallen too far behind. */
  gaveUpAfter?: number;
}

export interface SaturateOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  body: () => string;
}

export function saturate(options: SaturateOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        headers: { 'content-type': 'application/json', ...options.headers },
        // A fresh body per request: the alert stream decides which alerts are new and which repeat.
        requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, body: options.body() }) }],
      },
      (error: unknown, result) => {
        stopAll.signal.removeEventListener('abort', stop);
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const statuses: Record<string, number> = {};
        for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) if (!code.startsWith('2')) statuses[code] = stat.count ?? 0;
        resolve({
          seconds: result.duration,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
          p50: result.latency.p50,
          p99: result.latency.p99,
          max: result.latency.max,
          statuses,
        });
      },
    );
    const stop = () => instance.stop();
    stopAll.signal.addEventListener('abort', stop);
  });
}

export interface PacedOptions {
  url: string;
  headers: Record<string, string>;
  /** Requests per second, evenly spaced. */
  rate: number;
  seconds: number;
  /** Most requests in flight; more wait in the client (and their wait counts in their latency). */
  connections: number;
  body: (index: number) => string;
  /** Sees every answer; `sentAt` is performance.now() when the request was due. */
  onResponse?: (index: number, status: number, text: string, sentAt: number) => void;
  /** How long to wait for the last answers once everything is sent. */
  drainMs?: number;
  /**
   * Stop sending once this many seconds' worth of requests wait unanswered:
   * the rate is then out of reach, and a growing queue only makes the case longer.
   */
  maxBacklogSeconds?: number;
  /** Stops sending early (a case that lasts as long as something else runs). */
  signal?: AbortSignal;
}

/**
 * Sends `count` bodies, `concurrency` at a time, and waits for every answer:
 * untimed, to bring each group to its steady state before a case is measured.
 * Returns the number of 2xx answers.
 */
export async function prime(url: string, headers: Record<string, string>, count: number, concurrency: number, body: () => string): Promise<number> {
  let next = 0;
  let ok = 0;
  const worker = async () => {
    while (next < count && !stopAll.signal.aborted) {
      next += 1;
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body() });
      await res.arrayBuffer();
      if (res.ok) ok += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ok;
}

/** Nearest-rank percentile of unsorted values (ms); NaN when there are none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export async function paced(options: PacedOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let lastAnswer = 0;
  const pending = new Set<Promise<void>>();

  const send = (index: number, due: number) => {
    const body = options.body(index);
    const done = new Promise<void>((resolve) => {
      const request = http.request(
        {
          agent,
          method: 'POST',
          hostname: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            lastAnswer = performance.now();
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              ok += 1;
              latencies.push(lastAnswer - due);
            } else {
              non2xx += 1;
              statuses[status] = (statuses[status] ?? 0) + 1;
            }
            options.onResponse?.(index, status, Buffer.concat(chunks).toString('utf8'), due);
            resolve();
          });
          response.on('error', () => {
            errors += 1;
            resolve();
          });
        },
      );
      request.on('error', () => {
        errors += 1;
        resolve();
      });
      request.end(body);
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const start = performance.now();
  const maxPending = options.rate * (options.maxBacklogSeconds ?? Number.POSITIVE_INFINITY);
  let gaveUpAfter: number | undefined;
  let sent = 0;
  while (sent < total && !stopAll.signal.aborted && !options.signal?.aborted) {
    if (pending.size > maxPending) {
      gaveUpAfter = (performance.now() - start) / 1000;
      break;
    }
    const now = performance.now();
    // Everything due by now goes out at once; a late timer does not lower the rate.
    while (sent < total && start + sent * interval <= now) {
      send(sent, start + sent * interval);
      sent += 1;
    }
    const wait = start + sent * interval - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
  }
  const drained = Promise.all([...pending]).then(() => true);
  const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), options.drainMs ?? 30_000).unref());
  if (!(await Promise.race([drained, timedOut]))) errors += pending.size;
  agent.destroy();
  return {
    seconds: ((lastAnswer || performance.now()) - start) / 1000,
    ok,
    non2xx,
    errors,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: percentile(latencies, 1),
    statuses,
    ...(gaveUpAfter === undefined ? {} : { gaveUpAfter }),
  };
}
