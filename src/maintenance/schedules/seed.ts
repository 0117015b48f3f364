import type { Logger } from '../../platform/logger.js';
import type { RunbookLibrary } from '../../runbooks/index.js';
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
