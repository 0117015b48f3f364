import { and, asc, eq, gt, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Orm } from '../platform/db/index.js';
import { contacts, rotationMembers, rotationOverrides, rotations } from './tables.js';

export type RotationRow = typeof rotations.$inferSelect;
export type NewRotation = typeof rotations.$inferInsert;
export type OverrideRow = typeof rotationOverrides.$inferSelect;
export type NewOverride = typeof rotationOverrides.$inferInsert;

export interface MemberRef {
  id: string;
  name: string;
}

export interface RotationWithMembers {
  rotation: RotationRow;
  members: MemberRef[];
}

export interface OverrideWithContact {
  override: OverrideRow;
  contact: MemberRef;
}

/** SQL for rotations, their ordered members and their overrides. */
export class RotationStore {
  constructor(private readonly orm: Orm) {}

  async list(limit: number, after: [string, string] | null): Promise<RotationWithMembers[]> {
    const rows = await this.orm
      .select()
      .from(rotations)
      .where(after ? or(gt(rotations.name, after[0]), and(eq(rotations.name, after[0]), gt(rotations.id, after[1]))) : undefined)
      .orderBy(asc(rotations.name), asc(rotations.id))
      .limit(limit + 1);
    const members = await this.membersOf(rows.map((r) => r.id));
    return rows.map((rotation) => ({ rotation, members: members.get(rotation.id) ?? [] }));
  }

  async get(id: string): Promise<RotationWithMembers | null> {
    const [rotation] = await this.orm.select().from(rotations).where(eq(rotations.id, id));
    if (!rotation) return null;
    return { rotation, members: (await this.membersOf([id])).get(id) ?? [] };
  }

  async insert(rotation: NewRotation, memberIds: string[]): Promise<RotationRow> {
    return this.orm.transaction(async (tx) => {
      const [row] = await tx.insert(rotations).values(rotation).returning();
      await tx.insert(rotationMembers).values(memberIds.map((contactId, position) => ({ rotationId: row!.id, position, contactId })));
      return row!;
    });
  }

  /** Replaces the members (when given) in the same transaction as the other fields. */
  async update(id: string, patch: Partial<NewRotation>, memberIds: string[] | undefined): Promise<RotationRow | null> {
    return this.orm.transaction(async (tx) => {
      const [row] = await tx
        .update(rotations)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(rotations.id, id))
        .returning();
      if (!row) return null;
      if (memberIds) {
        await tx.delete(rotationMembers).where(eq(rotationMembers.rotationId, id));
        await tx.insert(rotationMembers).values(memberIds.map((contactId, position) => ({ rotationId: id, position, contactId })));
      }
      return row;
    });
  }

  async insertOverride(override: NewOverride): Promise<OverrideRow> {
    const [row] = await this.orm.insert(rotationOverrides).values(override).returning();
    return row!;
  }

  /** Overrides that have not ended by `now`, in start order. */
  async currentOverrides(rotationId: string, now: Date): Promise<OverrideWithContact[]> {
    return this.orm
      .select({ override: rotationOverrides, contact: { id: contacts.id, name: contacts.name } })
      .from(rotationOverrides)
      .innerJoin(contacts, eq(contacts.id, rotationOverrides.contactId))
      .where(and(eq(rotationOverrides.rotationId, rotationId), gt(rotationOverrides.endsAt, now)))
      .orderBy(asc(rotationOverrides.startsAt), asc(rotationOverrides.createdAt));
  }

  /** Overrides covering `at`. */
  /** Overrides active at some time in [from, to). */
  async overridesDuring(rotationId: string, from: Date, to: Date): Promise<OverrideRow[]> {
    return this.orm
      .select()
      .from(rotationOverrides)
      .where(and(eq(rotationOverrides.rotationId, rotationId), lt(rotationOverrides.startsAt, to), gt(rotationOverrides.endsAt, from)));
  }

  async overridesAt(rotationId: string, at: Date): Promise<OverrideRow[]> {
    return this.orm
      .select()
      .from(rotationOverrides)
      .where(and(eq(rotationOverrides.rotationId, rotationId), lte(rotationOverrides.startsAt, at), gt(rotationOverrides.endsAt, at)));
  }

  private async membersOf(rotationIds: string[]): Promise<Map<string, MemberRef[]>> {
    const result = new Map<string, MemberRef[]>();
    if (rotationIds.length === 0) return result;
    const rows = await this.orm
      .select({ rotationId: rotationMembers.rotationId, id: contacts.id, name: contacts.name })
      .from(rotationMembers)
      .innerJoin(contacts, eq(contacts.id, rotationMembers.contactId))
      .where(inArray(rotationMembers.rotationId, rotationIds))
      .orderBy(asc(rotationMembers.rotationId), asc(rotationMembers.position));
    for (const row of rows) {
      const list = result.get(row.rotationId) ?? [];
      list.push({ id: row.id, name: row.name });
      result.set(row.rotationId, list);
    }
    return result;
  }
}
