import { and, eq } from 'drizzle-orm';
import type { Orm } from '../platform/db/index.js';
import { incidentAckLinksUsed } from './tables.js';

export type UsedAckLink = typeof incidentAckLinksUsed.$inferSelect;

/** The acknowledge links already used (their nonces). */
export class AckLinkStore {
  constructor(private readonly orm: Orm) {}

  async used(nonce: string): Promise<UsedAckLink | null> {
    const [row] = await this.orm.select().from(incidentAckLinksUsed).where(eq(incidentAckLinksUsed.nonce, nonce));
    return row ?? null;
  }

  /** Records the use; false when the link was used already (two taps racing: one wins). */
  async markUsed(nonce: string, incidentId: string, actor: string, at: Date): Promise<boolean> {
    const rows = await this.orm
      .insert(incidentAckLinksUsed)
      .values({ nonce, incidentId, actor, usedAt: at })
      .onConflictDoNothing()
      .returning({ nonce: incidentAckLinksUsed.nonce });
    return rows.length > 0;
  }

  /** Gives a link back when its use did not acknowledge after all (someone else was faster). */
  async release(nonce: string, incidentId: string): Promise<void> {
    await this.orm.delete(incidentAckLinksUsed).where(and(eq(incidentAckLinksUsed.nonce, nonce), eq(incidentAckLinksUsed.incidentId, incidentId)));
  }
}
