import { bigint, pgTable, text } from 'drizzle-orm/pg-core';

/**
 * A counter per table, raised by a statement trigger in the same transaction
 * as every write to it (migration 0008). A read that sees the same version in
 * its snapshot knows the table is unchanged since it last read it: lists
 * polled by many consoles answer from the last page they built without
 * reading the table again, and are never staler than their request.
 */
export const tableVersions = pgTable('table_versions', {
  name: text('name').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});
