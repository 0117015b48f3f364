import { inArray } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Orm } from '../db/index.js';
import { isUuid } from '../uuid.js';

/** Readable names for ids, in one lookup: those found (a deleted thing has none). */
export type TargetNamer = (ids: string[]) => Promise<Map<string, string>>;

/**
 * Each domain names the things its actions act on (`incident` → the title,
 * `channel` → the name), so the audit log can read "alice acknowledged
 * incident Database down" while storing only ids: the platform knows no
 * domain's tables, and a renamed thing reads with its name of today.
 */
export class AuditTargetNames {
  private readonly namers = new Map<string, TargetNamer>();

  /** `thing`: the part of the action names before the dot (`incident` for `incident.ack`). */
  register(thing: string, namer: TargetNamer): void {
    this.namers.set(thing, namer);
  }

  /** The names of these entries' targets, by `action prefix + target`; a failing namer leaves its names out. */
  async label(entries: ReadonlyArray<{ action: string; target: string | null }>): Promise<(entry: { action: string; target: string | null }) => string | null> {
    const wanted = new Map<string, Set<string>>();
    for (const { action, target } of entries) {
      const thing = action.slice(0, action.indexOf('.'));
      if (target === null || !this.namers.has(thing)) continue;
      let ids = wanted.get(thing);
      if (!ids) wanted.set(thing, (ids = new Set()));
      ids.add(target);
    }
    const found = new Map<string, Map<string, string>>();
    await Promise.all(
      [...wanted].map(async ([thing, ids]) => {
        found.set(thing, await this.namers.get(thing)!([...ids]).catch(() => new Map<string, string>()));
      }),
    );
    return ({ action, target }) => (target === null ? null : (found.get(action.slice(0, action.indexOf('.')))?.get(target) ?? null));
  }
}

/** A namer reading `label` by `id` from the id's own table; ids that cannot be in a uuid column are not asked for. */
export function namesFrom(orm: Orm, id: PgColumn, label: PgColumn): TargetNamer {
  const uuids = id.columnType === 'PgUUID';
  return async (ids) => {
    const asked = uuids ? ids.filter(isUuid) : ids;
    if (asked.length === 0) return new Map();
    const rows = await orm.select({ id: id, label: label }).from(id.table).where(inArray(id, asked));
    return new Map(rows.map((row) => [String(row.id), String(row.label)]));
  };
}
