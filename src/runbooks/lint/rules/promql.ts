import type { Finding } from '../schema.js';
import { finding, type LintTarget, type StaticRule } from '../context.js';
import { prometheusQueries, type PrometheusQuery } from './urls.js';

/**
 * promql-invalid: the `query=` of a Prometheus API call, sent to a live
 * Prometheus. Its parser is the authority: `bad_data` is an expression that
 * can never work. promql-long-range (info, no server needed): the seed's
 * monthly `rate(…[30d])` loads every sample of a month per series and
 * reaches past Prometheus' default 15-day retention.
 */

export interface PromqlQuery {
  target: LintTarget;
  query: PrometheusQuery;
}

export function promqlQueries(targets: LintTarget[]): PromqlQuery[] {
  return targets.flatMap((target) => target.calls.flatMap((call) => prometheusQueries(call).map((query) => ({ target, query }))));
}

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };
const LONG_RANGE_SECONDS = 86_400;

/** Seconds of a PromQL duration such as `5m`, `1h30m`, `30d`. */
export function durationSeconds(text: string): number {
  let total = 0;
  for (const match of text.matchAll(/(\d+)(ms|[smhdwy])/g)) total += Number(match[1]) * UNIT_SECONDS[match[2]!]!;
  return total;
}

export const promqlLongRange: StaticRule = (target) =>
  target.calls.flatMap((call) =>
    prometheusQueries(call).flatMap(({ expr }) => {
      const ranges = [...expr.matchAll(/\[((?:\d+(?:ms|[smhdwy]))+)(?::[^\]]*)?\]/g)].map((m) => m[1]!);
      const long = ranges.filter((range) => durationSeconds(range) >= LONG_RANGE_SECONDS);
      if (long.length === 0) return [];
      return [
        finding(
          target,
          'promql-long-range',
          'info',
          `range [${long.join('], [')}] makes Prometheus read every sample of that window for each series (slow, may time out) and reaches past the default 15d retention`,
          'for a trend, ask /api/v1/query_range with a short range and a step (rate(…[1h]) over 30 days), or use a recording rule',
        ),
      ];
    }),
  );

interface PromResponse {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
}

export type PromqlVerdict = { ok: true } | { ok: false; kind: 'invalid' | 'evaluation' | 'unchecked'; message: string };

/** One expression to Prometheus' instant-query API; reading only, bounded by `timeoutMs`. */
export async function askPrometheus(baseUrl: string, expr: string, timeoutMs: number): Promise<PromqlVerdict> {
  const body = new URLSearchParams({ query: expr, timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s` });
  const res = await fetch(new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`), {
    method: 'POST',
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const answer = (await res.json().catch(() => null)) as PromResponse | null;
  if (!answer) throw new Error(`Prometheus answered ${res.status} without JSON`);
  if (answer.status === 'success') return { ok: true };
  const message = (answer.error ?? 'unknown error').replace(/^invalid parameter "query": /, '');
  if (answer.errorType === 'bad_data') return { ok: false, kind: 'invalid', message };
  if (answer.errorType === 'execution') return { ok: false, kind: 'evaluation', message };
  return { ok: false, kind: 'unchecked', message: `${answer.errorType ?? res.status}: ${message}` };
}

function toFinding(item: PromqlQuery, verdict: Exclude<PromqlVerdict, { ok: true }>): Finding {
  const { target, query } = item;
  if (verdict.kind === 'invalid') {
    return finding(target, 'promql-invalid', 'error', `Prometheus rejects the query ${query.expr}: ${verdict.message}`, 'fix the expression; try it in the Prometheus UI (Graph tab) first');
  }
  if (verdict.kind === 'evaluation') {
    return finding(target, 'promql-invalid', 'warning', `Prometheus could not evaluate ${query.expr}: ${verdict.message}`, 'the expression parses but fails on the current data; check label matching');
  }
  return finding(target, 'promql-invalid', 'info', `PromQL could not be checked: ${verdict.message}`, 'run lint again');
}

/** Checks each distinct expression once. Expressions with shell variables are only known at run time. */
export async function checkPromql(queries: PromqlQuery[], baseUrl: string, timeoutMs: number): Promise<Finding[]> {
  const verdicts = new Map<string, PromqlVerdict>();
  const findings: Finding[] = [];
  for (const item of queries) {
    if (item.query.expr.includes('$')) continue;
    let verdict = verdicts.get(item.query.expr);
    if (!verdict) {
      verdict = await askPrometheus(baseUrl, item.query.expr, timeoutMs);
      verdicts.set(item.query.expr, verdict);
    }
    if (!verdict.ok) findings.push(toFinding(item, verdict));
  }
  return findings;
}
