import { and, desc, eq, or, sql } from 'drizzle-orm';
import type { Orm } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import type { ParsedRunbook } from '../model.js';
import { runbooks, runbookVersions } from '../tables.js';
import { isUuid } from '../../platform/uuid.js';

export interface RunbookVersion {
  runbook: { id: string; slug: string; title: string };
  version: number;
  parsed: ParsedRunbook;
  /** An admin approved this version: its `risk=` annotations may lower a command's risk (risk.ts). */
  approved: boolean;
}

/** What runs need of the library: one pinned version of a runbook, parsed. */
export interface RunbookVersionSource {
  getVersion(idOrSlug: string, version?: number): Promise<RunbookVersion>;
}


/**
 * Reads the library's tables directly. The library service
 * (src/runbooks/library) is the source when it is wired in; this stays for
 * wiring without it (tests of runs alone) and reads the same rows.
 */
export function tableRunbookSource(orm: Orm): RunbookVersionSource {
  return {
    async getVersion(idOrSlug, version) {
      const match = isUuid(idOrSlug) ? or(eq(runbooks.id, idOrSlug), eq(runbooks.slug, idOrSlug)) : eq(runbooks.slug, idOrSlug);
      const [row] = await orm
        .select({
          runbook: { id: runbooks.id, slug: runbooks.slug, title: runbooks.title },
          version: runbookVersions.version,
          parsed: runbookVersions.parsed,
          approvedAt: runbookVersions.approvedAt,
        })
        .from(runbooks)
        .innerJoin(runbookVersions, eq(runbookVersions.runbookId, runbooks.id))
        .where(and(match, version === undefined ? sql`true` : eq(runbookVersions.version, version)))
        .orderBy(desc(runbookVersions.version))
        .limit(1);
      if (!row) {
        throw version === undefined ? new NotFoundError('runbook', idOrSlug) : new NotFoundError('runbook version', `${idOrSlug}@${version}`);
      }
      return { runbook: row.runbook, version: row.version, parsed: row.parsed as ParsedRunbook, approved: row.approvedAt !== null };
    },
  };
}
