import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry } from 'prom-client';

/**
 * A small HTTP service that Prometheus scrapes: one route, GET /api/v1/orders,
 * whose share of 500 answers the test sets, and GET /metrics with the series
 * NEXUS itself exports (http_requests_total and http_request_duration_seconds,
 * labelled method, route, status, and subset as a default label), so the
 * shipped rules read it exactly as they read NEXUS.
 *
 * No process metrics (collectDefaultMetrics): they would describe the whole
 * test worker, NEXUS included, and the shortened CPU rule could fire on a
 * busy machine for reasons that have nothing to do with this service.
 */

const ROUTE = '/api/v1/orders';

export interface SmallService {
  /** `host:port`, as a scrape target. */
  target: string;
  url: string;
  /** From now on, exactly this share of requests answers 500 (0 ≤ share ≤ 1). */
  setErrorShare(share: number): void;
  /** Answers given so far, by status. */
  answered(): Record<string, number>;
  close(): Promise<void>;
}

export async function startSmallService(subset = 'stable'): Promise<SmallService> {
  const registry = new Registry();
  registry.setDefaultLabels({ subset });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10],
    registers: [registry],
  });
  // Both series exist from the first scrape: a 5xx series born mid-test would
  // make rate() extrapolate from one sample and the ratio jump about.
  for (const status of ['200', '500']) requests.inc({ method: 'GET', route: ROUTE, status }, 0);

  let share = 0;
  let sinceChange = 0;
  const answered: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    if (req.url === '/metrics') {
      void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
      return;
    }
    if (req.method !== 'GET' || req.url !== ROUTE) {
      res.writeHead(404).end();
      return;
    }
    // Request n fails when floor(n·share) steps up: the share is exact over any run of requests, not random.
    const fails = Math.floor((sinceChange + 1) * share) > Math.floor(sinceChange * share);
    sinceChange++;
    const status = fails ? '500' : '200';
    res.writeHead(Number(status), { 'content-type': 'application/json' }).end(fails ? '{"error":"boom"}' : '{"orders":[]}');
    requests.inc({ method: 'GET', route: ROUTE, status });
    duration.observe({ method: 'GET', route: ROUTE, status }, Number(process.hrtime.bigint() - started) / 1e9);
    answered[status] = (answered[status] ?? 0) + 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}${ROUTE}`,
    setErrorShare(next) {
      if (!(next >= 0 && next <= 1)) throw new Error(`error share must be within [0, 1], got ${next}`);
      share = next;
      sinceChange = 0;
    },
    answered: () => ({ ...answered }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Traffic {
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
  /** Requests that got no HTTP answer at all (should stay 0). */
  failures(): string[];
}

/** Sends `perTick` GETs to `url` every `tickMs` until stopped; modest on purpose (two shared cores). */
export function startTraffic(url: string, perTick = 4, tickMs = 100): Traffic {
  const failures: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const send = () => {
    const request: Promise<void> = fetch(url)
      .then((res) => res.arrayBuffer())
      .then(
        () => undefined,
        (error: unknown) => void failures.push(error instanceof Error ? error.message : String(error)),
      )
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };
  const timer = setInterval(() => {
    for (let i = 0; i < perTick; i++) send();
  }, tickMs);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
    failures: () => [...failures],
  };
}
