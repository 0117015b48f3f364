import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { TestPrometheus, type Sample } from '../support/prometheus.js';

/**
 * A real Prometheus (Debian's `prometheus`) scraping a running NEXUS every
 * second, and the seed's own queries answered from what it scraped. Not
 * skipped when Prometheus is missing: a skipped test would hide a machine
 * that cannot check the dashboards' and alerts' queries.
 */

/** Every wait in this file ends by this many ms; the whole file stays well under 30 s. */
const DATA_DEADLINE_MS = 20_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns a value (not undefined) or the deadline
 * passes; the timeout error carries the last thing seen, so a failure says why.
 */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = DATA_DEADLINE_MS): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let last: unknown = 'nothing yet';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}; last: ${typeof last === 'string' ? last : JSON.stringify(last)}`);
    }
    await sleep(250);
  }
}

const describeValue = (samples: Sample[]) =>
  JSON.stringify(samples.map((s) => ({ route: s.metric.route, status: s.metric.status, subset: s.metric.subset, value: s.value[1] })));

describe('Prometheus scraping a running NEXUS', () => {
  let t: TestApp | undefined;
  let prom: TestPrometheus | undefined;
  const missingPath = `/api/v1/no-such-thing/${randomUUID()}`;
  /** Responses by status code, counted as the traffic is sent. */
  const sent: Record<number, number> = {};

  beforeAll(async () => {
    // NEXUS and Prometheus start side by side. NEXUS binds port 0 (a port
    // chosen up front may be taken by a parallel test before it binds);
    // Prometheus learns it by a reload, before its first scrape anyway.
    // allSettled: whichever starts must be assigned, so afterAll can stop it.
    const started = await Promise.allSettled([
      createTestApp('postgres', { start: { listen: true }, env: { NEXUS_SUBSET: 'canary' } }).then((app) => (t = app)),
      TestPrometheus.start().then((running) => (prom = running)),
    ]);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    if (!t || !prom) throw new Error('unreachable: NEXUS or Prometheus missing after start');
    await prom.reconfigure({ scrapeTargets: [new URL(t.server.url).host] });

    // Prometheus applies its targets ~5 s after start. Traffic runs in small
    // waves until the first scrape succeeded and a few waves after it, so the
    // counters grow between scrapes (rate() of a flat counter is 0).
    const nexus = t.server.url;
    const auth = { authorization: `Bearer ${t.tokens.viewer}` };
    const hit = async (url: string, expected: number, headers: Record<string, string> = {}) => {
      const res = await fetch(`${nexus}${url}`, { headers });
      await res.arrayBuffer();
      if (res.status !== expected) throw new Error(`GET ${url}: expected ${expected}, got ${res.status}`);
      sent[res.status] = (sent[res.status] ?? 0) + 1;
    };
    const wave = () =>
      Promise.all([
        ...Array.from({ length: 15 }, () => hit('/health', 200)),
        ...Array.from({ length: 8 }, () => hit('/api/v1/me', 200, auth)),
        ...Array.from({ length: 2 }, () => hit(missingPath, 404)),
      ]);
    const p = prom;
    const deadline = Date.now() + DATA_DEADLINE_MS;
    let wavesAfterUp = 0;
    while (wavesAfterUp < 4) {
      await wave();
      await sleep(400);
      if (wavesAfterUp > 0 || (await p.targets()).some((target) => target.health === 'up')) wavesAfterUp++;
      if (Date.now() > deadline) {
        const targets = await p.targets();
        throw new Error(`no successful scrape of NEXUS within ${DATA_DEADLINE_MS} ms: ${JSON.stringify(targets)}\n${p.log()}`);
      }
    }
    expect(sent[200]).toBeGreaterThanOrEqual(4 * 23);
  });

  afterAll(async () => {
    await prom?.stop();
    await t?.close();
  });

  it('has NEXUS as an up target', async () => {
    const targets = await prom!.targets();
    const nexus = targets.find((target) => target.scrapeUrl === `${t!.server.url}/metrics`);
    expect(nexus, `targets: ${JSON.stringify(targets)}`).toBeDefined();
    expect(nexus!.health, `last scrape error: ${nexus!.lastError}`).toBe('up');
    expect(nexus!.labels.job).toBe('nexus');
  });

  it('answers sum(rate(http_requests_total[5m])) with a positive rate', async () => {
    const [total] = await eventually('a positive request rate', async () => {
      const samples = await prom!.query('sum(rate(http_requests_total[5m]))');
      const value = Number(samples[0]?.value[1]);
      if (samples.length === 1 && value > 0) return samples;
      throw new Error(`got ${JSON.stringify(samples)}`);
    });
    expect(Number(total!.value[1])).toBeGreaterThan(0);
  });

  it('answers the p95 latency query per route template, never per raw URL', async () => {
    const expr = 'histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m]))';
    const samples = await eventually('a finite p95 for /api/v1/me', async () => {
      const result = await prom!.query(expr);
      const me = result.find((s) => s.metric.route === '/api/v1/me' && Number.isFinite(Number(s.value[1])));
      if (me) return result;
      throw new Error(`got ${describeValue(result)}`);
    });

    const templates = new Set([...t!.server.routes.map((route) => route.url), 'unmatched']);
    for (const sample of samples) {
      expect(sample.metric.route, `series without a route label: ${JSON.stringify(sample.metric)}`).toBeDefined();
      expect(templates, `route label "${sample.metric.route}" is not a route template`).toContain(sample.metric.route);
      expect(sample.metric.subset).toBe('canary');
    }
    const finite = samples.filter((s) => Number.isFinite(Number(s.value[1])));
    for (const sample of finite) {
      const p95 = Number(sample.value[1]);
      expect(p95).toBeGreaterThan(0);
      expect(p95, `p95 of ${sample.metric.route}`).toBeLessThanOrEqual(10);
    }
    expect(finite.map((s) => s.metric.route)).toContain('/health');
  });

  it('labels the 404 as "unmatched", not with the requested path', async () => {
    const samples = await eventually(`all ${sent[404]} requests of the 404 scraped`, async () => {
      const result = await prom!.query('sum by (route, status) (http_requests_total)');
      const scraped = result.filter((s) => s.metric.status === '404').reduce((n, s) => n + Number(s.value[1]), 0);
      if (scraped >= sent[404]!) return result;
      throw new Error(`got ${describeValue(result)}`);
    });
    const notFound = samples.filter((s) => s.metric.status === '404');
    expect(notFound.map((s) => s.metric.route)).toEqual(['unmatched']);
    expect(Number(notFound[0]!.value[1])).toBe(sent[404]);
    const routes = samples.map((s) => s.metric.route ?? '');
    expect(routes.filter((route) => route.includes('no-such-thing') || route.includes('?'))).toEqual([]);
  });

  it('answers the canary query rate(http_requests_total{subset="canary"}[5m])', async () => {
    const samples = await eventually('canary series', async () => {
      const result = await prom!.query('rate(http_requests_total{subset="canary"}[5m])');
      if (result.length > 0) return result;
      throw new Error('empty result');
    });
    expect(samples.every((s) => s.metric.subset === 'canary')).toBe(true);
    expect(samples.some((s) => s.metric.route === '/api/v1/me' && Number(s.value[1]) > 0), describeValue(samples)).toBe(true);
    expect(await prom!.query('http_requests_total{subset="stable"}')).toEqual([]);
  });
});
