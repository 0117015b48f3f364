import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Orm } from '../../platform/db/index.js';
import type { ParsedRunbook } from '../model.js';
import { runbooks, runbookVersions } from '../tables.js';

export type RunbookRow = typeof runbooks.$inferSelect;
export type RunbookVersionRow = typeof runbookVersions.$inferSelect;

export interface NewVersion {
  source: string;
  parsed: ParsedRunbook;
  checksum: string;
  importedBy: string;
  importedById: string | null;
}

/** Version metadata without the (possibly megabytes of) source and parsed model. */
const versionInfo = {
  runbookId: runbookVersions.runbookId,
  version: runbookVersions.version,
  checksum: runbookVersions.checksum,
  importedBy: runbookVersions.importedBy,
  importedById: runbookVersions.importedById,
  importedAt: runbookVersions.importedAt,
  approvedBy: runbookVersions.approvedBy,
  approvedAt: runbookVersions.approvedAt,
};
export type RunbookVersionInfo = Pick<RunbookVersionRow, keyof typeof versionInfo>;

/** SQL for the runbook library; the rules live in service.ts. */
export class RunbookStore {
  constructor(private readonly orm: Orm) {}

  async byId(id: string): Promise<RunbookRow | null> {
    const [row] = await this.orm.select().from(runbooks).where(eq(runbooks.id, id));
    return row ?? null;
  }

  async bySlug(slug: string): Promise<RunbookRow | null> {
    const [row] = await this.orm.select().from(runbooks).where(eq(runbooks.slug, slug));
    return row ?? null;
  }

  /** Ordered by slug; `afterSlug` is the keyset cursor. */
  async list(limit: number, afterSlug: string | null): Promise<RunbookRow[]> {
    return this.orm
      .select()
      .from(runbooks)
      .where(afterSlug === null ? undefined : gt(runbooks.slug, afterSlug))
      .orderBy(asc(runbooks.slug))
      .limit(limit);
  }

  async version(runbookId: string, version: number): Promise<RunbookVersionRow | null> {
    const [row] = await this.orm
      .select()
      .from(runbookVersions)
      .where(and(eq(runbookVersions.runbookId, runbookId), eq(runbookVersions.version, version)));
    return row ?? null;
  }

  async versionInfo(runbookId: string, version: number): Promise<RunbookVersionInfo | null> {
    const [row] = await this.orm
      .select(versionInfo)
      .from(runbookVersions)
      .where(and(eq(runbookVersions.runbookId, runbookId), eq(runbookVersions.version, version)));
    return row ?? null;
  }

  /** The newest version imported by `importedBy` (the built-in import compares against its own last import). */
  async latestVersionBy(runbookId: string, importedBy: string): Promise<RunbookVersionInfo | null> {
    const [row] = await this.orm
      .select(versionInfo)
      .from(runbookVersions)
      .where(and(eq(runbookVersions.runbookId, runbookId), eq(runbookVersions.importedBy, importedBy)))
      .orderBy(desc(runbookVersions.version))
      .limit(1);
    return row ?? null;
  }

  /** Marks a version approved by an admin; null when there is no such version. Approving again keeps the first approval. */
  async approve(runbookId: string, version: number, userId: string): Promise<RunbookVersionInfo | null> {
    const [row] = await this.orm
      .update(runbookVersions)
      .set({ approvedBy: sql`coalesce(${runbookVersions.approvedBy}, ${userId}::uuid)`, approvedAt: sql`coalesce(${runbookVersions.approvedAt}, now())` })
      .where(and(eq(runbookVersions.runbookId, runbookId), eq(runbookVersions.version, version)))
      .returning(versionInfo);
    return row ?? null;
  }

  /** Which of `slugs` are taken. */
  async takenSlugs(slugs: string[]): Promise<Set<string>> {
    const rows = await this.orm.select({ slug: runbooks.slug }).from(runbooks).where(inArray(runbooks.slug, slugs));
    return new Set(rows.map((r) => r.slug));
  }

  /** Newest first; `beforeVersion` is the keyset cursor. */
  async listVersions(runbookId: string, limit: number, beforeVersion: number | null): Promise<RunbookVersionInfo[]> {
    return this.orm
      .select(versionInfo)
      .from(runbookVersions)
      .where(
        and(eq(runbookVersions.runbookId, runbookId), beforeVersion === null ? undefined : lt(runbookVersions.version, beforeVersion)),
      )
      .orderBy(desc(runbookVersions.version))
      .limit(limit);
  }

  /** A new runbook with its version 1; a concurrent import of the same slug makes this fail with 23505. */
  async create(meta: { slug: string; title: string; builtin: boolean }, first: NewVersion): Promise<{ runbook: RunbookRow; version: RunbookVersionInfo }> {
    return this.orm.transaction(async (tx) => {
      const [runbook] = await tx.insert(runbooks).values({ ...meta, latestVersion: 1 }).returning();
      const [version] = await tx
        .insert(runbookVersions)
        .values({ runbookId: runbook!.id, version: 1, ...first })
        .returning(versionInfo);
      return { runbook: runbook!, version: version! };
    });
  }

  /**
   * Appends version `expectedLatest + 1`. Null when another import got there
   * first (the latest moved on), so the caller re-reads and decides again.
   */
  async append(runbookId: string, expectedLatest: number, title: string, next: NewVersion): Promise<{ runbook: RunbookRow; version: RunbookVersionInfo } | null> {
    return this.orm.transaction(async (tx) => {
      const [runbook] = await tx
        .update(runbooks)
        .set({ latestVersion: expectedLatest + 1, title, updatedAt: sql`now()` })
        .where(and(eq(runbooks.id, runbookId), eq(runbooks.latestVersion, expectedLatest)))
        .returning();
      if (!runbook) return null;
      const [version] = await tx
        .insert(runbookVersions)
        .values({ runbookId, version: expectedLatest + 1, ...next })
        .returning(versionInfo);
      return { runbook, version: version! };
    });
  }
}
