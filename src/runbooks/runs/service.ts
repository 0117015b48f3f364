import { sql } from 'drizzle-orm';
import { ConflictError, InputError, NotFoundError } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/types.js';
import type { Logger } from '../../platform/logger.js';
import { commandsOf, type ManualCheck, type Procedure } from '../model.js';
import { parameterSpecs } from '../parameters.js';
import { classifyRisk } from '../risk.js';
import type { RunEvents } from './events.js';
import { checkParameters, SECRET_MARK } from './params.js';
import { deriveStatus, type RunProgress } from './progress.js';
import type { CreateRunBody, Run, RunCheck, RunStatus } from './schema.js';
import { isFollowStyle, selectorLabels } from './script.js';
import type { SecretSealer } from '../../platform/secrets.js';
import type { RunbookVersionSource } from './source.js';
import type { NewCheck, NewStep, RunStore, RunWithRunbook, StepRow } from './store.js';
import { fullOutput, toRun, toRunCheck, toRunSummary } from './views.js';

export interface RunTimeouts {
  defaultTimeoutSeconds: number;
  followTimeoutSeconds: number;
}

export interface RunServiceDeps {
  store: RunStore;
  source: RunbookVersionSource;
  sealer: SecretSealer;
  events: RunEvents;
  progress: RunProgress;
  timeouts: RunTimeouts;
  /** Unfinished runs one person may have (NEXUS_MAX_ACTIVE_RUNS_PER_USER). */
  maxActiveRunsPerUser?: number;
  logger: Logger;
}

function stepsOf(procedure: Procedure, timeouts: RunTimeouts, approvedVersion: boolean): NewStep[] {
  return commandsOf(procedure).map(({ step, command }, seq) => {
    const follow = isFollowStyle(command.text);
    return {
      seq,
      commandId: command.id,
      stepId: step.id,
      title: step.title,
      description: command.description,
      command: command.text,
      placeholders: command.placeholders,
      assigns: command.assigns,
      expect: command.annotations.expect ?? null,
      risk: classifyRisk(command.text, command.annotations, { annotationsMayLower: approvedVersion }).risk,
      needsApproval: command.annotations.approval === true,
      state: 'pending',
      selector: command.annotations.runner ?? null,
      selectorLabels: selectorLabels(command.annotations.runner),
      timeoutSeconds: command.annotations.timeoutSeconds ?? (follow ? timeouts.followTimeoutSeconds : timeouts.defaultTimeoutSeconds),
    };
  });
}

/** Manual checks of the phases and their steps, in source order. */
function checksOf(procedure: Procedure): NewCheck[] {
  const all: ManualCheck[] = procedure.phases.flatMap((phase) => [...phase.checks, ...phase.steps.flatMap((step) => step.checks)]);
  const seen = new Set<string>();
  return all
    .sort((a, b) => a.line - b.line)
    .filter((check) => !seen.has(check.id) && seen.add(check.id))
    .map((check, seq) => ({ checkId: check.id, seq, text: check.text }));
}

/** What closing a run with its incident did to it. */
export interface ClosedRun {
  runId: string;
  procedureTitle: string;
  /** Commands that had not started, now `skipped`. */
  skipped: number;
  /** Commands already running: they are left to finish (see `closeForIncident`). */
  stillRunning: string[];
}

/** Steps not started: what closing a run skips. */
const NOT_STARTED = ['pending', 'awaiting-approval', 'queued'] as const;
/** Who skips the steps of a run closed with its incident (the timeline tells the run's closing once, not per step). */
const SYSTEM_ACTOR = 'system';

/** Runs: creating one, reading it, its checks and its secrets. Step actions are in actions.ts. */
export class RunService {
  constructor(private readonly deps: RunServiceDeps) {}

  async create(principal: Principal, body: CreateRunBody): Promise<Run> {
    const { store, source, sealer, events } = this.deps;
    const { runbook, version, parsed, approved } = await source.getVersion(body.runbook, body.version);
    const procedure = parsed.procedures.find((p) => p.id === body.procedure);
    if (!procedure) {
      throw new NotFoundError('procedure', body.procedure);
    }
    const { stored, secrets } = checkParameters(procedure, body.parameters, body.secretParameters, parameterSpecs(parsed.frontMatter));
    const steps = stepsOf(procedure, this.deps.timeouts, approved);
    const checks = checksOf(procedure);
    const row = await store.insertRun(
      {
        runbookId: runbook.id,
        version,
        procedureId: procedure.id,
        procedureTitle: procedure.title,
        incidentId: body.incidentId ?? null,
        parameters: stored,
        status: deriveStatus(steps.map((s) => s.state), checks.length),
        createdBy: principal.userId,
      },
      steps,
      checks,
      this.deps.maxActiveRunsPerUser,
    );
    await store.putSecrets(
      row.id,
      Object.entries(secrets).map(([name, value]) => ({ name, kind: 'parameter' as const, sealed: sealer.seal([row.id, name], value) })),
    );
    const run = await this.get(row.id);
    events.created(toRunSummary({ run: row, runbook }), principal.username);
    this.deps.logger.info({ runId: row.id, runbook: runbook.slug, version, procedure: procedure.id }, 'run created');
    return run;
  }

