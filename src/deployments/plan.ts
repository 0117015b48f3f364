import { InputError } from '../platform/errors.js';
import type { CanaryStep, CreateDeploymentBody, Step } from './schema.js';

/** The seed's canary: 10 → 25 → 50 → 100 %. */
export const SEED_CANARY_WEIGHTS = [10, 25, 50, 100] as const;
/** The seed's blue-green health checks (step 2, "Test Blue Environment"). */
export const SEED_HEALTH_PATHS = ['/health', '/api/health'];

/**
 * The new colour's health URL as a base the paths are appended to. Refused:
 * credentials (they would be stored and shown with the step), a query or
 * fragment (the paths could not be appended), anything but http(s).
 */
export function healthBase(raw: string): string {
  const field = { field: 'blueGreen/healthUrl' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError('body/blueGreen/healthUrl: not a valid URL', field);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError('body/blueGreen/healthUrl: must be http or https', field);
  if (url.username || url.password) throw new InputError('body/blueGreen/healthUrl: must not carry credentials (user:password@)', field);
  if (url.search || url.hash || raw.includes('?') || raw.includes('#')) throw new InputError('body/blueGreen/healthUrl: a base URL without query or fragment (the health paths are appended to it)', field);
  return url.href.replace(/\/+$/, '');
}

/**
 * The steps a deployment runs. Canary: the steps given, or the seed's
 * weights each followed by analysis (by a pause until promoted when there is
 * no analysis to run). Blue-green: health-check the new colour, analyse it
 * if asked (before it has traffic), ask its gates, wait for a person when
 * auto-promotion is off, switch, keep the old colour for the delay, scale it
 * down.
 */
export function planSteps(body: CreateDeploymentBody): Step[] {
  const hasAnalysis = body.analysis !== undefined;
  if ((body.strategy ?? 'canary') === 'blue-green') {
    if (body.steps) throw new InputError('body/steps: blue-green deployments have a fixed plan; steps are for canaries', { field: 'steps' });
    const options = body.blueGreen ?? {};
    return [
      {
        kind: 'healthCheck',
        paths: options.healthPaths ?? SEED_HEALTH_PATHS,
        timeoutSeconds: options.healthTimeoutSeconds ?? 60,
        ...(options.healthUrl ? { url: healthBase(options.healthUrl) } : {}),
      },
      ...(hasAnalysis ? [{ kind: 'analysis' } as const] : []),
      ...(options.gates ?? []).map((gate, i): Step => {
        if (!URL.canParse(gate.url)) throw new InputError(`body/blueGreen/gates/${i}/url: not a valid URL`, { field: 'blueGreen/gates' });
        return { kind: 'gate', url: gate.url, ...(gate.intervalSeconds === undefined ? {} : { intervalSeconds: gate.intervalSeconds }) };
      }),
      ...(options.autoPromotion === false ? [{ kind: 'pause' } as const] : []),
      { kind: 'setWeight', weight: 100 },
      { kind: 'pause', durationSeconds: Math.max(1, options.scaleDownDelaySeconds ?? 30) },
      { kind: 'scaleDown' },
    ];
  }
  if (body.blueGreen) throw new InputError('body/blueGreen: only for strategy "blue-green"', { field: 'blueGreen' });
  const steps: CanaryStep[] =
    body.steps ??
    SEED_CANARY_WEIGHTS.flatMap((weight): CanaryStep[] =>
      weight === 100 ? [{ kind: 'setWeight', weight }] : [{ kind: 'setWeight', weight }, hasAnalysis ? { kind: 'analysis' } : { kind: 'pause' }],
    );
  const analysisAt = steps.findIndex((s) => s.kind === 'analysis');
  if (analysisAt >= 0 && !hasAnalysis) {
    throw new InputError(`body/steps/${analysisAt}: an analysis step needs body/analysis (the metrics to check)`, { field: 'steps' });
  }
  return steps;
}
