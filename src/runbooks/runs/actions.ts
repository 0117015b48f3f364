import { sql } from 'drizzle-orm';
import { ConflictError, LimitError, NotFoundError } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/types.js';
import type { RiskClass } from '../model.js';
import type { RunEvents } from './events.js';
import { assertValuesAreData } from './params.js';
import { assertMayApprove, assertMayReject, assertMayRequest, needsApproval, type RunPolicy } from './policy.js';
import type { RunProgress } from './progress.js';
import type { RunStep, StepState } from './schema.js';
import type { SecretVault } from './vault.js';
import type { RunRow, RunStore, StepPatch, StepRow } from './store.js';
import { toRunStep } from './views.js';

export interface StepActionsDeps {
  store: RunStore;
  vault: SecretVault;
  events: RunEvents;
  progress: RunProgress;
  policy: RunPolicy;
  /** Steps one person may have queued or awaiting approval at once (NEXUS_MAX_QUEUED_STEPS_PER_USER); unset: no limit. */
  maxWaitingStepsPerUser?: number;
}

const RETRYABLE: StepState[] = ['failed', 'timed-out', 'lost', 'cancelled'];
const SKIPPABLE: StepState[] = ['pending', 'awaiting-approval', ...RETRYABLE];
const CANCELLABLE_AT_ONCE: StepState[] = ['pending', 'awaiting-approval', 'queued'];

interface Target {
  run: RunRow;
  rows: StepRow[];
}

/**
 * What people do to the steps of a run. `key` is a command id, or a step id
 * meaning each of its commands (in order) that the action applies to. Every
 * state change is a conditional UPDATE, so two people acting at once cannot
 * both move the same step.
 */
