import { Counter, type Registry } from 'prom-client';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { expandQuery, measure, verdict, type MeasurementPhase, type MetricResult } from './analysis.js';
import { askGate, gateOrigin } from './gate.js';
import { checkHealth } from './health.js';
import { RouterError, type Backend, type TrafficRouter } from './router.js';
import type { AnalysisSettings, DeploymentState, Step } from './schema.js';
import type { DeploymentPatch, DeploymentRow, DeploymentStore, StepPatch, StepRow } from './store.js';
import { CONTROLLER_ACTOR, type DeploymentTimeline } from './timeline.js';

/** How a failed deployment reaches responders: an incident with the rollback procedure attached (incidents domain). */
export interface IncidentPort {
  openForDeployment(row: DeploymentRow): Promise<string | null>;
}

export interface ControllerDeps {
  store: DeploymentStore;
  timeline: DeploymentTimeline;
  routers: ReadonlyMap<string, TrafficRouter>;
  incidents: IncidentPort;
  clock: Clock;
  logger: Logger;
  registry: Registry;
  prometheusUrl: string | undefined;
}

/** A step handler's answer: go on with the next action now, or wait until `next_at`. */
type Next = 'again' | 'wait';

const MAX_ACTIONS_PER_PASS = 50;
/** A router that refused a change during an abort is asked again this often: an abort never gives up. */
const ABORT_RETRY_MS = 2000;
const HEALTH_RETRY_MS = 2000;
const DEFAULT_GATE_INTERVAL_SECONDS = 10;

/**
 * Moves deployments step by step. Every decision is written before it is
 * acted on and confirmed after: a traffic change is first recorded as intent
 * (`intent_weight`), then sent to the router (which compares with what it
 * has, so a repeat changes nothing), then committed. A controller that dies
 * anywhere in between finds the intent on restart, sees the router already
 * has it and only commits — the router is not touched twice.
 */
export class DeploymentController {
  private readonly analysisResults: Counter<'result'>;
  private readonly trafficChanges: Counter<'router'>;

  constructor(private readonly deps: ControllerDeps) {
    this.analysisResults = new Counter({
      name: 'nexus_deployment_analysis_total',
      help: 'Analysis measurements of deployments, by result (successful, failed, inconclusive)',
      labelNames: ['result'] as const,
      registers: [deps.registry],
    });
    this.trafficChanges = new Counter({
      name: 'nexus_deployment_traffic_changes_total',
      help: 'Traffic changes sent to a router (repeats that changed nothing are not counted)',
      labelNames: ['router'] as const,
      registers: [deps.registry],
    });
  }

  /** Acts on one deployment until it has to wait (for time, a person, or the end). */
  async advance(id: string): Promise<void> {
    for (let i = 0; i < MAX_ACTIONS_PER_PASS; i++) {
      const row = await this.deps.store.get(id);
      if (!row || !['progressing', 'aborting', 'rolling_back'].includes(row.state) || row.nextAt > this.deps.clock()) return;
      const steps = await this.deps.store.steps(id);
      if ((await this.act(row, steps)) === 'wait') return;
    }
  }

  private async act(row: DeploymentRow, steps: StepRow[]): Promise<Next> {
    if (row.state !== 'progressing') return this.finishAbort(row);
    const step = steps[row.currentStep];
    if (!step) return this.complete(row);
    const spec = step.spec as Step;
    switch (spec.kind) {
      case 'setWeight':
        return this.setWeight(row, step, spec.weight);
      case 'pause':
        return this.pause(row, step, spec.durationSeconds);
      case 'analysis':
        return this.analyse(row, step);
      case 'gate':
        return this.gate(row, step, spec.url, spec.intervalSeconds ?? DEFAULT_GATE_INTERVAL_SECONDS);
      case 'healthCheck':
        return this.healthCheck(row, step, spec.paths, spec.timeoutSeconds, spec.url);
      case 'scaleDown':
        return this.scaleDown(row, step);
    }
  }

  // --- traffic -------------------------------------------------------------

