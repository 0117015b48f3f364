import type { DeploymentDetail, DeploymentState, DeploymentSummary } from '../api/types.js';

export type DeploymentAction = 'promote' | 'pause' | 'resume' | 'abort' | 'rollback';

export const FINISHED_STATES: readonly DeploymentState[] = ['succeeded', 'aborted', 'failed', 'rolled_back'];

export const STATE_COLOR: Record<DeploymentState, string> = {
  progressing: 'blue',
  paused: 'yellow',
  aborting: 'orange',
  rolling_back: 'orange',
  succeeded: 'teal',
  aborted: 'gray',
  failed: 'red',
  rolled_back: 'gray',
};

const WAITING_STEPS = ['pause', 'analysis', 'gate'];

/**
 * The actions the server would accept now (src/deployments/service.ts), so
 * the page offers only those; the server checks again and its refusal is shown.
 */
export function availableActions(d: Pick<DeploymentSummary, 'state' | 'currentStep' | 'steps'>): DeploymentAction[] {
  const step = d.steps[d.currentStep];
  const waitsForPromotion = step?.kind === 'pause' && step.spec.durationSeconds === undefined && step.state === 'running';
  const out: DeploymentAction[] = [];
  if ((d.state === 'progressing' || d.state === 'paused') && step && WAITING_STEPS.includes(step.kind)) out.push('promote');
  if (d.state === 'progressing') out.push('pause');
  if (d.state === 'paused' && !waitsForPromotion) out.push('resume');
  if (d.state === 'progressing' || d.state === 'paused') out.push('abort');
  if (d.state === 'progressing' || d.state === 'paused' || d.state === 'succeeded') out.push('rollback');
  return out;
}

export function describeStep(step: DeploymentSummary['steps'][number]): string {
  const spec = step.spec;
  switch (step.kind) {
    case 'setWeight':
      return `Set weight ${String(spec.weight)} %`;
    case 'pause':
      return spec.durationSeconds === undefined ? 'Pause until promoted' : `Pause ${String(spec.durationSeconds)} s`;
    case 'analysis':
      return 'Analysis';
    case 'gate':
      return `Gate: ${String(spec.url)} confirms`;
    case 'healthCheck':
      return `Health check ${Array.isArray(spec.paths) ? spec.paths.join(', ') : ''}${typeof spec.url === 'string' ? ` at ${spec.url}` : ''}`;
    case 'scaleDown':
      return 'Scale down the old colour';
    default:
      return step.kind;
  }
}

export interface Point {
  at: number;
  value: number;
}
export interface MetricSeries {
  metric: string;
  points: Array<Point & { phase: string }>;
  max?: number;
  min?: number;
}
export interface ChartData {
  start: number;
  end: number;
  /** The new version's share of traffic over time, as the router confirmed it: a step line. */
  weight: Point[];
  metrics: MetricSeries[];
}

/**
 * What the chart draws: the weight from the timeline's traffic events (and
 * the final state), each metric's measured values with its thresholds.
 * Measurements without a value (inconclusive) are left out of the line.
 */
export function chartData(d: DeploymentDetail, now: number): ChartData {
  const start = Date.parse(d.createdAt);
  const end = d.finishedAt ? Date.parse(d.finishedAt) : Math.max(now, start + 1000);
  const weight: Point[] = [{ at: start, value: 0 }];
  for (const e of d.timeline) {
    if (e.kind === 'traffic' && typeof e.data.weight === 'number') weight.push({ at: Date.parse(e.at), value: e.data.weight });
  }
  weight.push({ at: end, value: weight.at(-1)!.value });
  const thresholds = new Map<string, { max?: number; min?: number }>();
  const metricsSpec = (d.analysis as { metrics?: Array<{ name: string; max?: number; min?: number }> } | null)?.metrics ?? [];
  for (const m of metricsSpec) thresholds.set(m.name, { ...(m.max !== undefined ? { max: m.max } : {}), ...(m.min !== undefined ? { min: m.min } : {}) });
  const byMetric = new Map<string, MetricSeries>();
  for (const name of thresholds.keys()) byMetric.set(name, { metric: name, points: [], ...thresholds.get(name) });
  for (const m of d.measurements) {
    const series = byMetric.get(m.metric) ?? { metric: m.metric, points: [] };
    byMetric.set(m.metric, series);
    if (m.value !== null) series.points.push({ at: Date.parse(m.at), value: m.value, phase: m.phase });
  }
  return { start, end, weight, metrics: [...byMetric.values()] };
}

/** Time since the deployment started, the x-axis's labels: `0:00`, `4:30`, `1:02:00`. */
export function elapsed(ms: number): string {
  const total = Math.round(ms / 1000);
  const [h, m, sec] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}
