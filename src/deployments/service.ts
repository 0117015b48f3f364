import type { Clock } from '../platform/clock.js';
import { isUniqueViolation } from '../platform/db/pg-errors.js';
import { ConflictError, InputError, NotFoundError, UnavailableError } from '../platform/errors.js';
import { withDefaults } from './analysis.js';
import { planSteps } from './plan.js';
import type { TrafficRouter } from './router.js';
import { type CreateDeploymentBody, type Deployment, type DeploymentDetail, type DeploymentState } from './schema.js';
import type { DeploymentPatch, DeploymentRow, DeploymentStore, StepPatch, StepRow } from './store.js';
import type { DeploymentTimeline } from './timeline.js';
import { toDeployment, toEvent, toMeasurement } from './views.js';

const WRITE_ATTEMPTS = 5;
const DETAIL_MEASUREMENTS = 2000;
const DETAIL_EVENTS = 1000;
/** Steps that hold for a person or a verdict; promote skips them. */
const WAIT_STEPS = ['pause', 'analysis', 'gate'];

export interface DeploymentServiceDeps {
  store: DeploymentStore;
  timeline: DeploymentTimeline;
  routers: ReadonlyMap<string, TrafficRouter>;
  clock: Clock;
  /** Wakes the controller after a change a person made. */
  kick: () => void;
}

type Change = { patch: DeploymentPatch; steps?: Array<{ index: number; patch: StepPatch }>; event: [kind: string, summary: string, data?: Record<string, unknown>] };

/** Creating deployments and what people do to them; the controller (controller.ts) moves them. */
export class DeploymentService {
  constructor(private readonly deps: DeploymentServiceDeps) {}

  async create(actor: string, body: CreateDeploymentBody): Promise<Deployment> {
    const { store, clock } = this.deps;
    const router = body.router ?? 'nginx';
    if (!this.deps.routers.has(router)) {
      throw new InputError(`body/router: the ${router} router is not configured on this NEXUS (for nginx: NEXUS_NGINX_UPSTREAM_DIR)`, { field: 'router' });
    }
    checkUpstream(router, body.upstream, 'upstream');
    if (body.stable) checkUpstream(router, body.stable.upstream, 'stable/upstream');
    const steps = planSteps(body);
    steps.forEach((step, i) => {
      if (step.kind === 'gate' && !URL.canParse(step.url)) throw new InputError(`body/steps/${i}/url: not a valid URL`, { field: 'steps' });
    });
    const stable = await this.stableOf(body);
    if (stable.upstream === body.upstream) throw new InputError('body/upstream: the new version must run at another address than the stable one', { field: 'upstream' });
    if (stable.version === body.version) throw new InputError(`body/version: ${body.version} is already the stable version of ${body.service}`, { field: 'version' });
    const analysis = body.analysis ? withDefaults(body.analysis) : null;
    const stableImage = await this.stableImageOf(router, body.service, stable.upstream, body);
    analysis?.metrics.forEach((metric, i) => {
      if (metric.max === undefined && metric.min === undefined) throw new InputError(`body/analysis/metrics/${i}: give max, min or both`, { field: 'analysis' });
    });
    let row: DeploymentRow;
    try {
      row = await store.insert(
        {
          service: body.service,
          strategy: body.strategy ?? 'canary',
          router,
          stableVersion: stable.version,
          stableUpstream: stable.upstream,
          version: body.version,
          upstream: body.upstream,
          image: body.image ?? null,
          stableImage,
          analysis,
          scaleDownDelaySeconds: body.blueGreen?.scaleDownDelaySeconds ?? 30,
          state: 'progressing',
          nextAt: clock(),
          createdBy: actor,
        },
        steps.map((step) => ({ kind: step.kind, spec: step })),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`${body.service} already has a deployment in progress; finish or abort it first`, { service: body.service });
      throw error;
    }
    await this.deps.timeline.record(row, 'created', actor, `${body.strategy ?? 'canary'} of ${row.service} ${row.version} started (stable: ${row.stableVersion})`, {
      version: row.version,
      stableVersion: row.stableVersion,
      steps: steps.length,
    });
    this.deps.kick();
    return toDeployment(row, await store.steps(row.id));
  }

  /**
   * A canary with an image on a router that sets images: the image the stable
   * Deployment runs now, recorded before anything changes, so that after the
   * promotion hands the new image to the stable Deployment a rollback can
   * put this one back.
   */
  private async stableImageOf(router: string, service: string, upstream: string, body: CreateDeploymentBody): Promise<string | null> {
    const imageOf = this.deps.routers.get(router)?.imageOf;
    if (!imageOf || (body.strategy ?? 'canary') !== 'canary' || !body.image) return null;
    try {
      return await imageOf.call(this.deps.routers.get(router), service, upstream);
    } catch (error) {
      throw new UnavailableError(`cannot read the stable Deployment's image before starting: ${(error as Error).message}`);
    }
  }