  /**
   * Stable and new version with their shares; a 0 % new version is left out,
   * and so is a retired stable one. Once a promotion hands over (or is
   * handing over) to the stable Deployment, that Deployment serves alone: the
   * new image at 100 %, or, for a rollback (0 %), the image recorded at start.
   */
  private backends(row: DeploymentRow, weight: number, retireStable: boolean): Backend[] {
    if (row.stableHandover !== null && row.stableImage) {
      return weight === 0
        ? [{ version: row.stableVersion, upstream: row.stableUpstream, weight: 100, image: row.stableImage }]
        : [{ version: row.version, upstream: row.stableUpstream, weight: 100, ...(row.image ? { image: row.image } : {}) }];
    }
    const out: Backend[] = [];
    if (!(retireStable && weight === 100)) out.push({ version: row.stableVersion, upstream: row.stableUpstream, weight: 100 - weight });
    if (weight > 0) out.push({ version: row.version, upstream: row.upstream, weight, ...(row.image ? { image: row.image } : {}) });
    return out;
  }

  /**
   * Intent → router → commit. Returns the committed row, or null when a
   * person's action (abort, pause) wrote the row in between: the caller
   * stops and the next pass acts on the new state.
   */
  private async route(row: DeploymentRow, weight: number, retireStable: boolean): Promise<DeploymentRow | null> {
    const router = this.deps.routers.get(row.router);
    if (!router) throw new RouterError(`the ${row.router} router is not configured on this NEXUS`);
    let current = row;
    if (row.intentWeight !== weight) {
      const written = await this.deps.store.update(row.id, row.revision, { intentWeight: weight });
      if (!written) return null;
      current = written;
    }
    const wanted = this.backends(current, weight, retireStable);
    let changed: boolean;
    try {
      // Always apply, never "current() matches, skip": apply is idempotent and also finishes what a restart
      // interrupted after the route changed (a Kubernetes router's scale-down, an nginx reload).
      changed = (await router.apply(current.service, wanted)).changed;
    } catch (error) {
      throw new RouteFailed(current, error);
    }
    const committed = await this.deps.store.commitWeight(current.id, weight, retireStable);
    if (!committed) return null;
    if (changed) {
      this.trafficChanges.inc({ router: router.kind });
      const split = wanted.map((b) => `${b.version} ${b.weight} %`).join(', ');
      await this.deps.timeline.record(committed, 'traffic', CONTROLLER_ACTOR, `Traffic: ${split}`, { weight, backends: wanted });
    }
    return committed;
  }

  // --- steps ---------------------------------------------------------------

  /** Ends a step and moves to the next one, in one write. */
  private async finishStep(row: DeploymentRow, step: StepRow, state: 'succeeded' | 'failed', message: string | null, extra: DeploymentPatch = {}): Promise<Next> {
    const now = this.deps.clock();
    const written = await this.deps.store.write(row.id, row.revision, { currentStep: step.index + 1, nextAt: now, ...extra }, [
      { index: step.index, patch: { state, message, finishedAt: now, ...(step.startedAt ? {} : { startedAt: now }) } },
    ]);
    if (!written) return 'again';
    const summary = `Step ${step.index} (${describe(step.spec as Step)}) ${state}${message ? `: ${message}` : ''}`;
    await this.deps.timeline.record(written, 'step', CONTROLLER_ACTOR, summary, { step: step.index, kind: step.kind, state, weight: written.canaryWeight });
    return 'again';
  }

  private async startStep(row: DeploymentRow, step: StepRow, patch: DeploymentPatch = {}, stepPatch: StepPatch = {}): Promise<DeploymentRow | null> {
    return this.deps.store.write(row.id, row.revision, patch, [{ index: step.index, patch: { state: 'running', startedAt: this.deps.clock(), ...stepPatch } }]);
  }

  private async setWeight(row: DeploymentRow, step: StepRow, weight: number): Promise<Next> {
    let routed: DeploymentRow | null;
    try {
      routed = await this.route(row, weight, false);
    } catch (error) {
      return this.beginAbort(latest(row, error), 'failed', `traffic change to ${weight} % failed: ${(error as Error).message}`);
    }
    if (!routed) return 'again';
    return this.finishStep(routed, step, 'succeeded', null);
  }

