import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { AuthenticationError, ConflictError, NotFoundError } from '../platform/errors.js';
import type { EventBus } from '../platform/events/index.js';
import type { Orm } from '../platform/db/index.js';
import type { Principal, RunnerPrincipal } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import { runnerLeases, runners } from './tables.js';

/** Recognisable in logs and secret scanners, like API tokens' `nxs_`. */
export const ENROLMENT_TOKEN_PREFIX = 'nxe_';
export const RUNNER_CREDENTIAL_PREFIX = 'nxr_';
const RANDOM_CHARS = 43; // 32 bytes, base64url

export type RunnerRow = typeof runners.$inferSelect;
export type RunnerState = 'pending' | 'active' | 'revoked' | 'expired';

export interface PublicRunner {
  id: string;
  name: string;
  labels: Record<string, string>;
  state: RunnerState;
  credentialPrefix: string | null;
  createdBy: string | null;
  createdAt: string;
  enrolmentExpiresAt: string;
  enrolledAt: string | null;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

/** Published when a runner or its enrolment is revoked: caches drop it and its long-polls end, on every replica. */
export const RUNNER_REVOKED = 'runner.revoked';

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const generate = (prefix: string) => prefix + randomBytes(32).toString('base64url');
const shaped = (text: string, prefix: string) => text.startsWith(prefix) && text.length === prefix.length + RANDOM_CHARS;

export function runnerState(row: RunnerRow, now: Date): RunnerState {
  if (row.revokedAt) return 'revoked';
  if (row.enrolledAt) return 'active';
  return row.enrolmentExpiresAt <= now ? 'expired' : 'pending';
}

export function toPublicRunner(row: RunnerRow, now = new Date()): PublicRunner {
  return {
    id: row.id,
    name: row.name,
    labels: row.labels as Record<string, string>,
    state: runnerState(row, now),
    credentialPrefix: row.credentialPrefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    enrolmentExpiresAt: row.enrolmentExpiresAt.toISOString(),
    enrolledAt: row.enrolledAt?.toISOString() ?? null,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** A resolved runner is reused this long; a revocation clears it on every replica at once (event). */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 1_000;
/** last_seen_at is written at most this often per runner. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Enrolled runners: an admin creates an enrolment (name, labels, expiry)
 * and gets a one-time token; the runner exchanges it once for its own
 * credential. Runner credentials authenticate the runner protocol only
 * (`access: 'runner'` routes), and the labels a runner leases with are the
 * ones stored here, never what a request claims.
 */
export class RunnerRegistry {
  private readonly cache = new Map<string, { runner: RunnerPrincipal; until: number }>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly orm: Orm,
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {
    this.unsubscribe = bus.subscribe((event) => {
      if (event.type === RUNNER_REVOKED) this.cache.clear();
    });
  }

  close(): void {
    this.unsubscribe();
  }

  isRunnerCredential(credential: string): boolean {
    return credential.startsWith(RUNNER_CREDENTIAL_PREFIX);
  }

  async authenticate(credential: string): Promise<RunnerPrincipal | null> {
    const now = Date.now();
    const cached = this.cache.get(credential);
    if (cached && cached.until > now) return cached.runner;
    if (!shaped(credential, RUNNER_CREDENTIAL_PREFIX)) return null;
    const [row] = await this.orm
      .select()
      .from(runners)
      .where(and(eq(runners.credentialHash, hash(credential)), isNull(runners.revokedAt)));
    if (!row) return null;
    if (!row.lastSeenAt || now - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
      this.orm
        .update(runners)
        .set({ lastSeenAt: sql`now()` })
        .where(eq(runners.id, row.id))
        .catch((err: unknown) => this.logger.warn({ err }, 'could not record runner use'));
    }
    const runner: RunnerPrincipal = { id: row.id, name: row.name, labels: row.labels as Record<string, string> };
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(credential, { runner, until: now + CACHE_TTL_MS });
    return runner;
  }

  async createEnrolment(
    admin: Principal,
    input: { name: string; labels: Record<string, string>; expiresInMinutes: number },
  ): Promise<{ enrolmentToken: string; runner: PublicRunner }> {
    await this.assertNameFree(input.name);
    const token = generate(ENROLMENT_TOKEN_PREFIX);
    const [row] = await this.orm
      .insert(runners)
      .values({
        name: input.name,
        labels: input.labels,
        enrolmentHash: hash(token),
        enrolmentExpiresAt: sql`now() + make_interval(mins => ${input.expiresInMinutes})`,
        createdBy: admin.userId,
      })
      .returning();
    const runner = toPublicRunner(row!);
    this.bus.publish('runner.enrolment_created', runner, { minRole: 'admin' });
    return { enrolmentToken: token, runner };
  }

  /**
   * Exchanges an enrolment token for the runner's credential, once: the
   * statement only succeeds while no credential was issued, so two runners
   * racing with the same token cannot both get one.
   */
  async enrol(enrolmentToken: string): Promise<{ credential: string; runner: PublicRunner }> {
    const refused = new AuthenticationError('Enrolment token is invalid, expired, revoked or already used; ask an admin for a new one (nexus runners enrol)');
    if (!shaped(enrolmentToken, ENROLMENT_TOKEN_PREFIX)) throw refused;
    const credential = generate(RUNNER_CREDENTIAL_PREFIX);
    const [row] = await this.orm
      .update(runners)
      .set({
        credentialHash: hash(credential),
        credentialPrefix: credential.slice(0, RUNNER_CREDENTIAL_PREFIX.length + 6),
        enrolledAt: sql`now()`,
        lastSeenAt: sql`now()`,
      })
      .where(
        and(
          eq(runners.enrolmentHash, hash(enrolmentToken)),
          isNull(runners.credentialHash),
          isNull(runners.revokedAt),
          gt(runners.enrolmentExpiresAt, sql`now()`),
        ),
      )
      .returning();
    if (!row) throw refused;
    const runner = toPublicRunner(row);
    this.bus.publish('runner.enrolled', runner, { minRole: 'admin' });
    return { credential, runner };
  }

  async list(limit: number, after: [string, string] | null): Promise<RunnerRow[]> {
    const conditions: SQL[] = [];
    if (after !== null) {
      const at = new Date(after[0]);
      conditions.push(or(lt(runners.createdAt, at), and(eq(runners.createdAt, at), lt(runners.id, after[1])))!);
    }
    return this.orm
      .select()
      .from(runners)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(runners.createdAt), desc(runners.id))
      .limit(limit + 1);
  }

  /** Revokes a runner (its credential stops working at once) or an enrolment not used yet. */
  async revoke(admin: Principal, id: string): Promise<PublicRunner> {
    const [row] = await this.orm
      .update(runners)
      .set({ revokedAt: sql`now()`, revokedBy: admin.userId })
      .where(and(eq(runners.id, id), isNull(runners.revokedAt)))
      .returning();
    if (!row) {
      const [existing] = await this.orm.select().from(runners).where(eq(runners.id, id));
      if (!existing) throw new NotFoundError('runner', id);
      return toPublicRunner(existing);
    }
    const runner = toPublicRunner(row);
    this.cache.clear();
    this.bus.publish(RUNNER_REVOKED, runner, { minRole: 'admin' });
    return runner;
  }

  /** Records which runner took a lease; only that runner may then act on it. */
  async bindLease(runnerId: string, stepId: string, leaseId: string): Promise<void> {
    await this.orm.insert(runnerLeases).values({ runnerId, stepId, leaseId });
  }

  /** The enrolled runner that took a lease, or null (not a remote lease, or unknown). */
  async leaseHolder(leaseId: string): Promise<string | null> {
    const [row] = await this.orm.select({ runnerId: runnerLeases.runnerId }).from(runnerLeases).where(eq(runnerLeases.leaseId, leaseId));
    return row?.runnerId ?? null;
  }

  private async assertNameFree(name: string): Promise<void> {
    const [live] = await this.orm
      .select({ id: runners.id })
      .from(runners)
      .where(and(eq(runners.name, name), isNull(runners.revokedAt)));
    if (live) throw new ConflictError(`A runner named "${name}" exists already (id ${live.id}); revoke it first or choose another name`, { id: live.id });
  }
}
