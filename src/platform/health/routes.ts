import type { Redis } from 'ioredis';
import { Type } from 'typebox';
import type { Database } from '../db/index.js';
import type { App } from '../http/types.js';
import type { JobQueue } from '../jobs/index.js';
import type { MaintenanceState } from '../maintenance-mode/index.js';
import { pingRedis } from '../redis.js';

type CheckStatus = 'up' | 'down' | 'degraded' | 'disabled';
interface Check {
  status: CheckStatus;
  detail?: string;
  latencyMs?: number;
}

const CheckSchema = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('degraded'), Type.Literal('disabled')]),
  detail: Type.Optional(Type.String()),
  latencyMs: Type.Optional(Type.Number()),
});

const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('unavailable')]),
  checks: Type.Object({ database: CheckSchema, redis: CheckSchema, queue: CheckSchema, notify: Type.Optional(CheckSchema), maintenance: Type.Optional(CheckSchema) }),
  failing: Type.Array(Type.String()),
});

async function timed(fn: () => Promise<void>): Promise<Check> {
  const started = performance.now();
  try {
    await fn();
    return { status: 'up', latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { status: 'down', detail: (error as Error).message || 'unreachable' };
  }
}

export interface HealthDeps {
  db: Database;
  redis: Redis | null;
  jobs: JobQueue;
  version: string;
  startedAt: Date;
  /** Whether any notification can be delivered (the notify domain's `deliverability`); called per request. */
  notify?: () => Promise<{ canDeliver: boolean; missing: string[] }>;
  /** Maintenance mode (a restore): changes are refused meanwhile, reads still served, so degraded rather than down. */
  maintenance?: () => MaintenanceState;
}

function maintenanceCheck(state: MaintenanceState): Check {
  if (!state.active) return { status: 'up' };
  return {
    status: 'degraded',
    detail: state.failed
      ? `maintenance mode after a failure, changes refused until an admin ends it: ${state.reason ?? ''}`
      : `maintenance mode, changes refused: ${state.reason ?? 'maintenance'}${state.startedBy ? ` (started by ${state.startedBy})` : ''}`,
  };
}

/** Serving while every page reaches nobody is degraded, not down: incidents still open and people still see them. */
async function notifyCheck(deliverability: NonNullable<HealthDeps['notify']>): Promise<Check> {
  try {
    const { canDeliver, missing } = await deliverability();
    if (canDeliver) return { status: 'up' };
    return { status: 'degraded', detail: `no enabled channel or contact route can deliver, so pages reach nobody: ${missing.join('; ')}` };
  } catch {
    return { status: 'down', detail: 'could not be checked' };
  }
}

export function healthRoutes(app: App, deps: HealthDeps): void {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process is serving',
        response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String(), uptimeSeconds: Type.Integer() }) },
      },
      config: { access: 'public' },
    },
    async () => ({
      status: 'ok' as const,
      version: deps.version,
      uptimeSeconds: Math.floor((Date.now() - deps.startedAt.getTime()) / 1000),
    }),
  );

  app.get(
    '/api/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: database and queue must be up; Redis down, or nothing able to deliver a page, only degrades',
        response: { 200: Readiness, 503: Readiness },
      },
      config: { access: 'public' },
    },
    async (_request, reply) => {
      const [database, redis, queue, notify] = await Promise.all([
        timed(() => deps.db.ping(2000)),
        deps.redis ? timed(() => pingRedis(deps.redis!, 1000)) : Promise.resolve<Check>({ status: 'disabled' }),
        deps.jobs.health(),
        deps.notify ? notifyCheck(deps.notify) : undefined,
      ]);
      const maintenance = deps.maintenance ? maintenanceCheck(deps.maintenance()) : undefined;
      const checks = { database, redis, queue, ...(notify ? { notify } : {}), ...(maintenance ? { maintenance } : {}) };
      const failing = Object.entries(checks)
        .filter(([, check]) => check.status === 'down' || check.status === 'degraded')
        .map(([name]) => name);
      const critical = database.status === 'down' || queue.status === 'down';
      const status = critical ? 'unavailable' : failing.length ? 'degraded' : 'ok';
      return reply.status(critical ? 503 : 200).send({ status, checks, failing });
    },
  );
}