  async get(id: string): Promise<Run> {
    const data = await this.runOrThrow(id);
    const [steps, checks] = await Promise.all([this.deps.store.steps(id), this.deps.store.checks(id)]);
    return toRun(data, steps, checks);
  }

  async list(filter: { incidentId?: string | undefined; status?: RunStatus | undefined; before?: [string, string] | null }, limit: number) {
    return this.deps.store.list(filter, limit + 1);
  }

  /** The full stored output of one command (a step id with several commands is ambiguous here). */
  async output(runId: string, key: string) {
    await this.runOrThrow(runId);
    const rows = await this.deps.store.steps(runId);
    const row = rows.find((r) => r.commandId === key) ?? this.single(rows.filter((r) => r.stepId === key), key);
    const { text, truncated } = fullOutput(row);
    return { commandId: row.commandId, attempt: row.attempt, state: row.state, output: text, bytes: row.outputBytes, truncated };
  }

  /**
   * The incident was resolved: its unfinished runs end with it, so "runs in
   * progress" means in progress. Steps not started (pending, awaiting
   * approval, queued) become `skipped` with `reason`. A running command is
   * left to finish rather than killed: stopping a change half-way (a
   * rollout, a restore) can leave things worse than letting it end, and its
   * result is still recorded. The run reads `closed` once nothing of it runs.
   */
  async closeForIncident(incidentId: string, reason: string): Promise<ClosedRun[]> {
    const { store, events, progress } = this.deps;
    const closed: ClosedRun[] = [];
    for (const run of await store.closeIncidentRuns(incidentId, reason)) {
      let skipped = 0;
      const stillRunning: string[] = [];
      for (const step of await store.steps(run.id)) {
        if (step.state === 'running') stillRunning.push(step.command);
        if (!(NOT_STARTED as readonly string[]).includes(step.state)) continue;
        // Conditional: a runner leasing a queued step meanwhile wins, and the step runs to its end.
        const next = await store.updateStep(step.id, NOT_STARTED, { state: 'skipped', error: reason, finishedAt: sql`now()` });
        if (next) {
          skipped += 1;
          events.step(run, next, SYSTEM_ACTOR);
        } else stillRunning.push(step.command);
      }
      await progress.refresh(run.id);
      closed.push({ runId: run.id, procedureTitle: run.procedureTitle, skipped, stillRunning });
    }
    return closed;
  }

  async tickCheck(principal: Principal, runId: string, checkId: string, checked: boolean): Promise<RunCheck> {
    const { run } = await this.runOrThrow(runId);
    if (run.status === 'cancelled') throw new ConflictError('The run is cancelled');
    if (run.closedReason !== null) throw new ConflictError(`The run was closed: ${run.closedReason}`);
    const row = await this.deps.store.tickCheck(runId, checkId, principal.userId, checked);
    if (!row) throw new NotFoundError('check', checkId);
    const check = toRunCheck(row);
    this.deps.events.check(run, check, principal.username);
    await this.deps.progress.refresh(runId);
    return check;
  }

  /** Secret values again, after a key change lost them (a step asks for this in its error). */
  async supplySecrets(runId: string, values: Record<string, string>): Promise<string[]> {
    const { run } = await this.runOrThrow(runId);
    if (run.status === 'cancelled') throw new ConflictError('The run is cancelled');
    if (run.closedReason !== null) throw new ConflictError(`The run was closed: ${run.closedReason}`);
    const params = run.parameters as Record<string, string>;
    const notSecret = Object.keys(values).filter((name) => params[name] !== SECRET_MARK);
    if (notSecret.length) {
      throw new InputError(`Not secret parameters of this run: ${notSecret.join(', ')}`, { notSecret });
    }
    await this.deps.store.putSecrets(
      runId,
      Object.entries(values).map(([name, value]) => ({ name, kind: 'parameter' as const, sealed: this.deps.sealer.seal([runId, name], value) })),
    );
    return Object.keys(values);
  }

  async runOrThrow(id: string): Promise<RunWithRunbook> {
    const data = await this.deps.store.run(id);
    if (!data) throw new NotFoundError('run', id);
    return data;
  }

  private single(rows: StepRow[], key: string): StepRow {
    if (rows.length === 0) throw new NotFoundError('step', key);
    if (rows.length > 1) {
      throw new InputError(`Step ${key} has ${rows.length} commands; name one: ${rows.map((r) => r.commandId).join(', ')}`);
    }
    return rows[0]!;
  }
}
