import { randomUUID } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Orm } from '../../platform/db/index.js';
import { runSteps } from '../tables.js';
import type { StepPatch, StepRow } from './store.js';

/** Longer than a self-fencing runner needs to kill its command (SIGTERM, SIGKILL 2 s later, then reaped). */
export const LOST_GRACE_SECONDS = 5;

const leaseUntil = (seconds: number) => sql`now() + make_interval(secs => ${seconds})`;

/**
 * The SQL of `run_steps` as a work queue (ADR 0004). Every statement that a
 * runner makes names the lease it holds, so a runner that lost its lease (it
 * stalled, the sweeper marked the step lost, someone retried it) can no
 * longer touch the step.
 */
export class QueueStore {
  constructor(private readonly orm: Orm) {}

  /**
   * Takes a queued step this runner's labels satisfy: of the people whose
   * steps wait, the one with the fewest steps running goes first, and within
   * that the oldest step (issue 14: one responder's 24 queued steps held an
   * admin's 1-s step for 25 s). A run's steps go one at a time, in order: a
   * step waits while its run has a step running or an earlier one queued.
   * SKIP LOCKED lets runners lease concurrently without waiting on each
   * other's candidates.
   */
  async lease(runnerId: string, labels: Record<string, string>, leaseSeconds: number): Promise<StepRow | null> {
    const candidate = sql`(
      SELECT c.id FROM run_steps c
      WHERE c.state = 'queued'
        AND ${JSON.stringify(labels)}::jsonb @> c.selector_labels
        AND NOT EXISTS (
          SELECT 1 FROM run_steps o
          WHERE o.run_id = c.run_id AND (o.state = 'running' OR (o.state = 'queued' AND o.seq < c.seq))
        )
      ORDER BY (
          SELECT count(*) FROM run_steps r
          WHERE r.state = 'running' AND r.requested_by IS NOT DISTINCT FROM c.requested_by
        ), c.queued_at, c.seq
      LIMIT 1
      FOR UPDATE OF c SKIP LOCKED
    )`;
    const [row] = await this.orm
      .update(runSteps)
      .set({
        state: 'running',
        // Each lease is an attempt: a retried or lost-then-retried step counts up.
        attempt: sql`${runSteps.attempt} + 1`,
        runnerId,
        leaseId: randomUUID(),
        leaseExpiresAt: leaseUntil(leaseSeconds),
        startedAt: sql`now()`,
        finishedAt: null,
        durationMs: null,
        exitCode: null,
        error: null,
        cancelRequestedAt: null,
        output: '',
        outputTail: '',
        outputBytes: 0,
        outputTruncated: false,
      })
      .where(and(eq(runSteps.id, candidate), eq(runSteps.state, 'queued')))
      .returning();
    return row ?? null;
  }

  /** null: the lease is gone (lost, cancelled, retried); the runner must stop the command. */
  async heartbeat(stepId: string, leaseId: string, leaseSeconds: number): Promise<{ cancelRequested: boolean } | null> {
    const [row] = await this.orm
      .update(runSteps)
      .set({ leaseExpiresAt: leaseUntil(leaseSeconds) })
      .where(this.held(stepId, leaseId))
      .returning({ cancelRequestedAt: runSteps.cancelRequestedAt });
    return row ? { cancelRequested: row.cancelRequestedAt !== null } : null;
  }

  /**
   * Appends output, keeping the first `head` and the last `tail` characters;
   * `output_bytes` counts everything. One statement, so batches from one
   * runner never interleave badly even without a transaction.
   */
  async append(stepId: string, leaseId: string, text: string, bounds: { head: number; tail: number }): Promise<number | null> {
    const { head, tail } = bounds;
    const [row] = await this.orm
      .update(runSteps)
      .set({
        output: sql`${runSteps.output} || left(${text}::text, greatest(0, ${head}::int - length(${runSteps.output})))`,
        outputTail: sql`right(${runSteps.outputTail} || substr(${text}::text, greatest(1, ${head}::int - length(${runSteps.output}) + 1)), ${tail}::int)`,
        outputBytes: sql`${runSteps.outputBytes} + ${Buffer.byteLength(text)}::bigint`,
      })
      .where(this.held(stepId, leaseId))
      .returning({ outputBytes: runSteps.outputBytes });
    return row ? row.outputBytes : null;
  }

  async complete(stepId: string, leaseId: string, patch: StepPatch): Promise<StepRow | null> {
    const [row] = await this.orm
      .update(runSteps)
      .set({
        ...patch,
        finishedAt: sql`now()`,
        leaseExpiresAt: null,
        outputTruncated: sql`${runSteps.outputBytes} > octet_length(${runSteps.output}) + octet_length(${runSteps.outputTail})`,
      })
      .where(this.held(stepId, leaseId))
      .returning();
    return row ?? null;
  }

  /**
   * Undoes a lease its runner never received (the long-poll's client went
   * away as the step was leased): queued again, at its old place, the
   * attempt not counted; or cancelled, if someone asked for that meanwhile.
   */
  async release(stepId: string, leaseId: string): Promise<StepRow | null> {
    const asked = sql`${runSteps.cancelRequestedAt} IS NOT NULL`;
    const [row] = await this.orm
      .update(runSteps)
      .set({
        state: sql`CASE WHEN ${asked} THEN 'cancelled' ELSE 'queued' END`,
        attempt: sql`${runSteps.attempt} - 1`,
        runnerId: null,
        leaseId: null,
        leaseExpiresAt: null,
        startedAt: null,
        finishedAt: sql`CASE WHEN ${asked} THEN now() END`,
        error: sql`CASE WHEN ${asked} THEN 'cancelled before it started' END`,
      })
      .where(this.held(stepId, leaseId))
      .returning();
    return row ?? null;
  }

  /**
   * Running steps whose runner stopped heartbeating: `lost`, or `cancelled`
   * when someone had asked for that. Never `running` forever. Only after a
   * grace past the lease's expiry: a runner that could not renew kills its
   * command at expiry (runners/step.ts keepLease), so a lost step has
   * stopped running before it can be retried.
   */
  async expire(): Promise<StepRow[]> {
    return this.orm
      .update(runSteps)
      .set({
        state: sql`CASE WHEN ${runSteps.cancelRequestedAt} IS NULL THEN 'lost' ELSE 'cancelled' END`,
        error: sql`'runner ' || coalesce(${runSteps.runnerId}, '?') || ' stopped renewing its lease; the command''s fate is unknown'`,
        finishedAt: sql`now()`,
        leaseExpiresAt: null,
        outputTruncated: sql`${runSteps.outputBytes} > octet_length(${runSteps.output}) + octet_length(${runSteps.outputTail})`,
      })
      .where(and(eq(runSteps.state, 'running'), lt(runSteps.leaseExpiresAt, sql`now() - make_interval(secs => ${LOST_GRACE_SECONDS})`)))
      .returning();
  }

  /**
   * After a command did not succeed, later commands of the same run that were
   * queued behind it go back to pending: like `set -e`, a procedure does not
   * run on past a failure unless a person asks again.
   */
  async holdBehind(failed: StepRow): Promise<StepRow[]> {
    return this.orm
      .update(runSteps)
      .set({ state: 'pending', queuedAt: null, error: `not run: ${failed.commandId} ${failed.state} before it` })
      .where(and(eq(runSteps.runId, failed.runId), eq(runSteps.state, 'queued'), gt(runSteps.seq, failed.seq)))
      .returning();
  }

  private held(stepId: string, leaseId: string) {
    return and(eq(runSteps.id, stepId), eq(runSteps.leaseId, leaseId), eq(runSteps.state, 'running'));
  }
}
