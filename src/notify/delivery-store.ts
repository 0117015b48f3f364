import { and, desc, eq, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Orm } from '../platform/db/index.js';
import type { DeliveryState } from './schema.js';
import { contacts, notificationDeliveries, notifications, notifyChannels } from './tables.js';

export type NotificationRow = typeof notifications.$inferSelect;
export type NewNotification = typeof notifications.$inferInsert;
export type DeliveryRow = typeof notificationDeliveries.$inferSelect;
export type NewDelivery = Omit<typeof notificationDeliveries.$inferInsert, 'notificationId'>;

export interface DeliveryWithNotification {
  delivery: DeliveryRow;
  notification: NotificationRow;
}

/** The names people know a destination by: its contact's or its channel's (null once deleted, or for neither). */
export interface DeliveryNames {
  contactName: string | null;
  channelName: string | null;
}

export type NamedDelivery = DeliveryWithNotification & DeliveryNames;

export interface DeliveryFilter {
  incidentId?: string | undefined;
  key?: string | undefined;
  state?: DeliveryState | undefined;
  /** Keyset: rows strictly older than (createdAt, id). */
  before?: [string, string] | null;
}

const open = eq(notificationDeliveries.state, 'queued');
/** created_at with all six fractional digits, for keyset paging. */
const CURSOR = sql<string>`to_char(${notificationDeliveries.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const NAMES = { contactName: contacts.name, channelName: notifyChannels.name };

/** SQL for the notifications and their delivery log. */
export class DeliveryStore {
  constructor(private readonly orm: Orm) {}

  /**
   * Records the notification (first one wins per key) and its deliveries in
   * one transaction. Only rows that did not exist come back: those are the
   * ones that need a job.
   */
  async record(notification: NewNotification, deliveries: NewDelivery[]): Promise<{ notification: NotificationRow; created: DeliveryRow[] }> {
    return this.orm.transaction(async (tx) => {
      await tx.insert(notifications).values(notification).onConflictDoNothing({ target: notifications.key });
      const [row] = await tx.select().from(notifications).where(eq(notifications.key, notification.key));
      const saved = row!;
      if (deliveries.length === 0) return { notification: saved, created: [] };
      const created = await tx
        .insert(notificationDeliveries)
        .values(deliveries.map((d) => ({ ...d, notificationId: saved.id })))
        .onConflictDoNothing({ target: [notificationDeliveries.notificationId, notificationDeliveries.target] })
        .returning();
      return { notification: saved, created };
    });
  }

  /** Every delivery of a notification, with the names of its contacts and channels. */
  deliveriesOf(notificationId: string): Promise<NamedDelivery[]> {
    return this.orm
      .select({ delivery: notificationDeliveries, notification: notifications, ...NAMES })
      .from(notificationDeliveries)
      .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
      .leftJoin(contacts, eq(contacts.id, notificationDeliveries.contactId))
      .leftJoin(notifyChannels, eq(notifyChannels.id, notificationDeliveries.channelId))
      .where(eq(notificationDeliveries.notificationId, notificationId))
      .orderBy(notificationDeliveries.createdAt, notificationDeliveries.target);
  }

  async get(id: string): Promise<DeliveryWithNotification | null> {
    const [row] = await this.orm
      .select({ delivery: notificationDeliveries, notification: notifications })
      .from(notificationDeliveries)
      .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
      .where(eq(notificationDeliveries.id, id));
    return row ?? null;
  }

  async setJob(id: string, jobId: string): Promise<void> {
    await this.orm.update(notificationDeliveries).set({ jobId }).where(eq(notificationDeliveries.id, id));
  }

  /**
   * Takes the delivery for one attempt: only while it is still queued, and
   * only if no other job holds an unexpired claim. The same job (a pg-boss
   * retry after a crash keeps its id) may take it again at once.
   */
  async claim(id: string, jobId: string, leaseSeconds: number): Promise<DeliveryWithNotification | null> {
    const [row] = await this.orm
      .update(notificationDeliveries)
      .set({
        attempts: sql`${notificationDeliveries.attempts} + 1`,
        claimJob: jobId,
        claimUntil: sql`now() + make_interval(secs => ${leaseSeconds})`,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(notificationDeliveries.id, id),
          open,
          or(isNull(notificationDeliveries.claimJob), eq(notificationDeliveries.claimJob, jobId), lt(notificationDeliveries.claimUntil, sql`now()`)),
        ),
      )
      .returning({ id: notificationDeliveries.id });
    return row ? this.get(row.id) : null;
  }

  /** Finishes an attempt held by `jobId`: sent, or skipped with the reason. */
  async finish(id: string, jobId: string, outcome: { state: 'sent' } | { state: 'skipped'; reason: string }): Promise<DeliveryRow | null> {
    const [row] = await this.orm
      .update(notificationDeliveries)
      .set({
        state: outcome.state,
        lastError: outcome.state === 'skipped' ? outcome.reason : null,
        sentAt: outcome.state === 'sent' ? sql`now()` : null,
        claimJob: null,
        claimUntil: null,
        updatedAt: sql`now()`,
      })
      .where(and(eq(notificationDeliveries.id, id), open, eq(notificationDeliveries.claimJob, jobId)))
      .returning();
    return row ?? null;
  }

  /** A failed attempt: the reason is kept and the claim released, so the retry can take it. */
  async recordFailure(id: string, jobId: string, reason: string): Promise<void> {
    await this.orm
      .update(notificationDeliveries)
      .set({ lastError: reason, claimJob: null, claimUntil: null, updatedAt: sql`now()` })
      .where(and(eq(notificationDeliveries.id, id), open, eq(notificationDeliveries.claimJob, jobId)));
  }

  /** Out of retries (dead letter): failed for good, unless another job sent it meanwhile. */
  async markFailed(id: string, reason: string | null): Promise<DeliveryRow | null> {
    const [row] = await this.orm
      .update(notificationDeliveries)
      .set({
        state: 'failed',
        lastError: sql`coalesce(${notificationDeliveries.lastError}, ${reason})`,
        claimJob: null,
        claimUntil: null,
        updatedAt: sql`now()`,
      })
      .where(and(eq(notificationDeliveries.id, id), open))
      .returning();
    return row ?? null;
  }

  /** Queued rows whose job was never recorded: the process died between commit and send. */
  async orphans(olderThanSeconds: number, limit: number): Promise<string[]> {
    const rows = await this.orm
      .select({ id: notificationDeliveries.id })
      .from(notificationDeliveries)
      .where(
        and(
          open,
          isNull(notificationDeliveries.jobId),
          lt(notificationDeliveries.createdAt, sql`now() - make_interval(secs => ${olderThanSeconds})`),
        ),
      )
      .limit(limit);
    return rows.map((r) => r.id);
  }

  /** Names (and Slack handles) of the people a notification pages, for chat messages. */
  async pagedContacts(notificationId: string): Promise<Array<{ name: string; slack: string | null }>> {
    return this.orm
      .selectDistinct({ name: contacts.name, slack: contacts.slack })
      .from(notificationDeliveries)
      .innerJoin(contacts, eq(contacts.id, notificationDeliveries.contactId))
      .where(and(eq(notificationDeliveries.notificationId, notificationId), isNotNull(notificationDeliveries.contactId)))
      .orderBy(contacts.name);
  }

  list(filter: DeliveryFilter, limit: number): Promise<Array<NamedDelivery & { cursor: string }>> {
    const conditions: SQL[] = [];
    if (filter.incidentId) conditions.push(eq(notifications.incidentId, filter.incidentId));
    if (filter.key) conditions.push(eq(notifications.key, filter.key));
    if (filter.state) conditions.push(eq(notificationDeliveries.state, filter.state));
    if (filter.before) {
      // Row comparison on the microsecond timestamp: deliveries of one notification share created_at,
      // and a JS Date (milliseconds) as the cursor would skip some of them.
      const [at, id] = filter.before;
      conditions.push(sql`(${notificationDeliveries.createdAt}, ${notificationDeliveries.id}) < (${at}::timestamptz, ${id}::uuid)`);
    }
    return this.orm
      .select({ delivery: notificationDeliveries, notification: notifications, ...NAMES, cursor: CURSOR })
      .from(notificationDeliveries)
      .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
      .leftJoin(contacts, eq(contacts.id, notificationDeliveries.contactId))
      .leftJoin(notifyChannels, eq(notifyChannels.id, notificationDeliveries.channelId))
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(notificationDeliveries.createdAt), desc(notificationDeliveries.id))
      .limit(limit + 1);
  }
}
