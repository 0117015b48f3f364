import type { Clock } from '../../platform/clock.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../platform/db/pg-errors.js';
import { ConflictError, InputError, NotFoundError } from '../../platform/errors.js';
import type { EventBus } from '../../platform/events/index.js';
import type { Principal } from '../../platform/http/types.js';
import { isUuid } from '../../platform/uuid.js';
import { parametersOf, type RunbookLibrary } from '../../runbooks/index.js';
import type { BuiltInTask } from '../tasks.js';
import { checkCron, checkTimeZone, nextDue } from './cron.js';
import type { CreateScheduleBody, Schedule, ScheduleRun, UpdateScheduleBody } from './schema.js';
import { SCHEDULE_RUN_QUEUE } from './scheduler.js';
import type { NewSchedule, ScheduleRow, ScheduleRunRow, ScheduleStore, ScheduleView } from './store.js';
import { publishRun, SCHEDULE_EVENT, toSchedule, toScheduleRun, type TargetNames } from './views.js';
import type { JobQueue } from '../../platform/jobs/index.js';

export interface ScheduleServiceDeps {
  store: ScheduleStore;
  tasks: ReadonlyMap<string, BuiltInTask>;
  library: Pick<RunbookLibrary, 'getVersion'>;
  jobs: Pick<JobQueue, 'send'>;
  bus: EventBus;
  clock: Clock;
}

interface Target {
  targetKind: 'task' | 'runbook';
  taskKey: string | null;
  runbookId: string | null;
  procedureId: string | null;
  parameters: Record<string, string>;
}

/** Schedules: the rules for changing them and starting them by hand. Due runs are the scheduler's. */
export class ScheduleService {
  constructor(private readonly deps: ScheduleServiceDeps) {}

  tasks(): BuiltInTask[] {
    return [...this.deps.tasks.values()].sort((a, b) => a.key.localeCompare(b.key));
  }

  async list(limit: number, after: [string, string] | null): Promise<{ views: ScheduleView[]; names: Map<string, TargetNames> }> {
    const views = await this.deps.store.list(limit, after);
    return { views, names: await this.names(views) };
  }

  async get(id: string): Promise<Schedule> {
    const view = await this.deps.store.view(id);
    if (!view) throw new NotFoundError('schedule', id);
    const names = await this.names([view]);
    return toSchedule(view, names.get(id)!);
  }

  async create(principal: Principal, body: CreateScheduleBody): Promise<Schedule> {
    const timeZone = checkTimeZone(body.timeZone ?? 'UTC');
    const cron = checkCron(body.cron, timeZone);
    const target = await this.target(body);
    const ownerId = await this.ownerId(body.owner ?? principal.userId);
    const enabled = body.enabled ?? true;
    const row: NewSchedule = {
      name: body.name.trim(),
      description: body.description ?? null,
      cron,
      timeZone,
      ...target,
      ownerId,
      enabled,
      missedPolicy: body.missedPolicy ?? 'run-once',
      nextDueAt: enabled ? nextDue(cron, timeZone, this.deps.clock()) : null,
    };
    const created = await this.write(() => this.deps.store.insert(row));
    return this.changed(created.id);
  }

  async update(id: string, body: UpdateScheduleBody): Promise<Schedule> {
    const current = await this.row(id);
    const timeZone = body.timeZone !== undefined ? checkTimeZone(body.timeZone) : current.timeZone;
    const cron = body.cron !== undefined ? checkCron(body.cron, timeZone) : current.cron;
    const targetChanged = body.task !== undefined || body.runbook !== undefined || body.procedure !== undefined || body.parameters !== undefined;
    const target = targetChanged ? await this.target(mergeTarget(current, body)) : {};
    const enabled = body.enabled ?? current.enabled;
    const timing = cron !== current.cron || timeZone !== current.timeZone || enabled !== current.enabled;
    const patch: Partial<NewSchedule> = {
      ...(body.name !== undefined ? { name: body.name.trim() } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.missedPolicy !== undefined ? { missedPolicy: body.missedPolicy } : {}),
      ...(body.owner !== undefined ? { ownerId: await this.ownerId(body.owner) } : {}),
      ...target,
      cron,
      timeZone,
      enabled,
      // A new rhythm (or enabling) counts from now: due times before the change were never this schedule's.
      ...(timing ? { nextDueAt: enabled ? nextDue(cron, timeZone, this.deps.clock()) : null } : {}),
    };
    await this.write(() => this.deps.store.update(id, patch));
    return this.changed(id);
  }

  async setEnabled(id: string, enabled: boolean): Promise<Schedule> {
    const current = await this.row(id);
    if (current.enabled === enabled) return this.get(id);
    return this.update(id, { enabled });
  }

  async delete(id: string): Promise<ScheduleRow> {
    const current = await this.row(id);
    await this.deps.store.delete(id);
    this.deps.bus.publish(SCHEDULE_EVENT.changed, { id, deleted: true });
    return current;
  }

  /** Starts a run now, as `principal` (a runbook target's run is theirs, under their role). */
  async runNow(principal: Principal, id: string): Promise<ScheduleRun> {
    await this.row(id);
    const run = await this.deps.store.insertRun({
      scheduleId: id,
      trigger: 'manual',
      status: 'queued',
      requestedBy: principal.username,
      requestedById: principal.userId,
      createdAt: this.deps.clock(),
    });
    if (!run) throw new ConflictError('Could not queue the run; try again');
    publishRun(this.deps.bus, run);
    await this.deps.jobs.send(SCHEDULE_RUN_QUEUE, { runId: run.id });
    return toScheduleRun(run);
  }