  /** What runs now: given in the body, else the service's last promoted version (or what its last rollback left). */
  private async stableOf(body: CreateDeploymentBody): Promise<{ version: string; upstream: string }> {
    if (body.stable) return body.stable;
    const running = await this.running(body.service);
    if (!running) throw new InputError(`body/stable: ${body.service} has no deployment yet; name the version running now ({ version, upstream })`, { field: 'stable' });
    return running;
  }

  /** What the service's last finished deployment left running: its new version if it succeeded, else its stable one. */
  private async running(service: string): Promise<{ version: string; upstream: string } | null> {
    const last = await this.deps.store.lastFinished(service);
    if (!last) return null;
    return serving(last);
  }

  async get(id: string): Promise<Deployment> {
    const row = await this.row(id);
    return toDeployment(row, await this.deps.store.steps(id));
  }

  async detail(id: string): Promise<DeploymentDetail> {
    const { store } = this.deps;
    const row = await this.row(id);
    const [steps, measurements, events] = await Promise.all([store.steps(id), store.measurements(id, DETAIL_MEASUREMENTS), store.events(id, DETAIL_EVENTS)]);
    return { ...toDeployment(row, steps), measurements: measurements.map(toMeasurement), timeline: events.map(toEvent) };
  }

  async list(filter: { service?: string | undefined; state?: DeploymentState | undefined; before: [string, string] | null }, limit: number): Promise<Array<DeploymentRow & { stepRows: StepRow[] }>> {
    const rows = await this.deps.store.list(filter, limit + 1);
    const steps = await this.deps.store.stepsOf(rows.map((r) => r.id));
    return rows.map((row) => ({ ...row, stepRows: steps.filter((s) => s.deploymentId === row.id) }));
  }

  private async row(id: string): Promise<DeploymentRow> {
    const row = await this.deps.store.get(id);
    if (!row) throw new NotFoundError('deployment', id);
    return row;
  }

  /** Skips the pause or analysis the deployment waits in (all remaining ones with `full`), and goes on. */
  async promote(actor: string, id: string, full: boolean): Promise<Deployment> {
    return this.change(id, actor, async (row, steps) => {
      requireState(row, ['progressing', 'paused'], 'promote');
      const step = steps[row.currentStep];
      const waiting = step && WAIT_STEPS.includes(step.kind);
      if (!waiting && !full) {
        throw new ConflictError(`Step ${row.currentStep} (${step?.kind ?? 'finish'}) is not a pause, analysis or gate; nothing to promote`, { step: row.currentStep });
      }
      const now = this.deps.clock();
      if (full) await this.deps.store.skipWaits(id, row.currentStep, now, `skipped: fully promoted by ${actor}`);
      return {
        patch: { state: 'progressing', reason: null, currentStep: waiting ? row.currentStep + 1 : row.currentStep, nextAt: now },
        steps: waiting ? [{ index: row.currentStep, patch: { state: 'skipped', message: `promoted by ${actor}`, finishedAt: now } }] : [],
        event: ['promoted', full ? `Fully promoted by ${actor}` : `Step ${row.currentStep} (${step!.kind}) promoted by ${actor}`, { step: row.currentStep, full }],
      };
    });
  }

  async pause(actor: string, id: string, reason: string | undefined): Promise<Deployment> {
    return this.change(id, actor, async (row) => {
      requireState(row, ['progressing'], 'pause');
      const why = reason ?? `paused by ${actor}`;
      return { patch: { state: 'paused', reason: why }, event: ['paused', why, { step: row.currentStep }] };
    });
  }

  async resume(actor: string, id: string): Promise<Deployment> {
    return this.change(id, actor, async (row, steps) => {
      requireState(row, ['paused'], 'resume');
      const step = steps[row.currentStep];
      if (step?.kind === 'pause' && (step.spec as { durationSeconds?: number }).durationSeconds === undefined && step.state === 'running') {
        throw new ConflictError(`Step ${row.currentStep} waits until promoted; promote it to go on`, { step: row.currentStep });
      }
      const now = this.deps.clock();
      const stepPatches: Array<{ index: number; patch: StepPatch }> = [];
      // An analysis resumed after an inconclusive pause starts its count again: earlier rounds stay on record.
      if (step?.kind === 'analysis' && step.state === 'running') {
        const rounds = await this.deps.store.stepMeasurements(id, step.index, 0);
        const next = rounds.reduce((max, m) => Math.max(max, m.round + 1), 0);
        stepPatches.push({ index: step.index, patch: { roundBase: next, startedAt: now, message: null } });
      }
      return { patch: { state: 'progressing', reason: null, nextAt: now }, steps: stepPatches, event: ['resumed', `Resumed by ${actor}`, { step: row.currentStep }] };
    });
  }