export class StepActions {
  /** Per person, the tail of their request chain: one person's requests count and queue one at a time. */
  private readonly requesting = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: StepActionsDeps) {}

  /** pending → queued, or → awaiting-approval when the policy wants a second person. */
  async request(principal: Principal, runId: string, key: string): Promise<RunStep[]> {
    return this.asRequester(principal, async () => {
      const { run, rows } = await this.target(runId, key, ['pending'], 'requested');
      for (const row of rows) assertMayRequest(this.deps.policy, principal, row.risk as RiskClass, row.commandId);
      await this.assertWithinLimit(principal, rows.length);
      await this.deps.vault.assertHeld(run, rows);
      await this.assertValuesAreData(run, rows);
      return this.move(run, rows, ['pending'], principal, (row) => this.requestPatch(principal, row));
    });
  }

  /** A new attempt of a step that did not succeed: through the policy again, approval included. */
  async retry(principal: Principal, runId: string, key: string): Promise<RunStep[]> {
    return this.asRequester(principal, async () => {
      const { run, rows } = await this.target(runId, key, RETRYABLE, 'retried');
      for (const row of rows) assertMayRequest(this.deps.policy, principal, row.risk as RiskClass, row.commandId);
      await this.assertWithinLimit(principal, rows.length);
      await this.deps.vault.assertHeld(run, rows);
      await this.assertValuesAreData(run, rows);
      return this.move(run, rows, RETRYABLE, principal, (row) => this.requestPatch(principal, row));
    });
  }

  /**
   * One person's requests one after another (in this process), so two at
   * once cannot both pass the limit on the same count (issue 14: one
   * responder's 24 queued steps held everyone else's).
   */
  private async asRequester<T>(principal: Principal, work: () => Promise<T>): Promise<T> {
    const before = this.requesting.get(principal.userId) ?? Promise.resolve();
    const mine = before.catch(() => {}).then(work);
    const tail = mine.catch(() => {});
    this.requesting.set(principal.userId, tail);
    try {
      return await mine;
    } finally {
      if (this.requesting.get(principal.userId) === tail) this.requesting.delete(principal.userId);
    }
  }

  private async assertWithinLimit(principal: Principal, adding: number): Promise<void> {
    const max = this.deps.maxWaitingStepsPerUser;
    if (max === undefined) return;
    const waiting = await this.deps.store.waitingStepsOf(principal.userId);
    if (waiting + adding > max) {
      throw new LimitError(
        `You have ${waiting} steps queued or awaiting approval; the limit is ${max} per person: wait for some to run, or cancel them`,
        { limit: max, waiting, adding, setting: 'NEXUS_MAX_QUEUED_STEPS_PER_USER' },
      );
    }
  }

  async approve(principal: Principal, runId: string, key: string): Promise<RunStep[]> {
    const { run, rows } = await this.target(runId, key, ['awaiting-approval'], 'approved');
    for (const row of rows) assertMayApprove(this.deps.policy, principal, row.requestedBy, row.commandId);
    return this.move(run, rows, ['awaiting-approval'], principal, () => ({
      state: 'queued',
      approvedBy: principal.userId,
      queuedAt: sql`clock_timestamp()`,
    }));
  }

  /** Back to pending, with who refused and why; it can be requested again. */
  async reject(principal: Principal, runId: string, key: string, reason: string | undefined): Promise<RunStep[]> {
    const { run, rows } = await this.target(runId, key, ['awaiting-approval'], 'rejected');
    for (const row of rows) assertMayReject(this.deps.policy, principal, row.requestedBy, row.commandId);
    const why = `rejected by ${principal.username}${reason ? `: ${reason}` : ''}`;
    return this.move(run, rows, ['awaiting-approval'], principal, () => ({ state: 'pending', error: why, requestedBy: null }));
  }

  async skip(principal: Principal, runId: string, key: string): Promise<RunStep[]> {
    const { run, rows } = await this.target(runId, key, SKIPPABLE, 'skipped');
    return this.move(run, rows, SKIPPABLE, principal, () => ({ state: 'skipped', finishedAt: sql`now()` }));
  }

  /**
   * Not yet started: cancelled at once. Running: the runner is told (event,
   * and its next heartbeat) to kill the process group, and reports `cancelled`.
   */
  async cancel(principal: Principal, runId: string, key: string): Promise<RunStep[]> {
    const { run, rows } = await this.target(runId, key, [...CANCELLABLE_AT_ONCE, 'running'], 'cancelled');
    return this.cancelRows(principal, run, rows);
  }

  async cancelRun(principal: Principal, runId: string): Promise<RunRow> {
    const run = await this.deps.store.runRow(runId);
    if (!run) throw new NotFoundError('run', runId);
    const cancelled = await this.deps.store.cancelRun(runId);
    if (!cancelled) throw new ConflictError('The run is already cancelled');
    const rows = (await this.deps.store.steps(runId)).filter((r) => [...CANCELLABLE_AT_ONCE, 'running'].includes(r.state as StepState));
    await this.cancelRows(principal, cancelled, rows);
    this.deps.events.finished(cancelled);
    await this.deps.store.deleteSecrets(runId);
    return cancelled;
  }

  private async cancelRows(principal: Principal, run: RunRow, rows: StepRow[]): Promise<RunStep[]> {
    const changed: StepRow[] = [];
    const why = `cancelled by ${principal.username}`;
    for (const row of rows) {
      const next =
        row.state === 'running'
          ? await this.deps.store.updateStep(row.id, ['running'], { cancelRequestedAt: sql`now()` })
          : await this.deps.store.updateStep(row.id, CANCELLABLE_AT_ONCE, { state: 'cancelled', error: why, finishedAt: sql`now()` });
      if (next) changed.push(next);
      if (next) this.deps.events.step(run, next, principal.username);
    }
    await this.deps.progress.refresh(run.id);
    return changed.map(toRunStep);
  }

  /** 422 when a value the command would get is evaluated as code there (params.ts). */
  private async assertValuesAreData(run: RunRow, rows: StepRow[]): Promise<void> {
    for (const row of rows) {
      const environment = await this.deps.vault.environment(run, row);
      if (!('missing' in environment)) assertValuesAreData(row, environment.env);
    }
  }

  private requestPatch(principal: Principal, row: StepRow): StepPatch {
    const base = { requestedBy: principal.userId, approvedBy: null, error: null, exitCode: null, durationMs: null };
    // The policy's risk threshold, or the runbook's own `approval` annotation: either asks for a second person.
    if (row.needsApproval || needsApproval(this.deps.policy, row.risk as RiskClass)) return { ...base, state: 'awaiting-approval' };
    // clock_timestamp(), not now(): commands queued by one request keep their order.
    return { ...base, state: 'queued', queuedAt: sql`clock_timestamp()` };
  }

  private async move(
    run: RunRow,
    rows: StepRow[],
    from: StepState[],
    principal: Principal,
    patch: (row: StepRow) => StepPatch,
  ): Promise<RunStep[]> {
    const changed: StepRow[] = [];
    for (const row of rows) {
      const next = await this.deps.store.updateStep(row.id, from, patch(row));
      if (!next) continue;
      changed.push(next);
      this.deps.events.step(run, next, principal.username);
    }
    if (changed.length === 0) throw new ConflictError('Someone else changed these steps first; reload the run');
    await this.deps.progress.refresh(run.id);
    return changed.map(toRunStep);
  }

  /** The run and the commands `key` names that are in one of `states`; 404/409 otherwise. */
  private async target(runId: string, key: string, states: StepState[], verb: string): Promise<Target> {
    const run = await this.deps.store.runRow(runId);
    if (!run) throw new NotFoundError('run', runId);
    const all = await this.deps.store.steps(runId);
    const named = all.filter((r) => r.commandId === key);
    const rows = named.length ? named : all.filter((r) => r.stepId === key);
    if (rows.length === 0) throw new NotFoundError('step', key);
    if (run.status === 'cancelled') throw new ConflictError('The run is cancelled');
    // Its incident was resolved: only a command still running may be stopped.
    if (run.closedReason !== null && verb !== 'cancelled') throw new ConflictError(`The run was closed: ${run.closedReason}`);
    const applicable = rows.filter((r) => states.includes(r.state as StepState));
    if (applicable.length === 0) {
      const now = rows.map((r) => `${r.commandId} is ${r.state}`).join(', ');
      throw new ConflictError(`Nothing to be ${verb}: ${now}`, { states: rows.map((r) => ({ commandId: r.commandId, state: r.state })) });
    }
    return { run, rows: applicable };
  }
}