  async runs(id: string, limit: number, before: [string, string] | null): Promise<ScheduleRunRow[]> {
    await this.row(id);
    return this.deps.store.runs(id, limit, before);
  }

  async run(id: string, runId: string): Promise<ScheduleRun> {
    const run = await this.deps.store.run(runId);
    if (!run || run.scheduleId !== id) throw new NotFoundError('schedule run', runId);
    return toScheduleRun(run);
  }

  private async row(id: string): Promise<ScheduleRow> {
    const row = await this.deps.store.get(id);
    if (!row) throw new NotFoundError('schedule', id);
    return row;
  }

  private async changed(id: string): Promise<Schedule> {
    const schedule = await this.get(id);
    this.deps.bus.publish(SCHEDULE_EVENT.changed, { id, deleted: false });
    return schedule;
  }

  private async write<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('A schedule with this name exists', { field: 'name' });
      if (isForeignKeyViolation(error)) throw new InputError('body/owner or body/runbook names something that no longer exists');
      throw error;
    }
  }

  private async ownerId(ref: string): Promise<string> {
    const owner = (isUuid(ref) ? await this.deps.store.owner(ref, true) : null) ?? (await this.deps.store.owner(ref, false));
    if (!owner) throw new InputError(`body/owner: no user "${ref}"`, { field: 'owner' });
    if (owner.disabled) throw new InputError(`body/owner: ${owner.username} is disabled`, { field: 'owner' });
    return owner.id;
  }

  /** Exactly one target: a built-in task, or a runbook procedure whose parameters it names. */
  private async target(body: { task?: string | undefined; runbook?: string | undefined; procedure?: string | undefined; parameters?: Record<string, string> | undefined }): Promise<Target> {
    if (body.task !== undefined) {
      if (body.runbook !== undefined || body.procedure !== undefined || body.parameters !== undefined) {
        throw new InputError('body: give either task, or runbook and procedure (with parameters), not both', { field: 'task' });
      }
      if (!this.deps.tasks.has(body.task)) throw new InputError(`body/task: no built-in task "${body.task}"`, { field: 'task', known: [...this.deps.tasks.keys()] });
      return { targetKind: 'task', taskKey: body.task, runbookId: null, procedureId: null, parameters: {} };
    }
    if (body.runbook === undefined || body.procedure === undefined) {
      throw new InputError('body: a schedule needs a target: task, or runbook and procedure', { field: body.runbook === undefined ? 'runbook' : 'procedure' });
    }
    const { runbook, parsed } = await this.deps.library.getVersion(body.runbook).catch((error: unknown) => {
      if (error instanceof NotFoundError) throw new InputError(`body/runbook: no runbook "${body.runbook}"`, { field: 'runbook' });
      throw error;
    });
    const procedure = parsed.procedures.find((p) => p.id === body.procedure);
    if (!procedure) throw new InputError(`body/procedure: ${runbook.slug} has no procedure "${body.procedure}"`, { field: 'procedure' });
    const parameters = body.parameters ?? {};
    const { known } = parametersOf(procedure);
    const unknown = Object.keys(parameters).filter((name) => !known.has(name));
    if (unknown.length > 0) throw new InputError(`body/parameters: ${procedure.id} takes no parameter ${unknown.join(', ')}`, { field: 'parameters', unknown });
    return { targetKind: 'runbook', taskKey: null, runbookId: runbook.id, procedureId: procedure.id, parameters };
  }

  private async names(views: ScheduleView[]): Promise<Map<string, TargetNames>> {
    const names = new Map<string, TargetNames>();
    const versions = new Map<string, Awaited<ReturnType<ScheduleServiceDeps['library']['getVersion']>> | null>();
    for (const { schedule } of views) {
      if (schedule.targetKind === 'task') {
        names.set(schedule.id, { title: this.deps.tasks.get(schedule.taskKey ?? '')?.title ?? `${schedule.taskKey} (not in this NEXUS)`, runbookSlug: null });
        continue;
      }
      const runbookId = schedule.runbookId!;
      if (!versions.has(runbookId)) versions.set(runbookId, await this.deps.library.getVersion(runbookId).catch(() => null));
      const version = versions.get(runbookId);
      const procedure = version?.parsed.procedures.find((p) => p.id === schedule.procedureId);
      names.set(schedule.id, { title: procedure?.title ?? `${schedule.procedureId} (not in the latest version)`, runbookSlug: version?.runbook.slug ?? null });
    }
    return names;
  }
}

function mergeTarget(current: ScheduleRow, body: UpdateScheduleBody) {
  if (body.task !== undefined) return { task: body.task };
  if (body.runbook !== undefined || body.procedure !== undefined) {
    return { runbook: body.runbook ?? current.runbookId ?? undefined, procedure: body.procedure ?? current.procedureId ?? undefined, parameters: body.parameters };
  }
  // Only the parameters change: keep the procedure.
  if (current.targetKind === 'task') return { task: current.taskKey ?? undefined, parameters: body.parameters };
  return { runbook: current.runbookId ?? undefined, procedure: current.procedureId ?? undefined, parameters: body.parameters ?? (current.parameters as Record<string, string>) };
}