  /** Traffic goes back to the stable version and stays there. */
  async abort(actor: string, id: string, reason: string | undefined): Promise<Deployment> {
    return this.change(id, actor, async (row) => {
      requireState(row, ['progressing', 'paused'], 'abort');
      const why = reason ?? `aborted by ${actor}`;
      return { patch: { state: 'aborting', outcome: 'aborted', reason: why, nextAt: this.deps.clock() }, event: ['aborting', why, { step: row.currentStep }] };
    });
  }

  /** During a rollout: like abort. After one succeeded: the previous version takes all traffic again (the newest deployment of the service only). */
  async rollback(actor: string, id: string, reason: string | undefined): Promise<Deployment> {
    return this.change(id, actor, async (row) => {
      requireState(row, ['progressing', 'paused', 'succeeded'], 'roll back');
      const why = reason ?? `rolled back by ${actor}`;
      if (row.state === 'succeeded') {
        const running = await this.running(row.service);
        if (running?.version !== row.version || running.upstream !== serving(row).upstream || (await this.deps.store.active(row.service))) {
          throw new ConflictError(`${row.version} is no longer what ${row.service} runs (a later deployment changed it); roll back that one`, { service: row.service });
        }
        return { patch: { state: 'rolling_back', outcome: 'rolled_back', reason: why, finishedAt: null, nextAt: this.deps.clock() }, event: ['rolling_back', why] };
      }
      return { patch: { state: 'aborting', outcome: 'rolled_back', reason: why, nextAt: this.deps.clock() }, event: ['aborting', why, { step: row.currentStep }] };
    });
  }

  /** Reads, decides and writes against the revision read; tries again when the controller wrote in between. */
  private async change(id: string, actor: string, decide: (row: DeploymentRow, steps: StepRow[]) => Promise<Change>): Promise<Deployment> {
    const { store } = this.deps;
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const row = await this.row(id);
      const steps = await store.steps(id);
      const change = await decide(row, steps);
      let written: DeploymentRow | null;
      try {
        written = await store.write(id, row.revision, change.patch, change.steps ?? []);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`${row.service} already has another deployment in progress`, { service: row.service });
        throw error;
      }
      if (!written) continue;
      const [kind, summary, data] = change.event;
      await this.deps.timeline.record(written, kind, actor, summary, data);
      this.deps.kick();
      return toDeployment(written, await store.steps(id));
    }
    throw new ConflictError('The deployment kept changing; try again');
  }
}

/**
 * What a finished deployment left serving: its new version if it succeeded —
 * from the stable upstream when the promotion handed it over there — else
 * its stable version.
 */
function serving(row: DeploymentRow): { version: string; upstream: string } {
  if (row.state !== 'succeeded') return { version: row.stableVersion, upstream: row.stableUpstream };
  return { version: row.version, upstream: row.stableHandover === 'promoted' ? row.stableUpstream : row.upstream };
}

function requireState(row: DeploymentRow, allowed: DeploymentState[], verb: string): void {
  if (!allowed.includes(row.state as DeploymentState)) {
    throw new ConflictError(`Cannot ${verb} a deployment that is ${row.state}`, { state: row.state, allowed });
  }
}

const SUBSET = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Istio routes to subsets (`canary`); nginx to `host:port`; Gateway API to a Service's `name:port`. */
function checkUpstream(router: string, upstream: string, field: string): void {
  if (router === 'istio') {
    if (!SUBSET.test(upstream)) throw new InputError(`body/${field}: the istio router takes a subset name of the VirtualService (stable, canary, blue, green), not ${upstream}`, { field });
    return;
  }
  if (!upstream.includes(':')) throw new InputError(`body/${field}: the ${router} router takes host:port (Gateway API: Service name:port)`, { field });
  if (router === 'gateway-api' && !SUBSET.test(upstream.slice(0, upstream.lastIndexOf(':')))) {
    throw new InputError(`body/${field}: a Gateway API backend is a Service name (a DNS label) and a port`, { field });
  }
  checkPort(upstream, field);
}

function checkPort(upstream: string, field: string): void {
  const port = Number(upstream.slice(upstream.lastIndexOf(':') + 1));
  if (!(port >= 1 && port <= 65535)) throw new InputError(`body/${field}: port must be between 1 and 65535`, { field });
}