  private async pause(row: DeploymentRow, step: StepRow, durationSeconds: number | undefined): Promise<Next> {
    const now = this.deps.clock();
    if (durationSeconds === undefined) {
      const written = await this.deps.store.write(row.id, row.revision, { state: 'paused', reason: `Waiting for promotion at step ${step.index}` }, [
        { index: step.index, patch: { state: 'running', startedAt: step.startedAt ?? now } },
      ]);
      if (written) await this.deps.timeline.record(written, 'paused', CONTROLLER_ACTOR, `Waiting for promotion at ${written.canaryWeight} %`, { step: step.index });
      return 'wait';
    }
    if (step.state === 'pending' || !step.startedAt) {
      const written = await this.startStep(row, step, { nextAt: new Date(now.getTime() + durationSeconds * 1000) });
      if (!written) return 'again';
      await this.deps.timeline.record(written, 'step', CONTROLLER_ACTOR, `Step ${step.index} (pause ${durationSeconds} s) started`, { step: step.index, kind: 'pause', state: 'running', weight: written.canaryWeight });
      return 'wait';
    }
    const due = new Date(step.startedAt.getTime() + durationSeconds * 1000);
    if (now >= due) return this.finishStep(row, step, 'succeeded', null);
    await this.deps.store.update(row.id, row.revision, { nextAt: due });
    return 'wait';
  }

  private async analyse(row: DeploymentRow, step: StepRow): Promise<Next> {
    const settings = row.analysis as AnalysisSettings | null;
    if (!settings) return this.finishStep(row, step, 'succeeded', 'no analysis configured');
    const now = this.deps.clock();
    if (step.state === 'pending' || !step.startedAt) {
      await this.startStep(row, step, { nextAt: new Date(now.getTime() + settings.initialDelaySeconds * 1000) });
      return 'again';
    }
    const recorded = await this.deps.store.stepMeasurements(row.id, step.index, step.roundBase);
    const rounds = groupRounds(recorded);
    const dueAt = new Date(step.startedAt.getTime() + (settings.initialDelaySeconds + rounds.length * settings.intervalSeconds) * 1000);
    if (now < dueAt) {
      await this.deps.store.update(row.id, row.revision, { nextAt: dueAt });
      return 'wait';
    }
    const round = step.roundBase + rounds.length;
    const vars = { service: row.service, version: row.version, stableVersion: row.stableVersion };
    const results = await Promise.all(settings.metrics.map((metric) => measure(this.deps.prometheusUrl, metric, expandQuery(metric.query, vars))));
    const at = this.deps.clock();
    await this.deps.store.addMeasurements(
      results.map((r) => ({ deploymentId: row.id, stepIndex: step.index, round, metric: r.metric, value: r.value, phase: r.phase, message: r.message, weight: row.canaryWeight, at })),
    );
    for (const r of results) this.analysisResults.inc({ result: r.phase });
    await this.deps.timeline.record(row, 'analysis', CONTROLLER_ACTOR, `Analysis round ${round - step.roundBase + 1}/${settings.count}: ${results.map(describeResult).join('; ')}`, {
      step: step.index,
      round,
      weight: row.canaryWeight,
      results,
    });
    const outcome = verdict(settings, [...rounds, results.map((r) => r.phase)]);
    const failedOnes = results.filter((r) => r.phase !== 'successful').map(describeResult).join('; ');
    switch (outcome) {
      case 'failed':
        return this.beginAbort(row, 'failed', `analysis failed: ${failedOnes}`, step);
      case 'inconclusive': {
        const written = await this.deps.store.write(row.id, row.revision, { state: 'paused', reason: `analysis inconclusive: ${failedOnes}` }, [
          { index: step.index, patch: { message: 'inconclusive: waiting for a person (resume re-runs the analysis, promote skips it, abort rolls back)' } },
        ]);
        if (written) await this.deps.timeline.record(written, 'paused', CONTROLLER_ACTOR, `Analysis inconclusive, paused for a person: ${failedOnes}`, { step: step.index });
        return 'wait';
      }
      case 'successful':
        return this.finishStep(row, step, 'succeeded', `${rounds.length + 1} rounds passed`);
      case 'running': {
        const next = new Date(step.startedAt.getTime() + (settings.initialDelaySeconds + (rounds.length + 1) * settings.intervalSeconds) * 1000);
        await this.deps.store.update(row.id, row.revision, { nextAt: next });
        return 'wait';
      }
    }
  }

