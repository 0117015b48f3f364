import type { AnalysisMetric, AnalysisSettings } from './schema.js';

export type MeasurementPhase = 'successful' | 'failed' | 'inconclusive';

export interface MetricResult {
  metric: string;
  value: number | null;
  phase: MeasurementPhase;
  message: string | null;
}

export const ANALYSIS_DEFAULTS = { intervalSeconds: 60, count: 3, failureLimit: 0, inconclusiveLimit: 0, initialDelaySeconds: 0 } as const;

export function withDefaults(analysis: Partial<AnalysisSettings> & Pick<AnalysisSettings, 'metrics'>): AnalysisSettings {
  return { ...ANALYSIS_DEFAULTS, ...analysis };
}

const QUERY_TIMEOUT_MS = 10_000;

/** `{{service}}` and `{{version}}` in a query; both are validated names (schema.ts), so they cannot break out of a label value. */
export function expandQuery(query: string, vars: { service: string; version: string; stableVersion: string }): string {
  return query.replaceAll('{{service}}', vars.service).replaceAll('{{version}}', vars.version).replaceAll('{{stableVersion}}', vars.stableVersion);
}

interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: unknown };
}

/**
 * Reads one number (or one per series) from Prometheus's `/api/v1/query`.
 * Anything that is not a number — no series, NaN, an error, Prometheus down —
 * is inconclusive: a measurement that could not tell, never a pass.
 */
export async function measure(prometheusUrl: string | undefined, metric: AnalysisMetric, query: string): Promise<MetricResult> {
  const inconclusive = (message: string): MetricResult => ({ metric: metric.name, value: null, phase: 'inconclusive', message });
  if (!prometheusUrl) return inconclusive('no Prometheus configured (PROMETHEUS_URL)');
  let body: PromResponse;
  try {
    // Relative to the base, so a Prometheus behind a path prefix (`http://host/prometheus`) works too.
    const endpoint = new URL('api/v1/query', prometheusUrl.endsWith('/') ? prometheusUrl : `${prometheusUrl}/`);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    // fetch refuses a URL with credentials and names the URL in its error, which measurements show to viewers.
    if (endpoint.username || endpoint.password) {
      const user = decodeURIComponent(endpoint.username);
      const password = decodeURIComponent(endpoint.password);
      headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      endpoint.username = '';
      endpoint.password = '';
    }
    const res = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: new URLSearchParams({ query }).toString(),
      signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
    });
    body = (await res.json()) as PromResponse;
  } catch (error) {
    return inconclusive(`Prometheus did not answer: ${(error as Error).message}`.slice(0, 300));
  }
  if (body.status !== 'success' || !body.data) return inconclusive(`Prometheus: ${body.error ?? 'error'}`.slice(0, 300));
  const values = numbersOf(body.data);
  if (values === null) return inconclusive(`unexpected result type ${body.data.resultType}`);
  if (values.length === 0) return inconclusive('no data');
  return judge(metric, values);
}

function numbersOf(data: { resultType: string; result: unknown }): number[] | null {
  if (data.resultType === 'scalar') return [Number((data.result as [number, string])[1])];
  if (data.resultType === 'vector') return (data.result as Array<{ value: [number, string] }>).map((s) => Number(s.value[1]));
  return null;
}

/** Every sample must be within the thresholds; the value kept is the worst one seen. */
export function judge(metric: AnalysisMetric, values: number[]): MetricResult {
  if (values.some((v) => !Number.isFinite(v))) return { metric: metric.name, value: null, phase: 'inconclusive', message: 'the query returned NaN or Inf' };
  const tooHigh = metric.max === undefined ? [] : values.filter((v) => v > metric.max!);
  const tooLow = metric.min === undefined ? [] : values.filter((v) => v < metric.min!);
  if (tooHigh.length > 0) return { metric: metric.name, value: Math.max(...tooHigh), phase: 'failed', message: `${Math.max(...tooHigh)} > max ${metric.max}` };
  if (tooLow.length > 0) return { metric: metric.name, value: Math.min(...tooLow), phase: 'failed', message: `${Math.min(...tooLow)} < min ${metric.min}` };
  const worst = metric.max !== undefined ? Math.max(...values) : Math.min(...values);
  return { metric: metric.name, value: worst, phase: 'successful', message: null };
}

export type Verdict = 'running' | 'successful' | 'failed' | 'inconclusive';

/**
 * Rounds so far → what the analysis step does: a round fails when any of
 * its metrics failed, is inconclusive when none failed but one could not
 * tell. More failed rounds than the failure limit fail the analysis; more
 * inconclusive ones than their limit hand it to a person.
 */
export function verdict(settings: AnalysisSettings, rounds: MeasurementPhase[][]): Verdict {
  const phaseOf = (round: MeasurementPhase[]) => (round.includes('failed') ? 'failed' : round.includes('inconclusive') ? 'inconclusive' : 'successful');
  const phases = rounds.map(phaseOf);
  if (phases.filter((p) => p === 'failed').length > settings.failureLimit) return 'failed';
  if (phases.filter((p) => p === 'inconclusive').length > settings.inconclusiveLimit) return 'inconclusive';
  return rounds.length >= settings.count ? 'successful' : 'running';
}
