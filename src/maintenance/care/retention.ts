import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditService } from '../../platform/audit/service.js';
import type { Clock } from '../../platform/clock.js';
import type { RetentionConfig } from '../../platform/config.js';
import type { Database } from '../../platform/db/index.js';
import type { BuiltInTask, TaskContext } from '../tasks.js';
import type { CareMetrics } from './metrics.js';
import { batchStatement, PRUNE_KINDS, type PruneKind, type PruneKindName } from './prune-kinds.js';

export interface RetentionDeps {
  db: Database;
  audit: Pick<AuditService, 'record'>;
  clock: Clock;
  metrics: CareMetrics;
  config: RetentionConfig;
}

const DAY_MS = 24 * 3600 * 1000;

interface KindOutcome {
  kind: PruneKindName;
  /** Null: never pruned (not configured). */
  keptDays: number | null;
  cutoff: string | null;
  deleted: number;
  batches: number;
}

export function retentionPruneTask(deps: RetentionDeps): BuiltInTask {
  return {
    key: 'retention.prune',
    title: 'Prune old records',
    description:
      'Deletes resolved alerts, finished runs, delivery records, timeline events of closed incidents and audit entries older than their configured ages, in short batches.',
    run: (context) => prune(deps, context),
  };
}

async function prune(deps: RetentionDeps, context: TaskContext) {
  const started = performance.now();
  const now = deps.clock();
  const outcomes: KindOutcome[] = [];
  let stopped = false;
  for (const [index, kind] of PRUNE_KINDS.entries()) {
    const days = deps.config[kind.days];
    if (days === null) {
      outcomes.push({ kind: kind.kind, keptDays: null, cutoff: null, deleted: 0, batches: 0 });
      continue;
    }
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    const outcome: KindOutcome = { kind: kind.kind, keptDays: days, cutoff: cutoff.toISOString(), deleted: 0, batches: 0 };
    outcomes.push(outcome);
    try {
      stopped = await pruneKind(deps, context, kind, cutoff, outcome, index);
    } catch (error) {
      // What was deleted before the failure is committed: the audit log says so before the error goes up.
      const deleted = Object.fromEntries(outcomes.map((o) => [o.kind, o.deleted]));
      await deps.audit.record({ actor: context.actor, action: 'retention.prune', outcome: 'error', details: { deleted, failedAt: kind.kind } });
      throw error;
    }
    if (stopped) break;
  }
  const durationSeconds = Number(((performance.now() - started) / 1000).toFixed(3));
  const counts = Object.fromEntries(outcomes.map((o) => [o.kind, o.deleted]));
  const total = outcomes.reduce((sum, o) => sum + o.deleted, 0);
  const details = { engine: deps.db.engine, deleted: counts, total, durationSeconds, rowsPerSecond: durationSeconds > 0 ? Math.round(total / durationSeconds) : total, kinds: outcomes, cancelled: stopped };
  deps.metrics.pruneDuration.set(durationSeconds);
  deps.metrics.pruneLast.set(Date.now() / 1000);
  // Written after the deletes (and kept longest, config.ts): the record of this prune is never its own victim.
  await deps.audit.record({
    actor: context.actor,
    action: 'retention.prune',
    outcome: stopped ? 'error' : 'success',
    details: { deleted: counts, total, durationSeconds, cancelled: stopped },
  });
  const listed = outcomes.filter((o) => o.keptDays !== null).map((o) => `${o.deleted} ${o.kind}`).join(', ');
  context.progress(1, stopped ? 'cancelled' : 'done');
  return {
    ok: !stopped,
    summary: stopped ? `Cancelled after deleting ${total} rows (${listed})` : `Deleted ${total} old rows (${listed}) in ${durationSeconds.toFixed(1)} s`,
    details,
  };
}

interface BatchRow {
  picked: number;
  deleted: number;
  /** The last key picked, as text: a JSON array from PostgreSQL's driver, a string from PGlite's. */
  cursor: string[] | string | null;
}

/** Deletes one kind's old rows, a batch at a time; true when the run was cancelled. */
async function pruneKind(deps: RetentionDeps, context: TaskContext, kind: PruneKind, cutoff: Date, outcome: KindOutcome, index: number): Promise<boolean> {
  const limit = Math.max(1, Math.floor(deps.config.batchSize / kind.batchDivisor));
  const first = batchStatement(kind, false);
  const next = batchStatement(kind, true);
  const share = 1 / PRUNE_KINDS.length;
  let cursor: string[] | null = null;
  for (;;) {
    if (context.signal.aborted) return true;
    const params: unknown[] = [cutoff.toISOString(), limit, ...(cursor ?? [])];
    const rows: BatchRow[] = await deps.db.query<BatchRow>(cursor ? next : first, params);
    const row = rows[0];
    const picked = row?.picked ?? 0;
    const deleted = row?.deleted ?? 0;
    outcome.deleted += deleted;
    outcome.batches += 1;
    if (deleted > 0) deps.metrics.pruned.inc({ kind: kind.kind }, deleted);
    // The total is unknown without a count that would read every old row once more: fraction by kind.
    context.progress(index * share, `${kind.kind}: ${outcome.deleted} deleted`);
    if (picked < limit || row?.cursor == null) return false;
    cursor = typeof row.cursor === 'string' ? (JSON.parse(row.cursor) as string[]) : row.cursor;
    if (deps.config.batchPauseMs > 0) {
      try {
        await sleep(deps.config.batchPauseMs, undefined, { signal: context.signal });
      } catch {
        return true;
      }
    }
  }
}