  /**
   * Holds until the webhook says yes. Each refusal is kept on the step; the
   * timeline gets one event per change of answer, not one per retry.
   */
  private async gate(row: DeploymentRow, step: StepRow, url: string, intervalSeconds: number): Promise<Next> {
    const origin = gateOrigin(url);
    if (step.state === 'pending' || !step.startedAt) {
      const written = await this.startStep(row, step);
      if (!written) return 'again';
      await this.deps.timeline.record(written, 'gate', CONTROLLER_ACTOR, `Step ${step.index}: asking ${origin} to confirm`, { step: step.index, state: 'asking', weight: written.canaryWeight });
      return 'again';
    }
    const held = await askGate(url, {
      deployment: { id: row.id, service: row.service, version: row.version, stableVersion: row.stableVersion, canaryWeight: row.canaryWeight },
      step: { index: step.index, kind: 'gate' },
    });
    if (held === null) return this.finishStep(row, step, 'succeeded', `confirmed by ${origin}`);
    const message = `held: ${held}`;
    const written = await this.deps.store.write(row.id, row.revision, { nextAt: new Date(this.deps.clock().getTime() + intervalSeconds * 1000) }, [
      { index: step.index, patch: { message } },
    ]);
    if (written && step.message !== message) {
      await this.deps.timeline.record(written, 'gate', CONTROLLER_ACTOR, `Step ${step.index} ${message}; asking again every ${intervalSeconds} s`, {
        step: step.index,
        state: 'held',
        weight: written.canaryWeight,
      });
    }
    return 'wait';
  }

  private async healthCheck(row: DeploymentRow, step: StepRow, paths: string[], timeoutSeconds: number, url: string | undefined): Promise<Next> {
    if (step.state === 'pending' || !step.startedAt) {
      await this.startStep(row, step);
      return 'again';
    }
    const { problem, seen } = await this.checkNewColour(row, paths, url);
    if (problem === null) return this.finishStep(row, step, 'succeeded', seen);
    const now = this.deps.clock();
    if (now.getTime() - step.startedAt.getTime() >= timeoutSeconds * 1000) {
      return this.beginAbort(row, 'failed', `health check of ${row.version} failed for ${timeoutSeconds} s: ${problem}`, step);
    }
    await this.deps.store.write(row.id, row.revision, { nextAt: new Date(now.getTime() + HEALTH_RETRY_MS) }, [{ index: step.index, patch: { message: problem } }]);
    return 'wait';
  }

  /**
   * A router that runs pods (Kubernetes) first brings the new colour up and
   * waits for it to be ready; then the health paths are asked at the health
   * URL, else at the upstream's address (nginx). A subset name is no address:
   * without a health URL a Kubernetes router's check is the readiness alone,
   * and the step's message says the HTTP checks were skipped.
   */
  private async checkNewColour(row: DeploymentRow, paths: string[], url: string | undefined): Promise<{ problem: string | null; seen: string }> {
    const router = this.deps.routers.get(row.router);
    if (!router) return { problem: `the ${row.router} router is not configured on this NEXUS`, seen: '' };
    const seen: string[] = [];
    if (router.prepare) {
      let pods;
      try {
        pods = await router.prepare(row.service, { version: row.version, upstream: row.upstream, weight: 0, ...(row.image ? { image: row.image } : {}) });
      } catch (error) {
        return { problem: (error as Error).message, seen: '' };
      }
      if (pods) seen.push(`${pods.what} ready ${pods.ready}/${pods.wanted}`);
      else if (!url) return { problem: `no Deployment runs ${row.upstream} and no health URL was given: nothing shows the new colour is healthy`, seen: '' };
    }
    const paths2xx = `${paths.join(' and ')} answered 2xx`;
    if (url) {
      const problem = await checkHealth(url, paths);
      return { problem, seen: `health: ${[...seen, `${url} ${paths2xx}`].join('; ')}` };
    }
    if (router.prepare) return { problem: null, seen: `health: ${[...seen, 'no health URL given, HTTP checks skipped'].join('; ')}` };
    return { problem: await checkHealth(`http://${row.upstream}`, paths), seen: paths2xx };
  }

