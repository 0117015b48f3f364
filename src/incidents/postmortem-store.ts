import { desc, eq } from 'drizzle-orm';
import type { Orm } from '../platform/db/index.js';
import { incidentPostmortems } from './tables.js';

export type PostmortemRow = typeof incidentPostmortems.$inferSelect;

/** SQL for post-mortems: each saved edit is a new version row. */
export class PostmortemStore {
  constructor(private readonly orm: Orm) {}

  async latest(incidentId: string): Promise<PostmortemRow | null> {
    const [row] = await this.orm
      .select()
      .from(incidentPostmortems)
      .where(eq(incidentPostmortems.incidentId, incidentId))
      .orderBy(desc(incidentPostmortems.version))
      .limit(1);
    return row ?? null;
  }

  /** Throws a unique violation when another edit took this version first. */
  async insert(row: typeof incidentPostmortems.$inferInsert): Promise<PostmortemRow> {
    const [saved] = await this.orm.insert(incidentPostmortems).values(row).returning();
    return saved!;
  }
}
