import { boolean, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * At most one row (id = 1): NEXUS is in maintenance mode while it exists.
 * Every replica polls it, so a restore started on one replica refuses writes
 * on all. Its data is never in a backup: restoring must not switch it off.
 */
export const maintenanceMode = pgTable('maintenance_mode', {
  id: integer('id').primaryKey().default(1),
  reason: text('reason').notNull(),
  startedBy: text('started_by').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  /** Set when the work that started it failed: maintenance then stays on until an admin ends it. */
  failed: boolean('failed').notNull().default(false),
});