  private async scaleDown(row: DeploymentRow, step: StepRow): Promise<Next> {
    let routed: DeploymentRow | null;
    try {
      routed = await this.route(row, 100, true);
    } catch (error) {
      // The switch already happened: the new colour serves. Retry later rather than roll back a healthy release.
      this.deps.logger.warn({ err: error, deployment: row.id }, 'scaling down the old colour failed; retrying');
      await this.deps.store.update(row.id, latest(row, error).revision, { nextAt: new Date(this.deps.clock().getTime() + ABORT_RETRY_MS) });
      return 'wait';
    }
    if (!routed) return 'again';
    return this.finishStep(routed, step, 'succeeded', `${row.stableVersion} removed from the router`);
  }

  /** All steps done: the new version takes everything, the old one leaves the router. */
  private async complete(row: DeploymentRow): Promise<Next> {
    if (handsOver(row)) return this.handOver(row);
    let routed: DeploymentRow | null;
    try {
      routed = await this.route(row, 100, true);
    } catch (error) {
      return this.beginAbort(latest(row, error), 'failed', `final traffic change failed: ${(error as Error).message}`);
    }
    if (!routed) return 'again';
    const written = await this.deps.store.update(routed.id, routed.revision, { state: 'succeeded', finishedAt: this.deps.clock(), reason: null });
    if (!written) return 'again';
    await this.deps.timeline.record(written, 'succeeded', CONTROLLER_ACTOR, `${written.version} promoted: 100 % of ${written.service}`, { weight: 100 });
    return 'wait';
  }

  /**
   * A canary's promotion on a Kubernetes router (Argo Rollouts' way): the
   * canary takes 100 % first (the stable pods then carry nothing while they
   * roll), then the intent `promoting` is written, then one idempotent apply
   * sets the new image on the stable Deployment and waits for it to be ready,
   * routes all traffic to stable and scales the canary to 0; `promoted` (with
   * `succeeded`) is written after. A restart anywhere in between repeats the
   * apply, which sends only what is still missing.
   */
  private async handOver(row: DeploymentRow): Promise<Next> {
    let current = row;
    if (current.stableHandover === null) {
      let routed: DeploymentRow | null;
      try {
        routed = await this.route(current, 100, false);
      } catch (error) {
        return this.beginAbort(latest(current, error), 'failed', `final traffic change failed: ${(error as Error).message}`);
      }
      if (!routed) return 'again';
      const intent = await this.deps.store.update(routed.id, routed.revision, { stableHandover: 'promoting', intentWeight: 100 });
      if (!intent) return 'again';
      await this.deps.timeline.record(intent, 'handover', CONTROLLER_ACTOR, `Handing ${intent.version} over to the stable Deployment: its image, then all traffic to ${intent.stableUpstream}, then ${intent.upstream} to 0`, {
        weight: 100,
        image: intent.image,
      });
      current = intent;
    }
    let routed: DeploymentRow | null;
    try {
      routed = await this.route(current, 100, false);
    } catch (error) {
      // The canary already serves the new version at 100 %: retry the hand-over rather than roll back a healthy release.
      this.deps.logger.warn({ err: error, deployment: row.id }, 'handing over to the stable Deployment failed; retrying');
      const failed = latest(current, error);
      await this.deps.store.update(failed.id, failed.revision, { reason: `hand-over to the stable Deployment failed, retrying: ${(error as Error).message}`.slice(0, 500), nextAt: new Date(this.deps.clock().getTime() + ABORT_RETRY_MS) });
      return 'wait';
    }
    if (!routed) return 'again';
    const written = await this.deps.store.update(routed.id, routed.revision, { stableHandover: 'promoted', state: 'succeeded', finishedAt: this.deps.clock(), reason: null });
    if (!written) return 'again';
    await this.deps.timeline.record(written, 'succeeded', CONTROLLER_ACTOR, `${written.version} promoted: 100 % of ${written.service} on ${written.stableUpstream}, ${written.upstream} scaled to 0`, { weight: 100 });
    return 'wait';
  }

