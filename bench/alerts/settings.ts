/** What the alerts benchmark sends, and the targets. */

/** BENCH_ALERTS_SECONDS shortens every case for a quick try; the figures are taken at 20 s. */
export const SECONDS = Number(process.env.BENCH_ALERTS_SECONDS ?? 20);
export const WARMUP_SECONDS = 2;
/** Share of the alerts in steady state that are new fingerprints; the rest repeat alerts already sent. */
export const NEW_SHARE = 0.1;

/**
 * 100 alerts × 50 connections would be 5,000 alerts in flight; 10 connections
 * already keep either server busy. Fewer groups for 100-alert payloads keeps
 * the alerts per group (and so per incident) in proportion.
 */
export const SHAPES = [
  { id: '1x', perPayload: 1, connections: 50, groups: 50 },
  { id: '100x', perPayload: 100, connections: 10, groups: 20 },
] as const;
export type Shape = (typeof SHAPES)[number];

/** 1,000 alerts/s two ways: one alert per request (the hard case) and ten per request (Alertmanager batches per group). */
export const FIXED = [
  { id: '1x', perPayload: 1, requestsPerSecond: 1000, groups: 50 },
  { id: '10x', perPayload: 10, requestsPerSecond: 100, groups: 50 },
] as const;
export const FIXED_CONNECTIONS = 50;
/** A server this far behind cannot do the rate; stopping there keeps the whole run within ~5 minutes. */
export const FIXED_MAX_BACKLOG_SECONDS = 3;
export const FIXED_ALERTS_PER_SECOND = 1000;

export const PAGING = { rate: 10, seconds: SECONDS };

export const TARGETS = { fixedP99Ms: 50, pagingP99Ms: 1000 };
