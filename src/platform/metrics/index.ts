import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { AuthenticationError } from '../errors.js';

/** Buckets around the seed's thresholds: P3 fires at p95 > 2 s. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10];

export interface Metrics {
  registry: Registry;
}

/**
 * One registry per app (not prom-client's global), so several apps in one
 * process (tests) never share counters. `route` is the route template, never
 * the raw URL: ids in paths would explode the series count.
 */
export function createMetrics(subset: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ subset });
  collectDefaultMetrics({ register: registry });
  return { registry };
}

export function installHttpMetrics(app: FastifyInstance, metrics: Metrics, token: string | undefined): void {
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [metrics.registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [metrics.registry],
  });

  // One pair of series per method, route template and status: a bounded set, each looked up once
  // instead of prom-client hashing the label object on every request.
  const series = new Map<string, { count: Counter.Internal; time: Histogram.Internal<'method' | 'route' | 'status'> }>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let pair = series.get(key);
    if (!pair) {
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      pair = { count: requests.labels(labels), time: duration.labels(labels) };
      series.set(key, pair);
    }
    pair.count.inc();
    pair.time.observe(reply.elapsedTime / 1000);
    done();
  });

  app.get(
    '/metrics',
    { schema: { hide: true }, config: { access: 'public' } },
    async (request, reply) => {
      if (token && request.headers.authorization !== `Bearer ${token}`) {
        throw new AuthenticationError('GET /metrics needs the METRICS_TOKEN bearer token');
      }
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}
