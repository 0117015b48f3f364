import type { Logger } from '../../platform/logger.js';
import type { RunbookLibrary } from '../../runbooks/index.js';
import type { BuiltInTask } from '../tasks.js';
import type { ScheduleRow, ScheduleStore } from './store.js';

/** The built-in runbook and its `## Maintenance Tasks` procedures, with the rhythm each gets (UTC). */
export const SEED_RUNBOOK = 'nexus-platform';
const SEED_GROUP = 'Maintenance Tasks';
export const SEED_SCHEDULES: ReadonlyArray<{ title: string; cron: string; rhythm: string }> = [
  { title: 'Daily Tasks', cron: '0 6 * * *', rhythm: 'every day at 06:00 UTC' },
  { title: 'Weekly Tasks', cron: '0 7 * * 1', rhythm: 'every Monday at 07:00 UTC' },
  { title: 'Monthly Tasks', cron: '0 8 1 * *', rhythm: 'on the 1st of every month at 08:00 UTC' },
];

/**
 * The seed's daily, weekly and monthly tasks as schedules, disabled until an
 * admin enables them. Keyed by the seed procedure and imported once: every
 * start adds only a seed never imported before, so a schedule an admin
 * changed, enabled or deleted stays as they left it.
 */
export async function ensureSeedSchedules(deps: {
  store: ScheduleStore;
  library: Pick<RunbookLibrary, 'getVersion'>;
  ownerId: string | null;
  logger: Logger;
}): Promise<ScheduleRow[]> {
  if (!deps.ownerId) return [];
  const version = await deps.library.getVersion(SEED_RUNBOOK).catch(() => null);
  if (!version) return [];
  const created: ScheduleRow[] = [];
  for (const seed of SEED_SCHEDULES) {
    const procedure = version.parsed.procedures.find((p) => p.group === SEED_GROUP && p.title === seed.title);
    if (!procedure) {
      deps.logger.warn({ procedure: seed.title }, `the built-in runbook has no "${seed.title}" under ${SEED_GROUP}; no schedule for it`);
      continue;
    }
    const row = await deps.store.insertSeed({
      name: `${seed.title} (${SEED_RUNBOOK})`,
      description: `The built-in runbook's ${seed.title}, ${seed.rhythm}. Imported disabled: enable it once its commands fit this installation.`,
      cron: seed.cron,
      timeZone: 'UTC',
      targetKind: 'runbook',
      runbookId: version.runbook.id,
      procedureId: procedure.id,
      ownerId: deps.ownerId,
      enabled: false,
      missedPolicy: 'run-once',
      nextDueAt: null,
      seedKey: `${SEED_RUNBOOK}:${procedure.id}`,
    });
    if (row) created.push(row);
  }
  return created;
}

/**
 * The built-in tasks the rhythm asks for (nightly backup, daily prune,
 * weekly verification and vacuum, the monthly restore drill), each seeded once
 * and disabled like the runbook's tasks: a backup writes dumps and a prune
 * deletes rows, which an admin switches on knowingly. A key no part
 * registered (a build without backups, say) is skipped.
 */
export const TASK_SEEDS: ReadonlyArray<{ key: string; cron: string; rhythm: string }> = [
  { key: 'backup.create', cron: '0 2 * * *', rhythm: 'every day at 02:00 UTC' },
  { key: 'retention.prune', cron: '30 3 * * *', rhythm: 'every day at 03:30 UTC' },
  { key: 'backup.verify', cron: '0 4 * * 0', rhythm: 'every Sunday at 04:00 UTC (the runbook\'s weekly Backup Verification)' },
  { key: 'db.vacuum-analyze', cron: '0 5 * * 0', rhythm: 'every Sunday at 05:00 UTC (the runbook\'s weekly Database Maintenance)' },
  { key: 'backup.drill', cron: '0 5 1 * *', rhythm: 'on the 1st of every month at 05:00 UTC (the runbook\'s monthly disaster recovery test)' },
];

export async function ensureTaskSeedSchedules(deps: {
  store: ScheduleStore;
  tasks: ReadonlyMap<string, BuiltInTask>;
  ownerId: string | null;
}): Promise<ScheduleRow[]> {
  if (!deps.ownerId) return [];
  const created: ScheduleRow[] = [];
  for (const seed of TASK_SEEDS) {
    const task = deps.tasks.get(seed.key);
    if (!task) continue;
    const row = await deps.store.insertSeed({
      name: task.title,
      description: `${task.description} Runs ${seed.rhythm}. Imported disabled: enable it when this installation wants it.`,
      cron: seed.cron,
      timeZone: 'UTC',
      targetKind: 'task',
      taskKey: seed.key,
      ownerId: deps.ownerId,
      enabled: false,
      missedPolicy: 'run-once',
      nextDueAt: null,
      seedKey: `task:${seed.key}`,
    });
    if (row) created.push(row);
  }
  return created;
}