  // --- abort ---------------------------------------------------------------

  private async beginAbort(row: DeploymentRow, outcome: 'failed' | 'aborted', reason: string, step?: StepRow): Promise<Next> {
    const now = this.deps.clock();
    const stepPatch = step ? [{ index: step.index, patch: { state: 'failed', message: reason, finishedAt: now } satisfies StepPatch }] : [];
    const written = await this.deps.store.write(row.id, row.revision, { state: 'aborting', outcome, reason, nextAt: now }, stepPatch);
    if (!written) return 'again';
    await this.deps.timeline.record(written, 'aborting', CONTROLLER_ACTOR, `Aborting: ${reason}`, { step: row.currentStep, outcome });
    return 'again';
  }

  /**
   * Traffic back on the stable version, and only there; then the final state
   * (and, for a failure, the incident). Safe to repeat from any point: each
   * part checks what is already done.
   */
  private async finishAbort(row: DeploymentRow): Promise<Next> {
    let routed: DeploymentRow | null;
    try {
      routed = await this.route(row, 0, false);
    } catch (error) {
      this.deps.logger.error({ err: error, deployment: row.id }, 'could not move traffic back to the stable version; retrying');
      await this.deps.store.update(row.id, latest(row, error).revision, { nextAt: new Date(this.deps.clock().getTime() + ABORT_RETRY_MS) });
      return 'wait';
    }
    if (!routed) return 'again';
    const outcome = (routed.outcome ?? 'aborted') as DeploymentState;
    let incidentId = routed.incidentId;
    if (outcome === 'failed' && !incidentId) {
      incidentId = await this.deps.incidents.openForDeployment(routed).catch((error: unknown) => {
        this.deps.logger.error({ err: error, deployment: row.id }, 'could not open an incident for the failed deployment');
        return null;
      });
    }
    const written = await this.deps.store.update(routed.id, routed.revision, { state: outcome, incidentId, finishedAt: this.deps.clock() });
    if (!written) return 'again';
    if (incidentId && !routed.incidentId) {
      await this.deps.timeline.record(written, 'incident', CONTROLLER_ACTOR, 'Incident opened with the rollback procedure attached', { incidentId });
    }
    await this.deps.timeline.record(written, outcome, CONTROLLER_ACTOR, `${outcome.replace('_', ' ')}: all traffic on ${written.stableVersion}${written.reason ? ` (${written.reason})` : ''}`, {
      weight: 0,
    });
    return 'wait';
  }
}

/**
 * A router failure after route() wrote the intent: carries that newer row, so
 * the abort that follows is not refused as a stale write (and the router
 * asked again, where a one-off refusal would then slip through).
 */
class RouteFailed extends Error {
  constructor(
    readonly row: DeploymentRow,
    cause: unknown,
  ) {
    super((cause as Error).message ?? String(cause), { cause });
    this.name = 'RouteFailed';
  }
}

/** A canary with an image whose stable Deployment's image was recorded at start (a router that sets images). */
const handsOver = (row: DeploymentRow): boolean => row.strategy === 'canary' && row.image !== null && row.stableImage !== null;

const latest = (row: DeploymentRow, error: unknown): DeploymentRow => (error instanceof RouteFailed ? error.row : row);

function groupRounds(rows: Array<{ round: number; phase: string }>): MeasurementPhase[][] {
  const byRound = new Map<number, MeasurementPhase[]>();
  for (const row of rows) byRound.set(row.round, [...(byRound.get(row.round) ?? []), row.phase as MeasurementPhase]);
  return [...byRound.keys()].sort((a, b) => a - b).map((k) => byRound.get(k)!);
}

function describeResult(r: MetricResult): string {
  return `${r.metric} ${r.value ?? '-'} ${r.phase}${r.message ? ` (${r.message})` : ''}`;
}

function describe(step: Step): string {
  switch (step.kind) {
    case 'setWeight':
      return `set weight ${step.weight} %`;
    case 'pause':
      return step.durationSeconds === undefined ? 'pause until promoted' : `pause ${step.durationSeconds} s`;
    case 'gate':
      return `gate ${gateOrigin(step.url)}`;
    default:
      return step.kind;
  }
}
