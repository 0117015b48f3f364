import type { FastifyInstance } from 'fastify';
import type { Database, DbSession } from '../db/index.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

export interface MaintenanceState {
  active: boolean;
  reason: string | null;
  startedBy: string | null;
  startedAt: string | null;
  /** The work that started it failed: it stays on until an admin ends it. */
  failed: boolean;
}

const OFF: MaintenanceState = { active: false, reason: null, startedBy: null, startedAt: null, failed: false };

/**
 * Held by the replica doing the work (a restore) for as long as it works.
 * While a restore replaces the tables the switch's own row is briefly gone;
 * other replicas also see this lock, so there is no moment they think
 * maintenance is over.
 */
const LOCK = [7303, 20] as const;
const POLL_MS = 1000;

/** Writes still allowed: signing in (an admin must be able to end a failed maintenance) and ending maintenance itself. */
const ALLOWED_WRITES = new Set(['/api/v1/auth/login', '/api/v1/maintenance-mode']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class MaintenanceRefusal extends AppError {
  constructor(state: MaintenanceState) {
    super(
      503,
      'maintenance',
      state.failed
        ? `NEXUS is in maintenance mode after a failed ${state.reason ?? 'operation'}: changes are refused until an admin ends it (nexus backup end-maintenance)`
        : `NEXUS is in maintenance mode (${state.reason ?? 'maintenance'}): changes are refused until it finishes; reading still works`,
      { reason: state.reason, startedBy: state.startedBy, startedAt: state.startedAt, failed: state.failed },
    );
  }
}

/**
 * The platform's maintenance switch: while on, every mutating request is
 * refused with 503 and /api/health says why. The state is a row every
 * replica reads once a second (plus the worker's advisory lock), so a restore
 * started on one replica stops writes on all of them; the replica that starts
 * it sees it at once.
 */
export class MaintenanceMode {
  private state: MaintenanceState = OFF;
  private timer: NodeJS.Timeout | undefined;
  private holder: DbSession | undefined;
  private polling = false;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
  ) {}

  current(): MaintenanceState {
    return this.state;
  }

  async refresh(): Promise<MaintenanceState> {
    const [row] = await this.db.query<{ reason: string; started_by: string; started_at: Date | string; failed: boolean }>(
      'SELECT reason, started_by, started_at, failed FROM maintenance_mode WHERE id = 1',
    );
    if (row) {
      this.state = { active: true, reason: row.reason, startedBy: row.started_by, startedAt: new Date(row.started_at).toISOString(), failed: row.failed };
    } else if (this.db.engine === 'postgres' && (await this.lockHeldElsewhere())) {
      this.state = { active: true, reason: 'restore', startedBy: null, startedAt: null, failed: false };
    } else if (!this.holder) {
      this.state = OFF;
    }
    return this.state;
  }

  private async lockHeldElsewhere(): Promise<boolean> {
    const [row] = await this.db.query<{ held: boolean }>(
      // pg_locks shows the whole cluster: only a restore of this database counts.
      `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND classid = $1 AND objid = $2 AND objsubid = 2 AND granted) AS held`,
      [LOCK[0], LOCK[1]],
    );
    return row?.held ?? false;
  }

  /** Turns maintenance on for `reason`; refused (409) while something else holds it. */
  async enter(reason: string, startedBy: string): Promise<void> {
    if (this.db.engine === 'postgres') {
      const session = await this.db.session();
      const [row] = await session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LOCK[0], LOCK[1]]);
      if (!row?.ok) {
        await session.release();
        throw new AppError(409, 'conflict', 'Another replica is already restoring: wait for it to finish');
      }
      this.holder = session;
    } else {
      if (this.holder) throw new AppError(409, 'conflict', 'A restore is already running');
      this.holder = { query: async () => [], lost: new Promise(() => {}), release: async () => {} };
    }
    const startedAt = new Date();
    try {
      await this.db.query(
        `INSERT INTO maintenance_mode (id, reason, started_by, started_at, failed) VALUES (1, $1, $2, $3, false)
         ON CONFLICT (id) DO UPDATE SET reason = EXCLUDED.reason, started_by = EXCLUDED.started_by, started_at = EXCLUDED.started_at, failed = false`,
        [reason, startedBy, startedAt],
      );
    } catch (error) {
      await this.releaseHolder();
      throw error;
    }
    this.state = { active: true, reason, startedBy, startedAt: startedAt.toISOString(), failed: false };
  }

  /** The work failed: maintenance stays on, for every replica and across restarts, until an admin ends it. */
  async markFailed(detail: string): Promise<void> {
    const reason = `${this.state.reason ?? 'maintenance'}: ${detail}`.slice(0, 2000);
    this.state = { ...this.state, active: true, failed: true, reason };
    await this.db
      .query(
        `INSERT INTO maintenance_mode (id, reason, started_by, started_at, failed) VALUES (1, $1, $2, now(), true)
         ON CONFLICT (id) DO UPDATE SET reason = EXCLUDED.reason, failed = true`,
        [reason, this.state.startedBy ?? 'nexus'],
      )
      .catch((error: unknown) => this.logger.error({ err: error }, 'could not record the failed maintenance; this replica keeps refusing writes'));
    await this.releaseHolder();
  }

  async leave(): Promise<void> {
    await this.db.query('DELETE FROM maintenance_mode WHERE id = 1');
    await this.releaseHolder();
    this.state = OFF;
  }

  private async releaseHolder(): Promise<void> {
    const holder = this.holder;
    this.holder = undefined;
    if (holder) {
      await holder.query('SELECT pg_advisory_unlock($1, $2)', [LOCK[0], LOCK[1]]).catch(() => {});
      await holder.release();
    }
  }

  /** Refuses writes while on; polls the shared state. */
  install(app: FastifyInstance): void {
    app.addHook('onRequest', (request, _reply, done) => {
      if (!this.state.active || SAFE_METHODS.has(request.method)) return done();
      const route = request.routeOptions.url ?? request.url;
      if (ALLOWED_WRITES.has(route)) return done();
      done(new MaintenanceRefusal(this.state));
    });
    app.addHook('onReady', async () => {
      await this.refresh().catch((error: unknown) => this.logger.warn({ err: error }, 'maintenance state could not be read'));
      this.timer = setInterval(() => {
        // One poll at a time: during a restore the read waits on the restore's locks, and must not pile up.
        if (this.polling) return;
        this.polling = true;
        this.refresh()
          .catch(() => {
            // The database being unreachable is health's to report; keep the last known state.
          })
          .finally(() => (this.polling = false));
      }, POLL_MS);
      this.timer.unref();
    });
    app.addHook('onClose', async () => {
      clearInterval(this.timer);
      await this.releaseHolder();
    });
  }
}
