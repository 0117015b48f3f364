import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditService } from '../../platform/audit/service.js';
import { isUniqueViolation } from '../../platform/db/pg-errors.js';
import { ConflictError, InputError, NotFoundError } from '../../platform/errors.js';
import type { EventBus } from '../../platform/events/index.js';
import type { Logger } from '../../platform/logger.js';
import type { ParsedRunbook } from '../model.js';
import { RunbookParseError } from '../parser/errors.js';
import { slugify } from '../parser/slug.js';
import type { RunbookStatsView, RunbookVersionView, RunbookView } from './schema.js';
import type { RunbookRow, RunbookStore, RunbookVersionInfo } from './store.js';
import { isUuid } from '../../platform/uuid.js';

/** The repository's `runbooks/` folder: three levels up from src/runbooks/library (and from dist/…). */
export const BUILTIN_RUNBOOKS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../runbooks');

/** Who imports the built-in library, in versions and the audit log. */
export const SYSTEM_IMPORTER = 'system';

/** Tries at an import that keeps losing a race with concurrent imports of the same runbook. */
const IMPORT_ATTEMPTS = 3;

export interface ImportOptions {
  slug?: string | undefined;
  /** Username of the importer, or 'system' for the built-in library. */
  importedBy: string;
  /** The importer's user id; absent for the built-in library. */
  importedById?: string | null;
  builtin?: boolean;
  /**
   * May change a built-in runbook (admins, and the built-in import itself).
   * Anyone else naming a built-in's slug gets a copy under a new slug.
   */
  mayChangeBuiltin?: boolean;
}

export interface ImportOutcome {
  runbook: RunbookView;
  version: RunbookVersionView;
  /** False when the source matched the latest version and nothing was stored. */
  created: boolean;
  stats: RunbookStatsView;
  parsed: ParsedRunbook;
  /** The built-in's slug when this import was turned into a copy of it. */
  copyOf: string | null;
}

export interface RunbookVersionContent {
  runbook: RunbookView;
  version: number;
  info: RunbookVersionView;
  parsed: ParsedRunbook;
  source: string;
  /** An admin approved this version (its risk annotations may lower a risk). */
  approved: boolean;
}

export function toPublicRunbook(row: RunbookRow): RunbookView {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    latestVersion: row.latestVersion,
    builtin: row.builtin,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toPublicVersion(row: RunbookVersionInfo): RunbookVersionView {
  return {
    version: row.version,
    checksum: row.checksum,
    importedBy: row.importedBy,
    importedById: row.importedById,
    importedAt: row.importedAt.toISOString(),
    approvedBy: row.approvedBy,
    approvedAt: row.approvedAt ? row.approvedAt.toISOString() : null,
  };
}

/** How many `-copy-N` slugs one import looks at before giving up (each is one indexed lookup, asked in one query). */
const COPY_SLUGS = 50;

/** `nexus-platform` → `nexus-platform-copy`, `nexus-platform-copy-2`, …, each within the slug's 80 characters. */
function copySlugs(slug: string): string[] {
  return Array.from({ length: COPY_SLUGS }, (_, k) => {
    const suffix = k === 0 ? '-copy' : `-copy-${k + 1}`;
    return `${slug.slice(0, 80 - suffix.length).replace(/-+$/, '')}${suffix}`;
  });
}

const checksumOf = (source: string) => createHash('sha256').update(source, 'utf8').digest('hex');

export function statsOf(parsed: ParsedRunbook): RunbookStatsView {
  const phases = parsed.procedures.flatMap((p) => p.phases);
  const steps = phases.flatMap((ph) => ph.steps);
  return {
    procedures: parsed.procedures.length,
    phases: phases.length,
    steps: steps.length,
    commands: steps.reduce((n, s) => n + s.commands.length, 0),
    checks: phases.reduce((n, ph) => n + ph.checks.length, 0) + steps.reduce((n, s) => n + s.checks.length, 0),
    contacts: parsed.contacts.length,
  };
}

/** Markdown → model; throws RunbookParseError for text the parser refuses. */
export type RunbookParser = (source: string) => ParsedRunbook | Promise<ParsedRunbook>;

/**
 * The parser in this thread, loaded at its first use: remark and its plugins are a few hundred
 * modules, and a start whose built-in runbooks are unchanged parses nothing (the app's own
 * parsing runs in worker threads).
 */
const parseHere: RunbookParser = async (source) => (await import('../parser/index.js')).parseRunbook(source);

/** Parses or explains, with the line, why not: the importer's 400. */
async function parseForImport(source: string, parse: RunbookParser): Promise<ParsedRunbook> {
  let parsed: ParsedRunbook;
  try {
    parsed = await parse(source);
  } catch (error) {
    if (error instanceof RunbookParseError) throw new InputError(`The runbook cannot be imported: ${error.message}`, { line: error.line });
    throw error;
  }
  if (parsed.procedures.length === 0) {
    throw new InputError('The runbook has no procedures: expected "### " sections or numbered steps', { line: 1 });
  }
  return parsed;
}

/**
 * The runbook library: Markdown in, immutable numbered versions out. Other
 * domains (runs, lint, incidents) read runbooks through `getVersion`.
 */
export class RunbookLibrary {
  constructor(
    private readonly store: RunbookStore,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    /** What parses people's imports: the app passes its worker-thread pool (time-limited, off the event loop). */
    private readonly parse: RunbookParser = parseHere,
  ) {}

  /**
   * Stores `source` as the next version of the runbook named by `slug` (or
   * by its `#` title). Identical text to the latest version stores nothing.
   */
  async importMarkdown(source: string, options: ImportOptions): Promise<ImportOutcome> {
    // The package's own runbooks are trusted files: parsed here, so a start needs no parser thread.
    const parsed = await parseForImport(source, options.builtin ? parseHere : this.parse);
    const slug = options.slug ?? (parsed.title ? slugify(parsed.title, '') : '');
    if (slug === '') throw new InputError('The runbook has no "# Title" to name it by: give a slug', { line: 1 });
    const checksum = checksumOf(source);
    const next = { source, parsed, checksum, importedBy: options.importedBy, importedById: options.importedById ?? null };
    const title = parsed.title ?? slug;
    for (let attempt = 0; attempt < IMPORT_ATTEMPTS; attempt++) {
      const existing = await this.store.bySlug(slug);
      if (!existing) {
        try {
          const made = await this.store.create({ slug, title, builtin: options.builtin ?? false }, next);
          return this.imported(made.runbook, made.version, parsed, null);
        } catch (error) {
          if (isUniqueViolation(error)) continue;
          throw error;
        }
      }
      const same = await this.unchangedVersion(existing, checksum, options);
      if (same) return { runbook: toPublicRunbook(existing), version: toPublicVersion(same), created: false, stats: statsOf(parsed), parsed, copyOf: null };
      if (existing.builtin && !options.builtin && !options.mayChangeBuiltin) return this.importCopy(existing, title, next, parsed);
      const appended = await this.store.append(existing.id, existing.latestVersion, title, next);
      if (appended) return this.imported(appended.runbook, appended.version, parsed, null);
    }
    throw new ConflictError(`Runbook "${slug}" kept changing while importing; try again`);
  }

  /**
   * A built-in runbook changes only by an admin's import (or the built-in
   * library's own): anyone else's text becomes a new, ordinary runbook
   * `<slug>-copy` (`-copy-2`, …), and the built-in stays exactly as it was.
   */
  private async importCopy(
    builtin: RunbookRow,
    title: string,
    next: Parameters<RunbookStore['create']>[1],
    parsed: ParsedRunbook,
  ): Promise<ImportOutcome> {
    for (let attempt = 0; attempt < IMPORT_ATTEMPTS; attempt++) {
      const candidates = copySlugs(builtin.slug);
      const taken = await this.store.takenSlugs(candidates);
      const slug = candidates.find((candidate) => !taken.has(candidate));
      if (!slug) throw new ConflictError(`Runbook "${builtin.slug}" already has ${COPY_SLUGS} copies; import under a slug of your own`);
      try {
        const made = await this.store.create({ slug, title, builtin: false }, next);
        return this.imported(made.runbook, made.version, parsed, builtin.slug);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    throw new ConflictError(`Copies of runbook "${builtin.slug}" kept being created while importing; try again`);
  }

  /** An admin's approval of one version: its `risk=` annotations may then lower a command's risk (risk.ts). */
  async approveVersion(idOrSlug: string, version: number, userId: string): Promise<{ runbook: RunbookView; version: RunbookVersionView }> {
    const runbook = await this.find(idOrSlug);
    const row = await this.store.approve(runbook.id, version, userId);
    if (!row) throw new NotFoundError('runbook version', `${runbook.slug}@${version}`);
    this.logger.info({ runbook: runbook.slug, version, approvedBy: row.approvedBy }, 'runbook version approved');
    return { runbook: toPublicRunbook(runbook), version: toPublicVersion(row) };
  }

  /**
   * Whether `source` is already stored as the built-in runbook `slug`, by
   * checksum alone: a restart's unchanged built-in files need no parse.
   */
  async builtinUnchanged(slug: string, source: string): Promise<boolean> {
    const existing = await this.store.bySlug(slug);
    if (!existing) return false;
    return (await this.unchangedVersion(existing, checksumOf(source), { importedBy: SYSTEM_IMPORTER, builtin: true })) !== null;
  }

  /**
   * The stored version this text is already, if any: the latest one, or for
   * the built-in import its own last import, so a person's newer version of
   * a built-in runbook is not undone at every restart.
   */
  private async unchangedVersion(existing: RunbookRow, checksum: string, options: ImportOptions): Promise<RunbookVersionInfo | null> {
    const latest = await this.store.versionInfo(existing.id, existing.latestVersion);
    if (latest?.checksum === checksum) return latest;
    if (!options.builtin) return null;
    const own = await this.store.latestVersionBy(existing.id, options.importedBy);
    return own?.checksum === checksum ? own : null;
  }

  private imported(row: RunbookRow, info: RunbookVersionInfo, parsed: ParsedRunbook, copyOf: string | null): ImportOutcome {
    const runbook = toPublicRunbook(row);
    const version = toPublicVersion(info);
    this.bus.publish(
      'runbook.imported',
      { id: runbook.id, slug: runbook.slug, title: runbook.title, version: version.version, builtin: runbook.builtin, importedBy: version.importedBy },
      { minRole: 'viewer' },
    );
    this.logger.info({ runbook: runbook.slug, version: version.version, importedBy: version.importedBy }, 'runbook imported');
    return { runbook, version, created: true, stats: statsOf(parsed), parsed, copyOf };
  }

  /** A runbook by id or slug; NotFoundError otherwise. */
  async find(idOrSlug: string): Promise<RunbookRow> {
    // A slug may look like a UUID (the patterns overlap), so an id miss still tries the slug.
    const row = (isUuid(idOrSlug) ? await this.store.byId(idOrSlug.toLowerCase()) : null) ?? (await this.store.bySlug(idOrSlug));
    if (!row) throw new NotFoundError('runbook', idOrSlug);
    return row;
  }

  /** One version (the latest by default) with its parsed model and source. */
  async getVersion(idOrSlug: string, version?: number): Promise<RunbookVersionContent> {
    const runbook = await this.find(idOrSlug);
    const number = version ?? runbook.latestVersion;
    const row = await this.store.version(runbook.id, number);
    if (!row) throw new NotFoundError('runbook version', `${runbook.slug}@${number}`);
    return {
      runbook: toPublicRunbook(runbook),
      version: number,
      info: toPublicVersion(row),
      parsed: row.parsed as ParsedRunbook,
      source: row.source,
      approved: row.approvedAt !== null,
    };
  }

  /** `limit + 1` rows from `afterSlug`, for toPage. */
  async list(limit: number, afterSlug: string | null): Promise<RunbookRow[]> {
    return this.store.list(limit + 1, afterSlug);
  }

  /** Newest first, `limit + 1` rows before `beforeVersion`, for toPage. */
  async listVersions(idOrSlug: string, limit: number, beforeVersion: number | null): Promise<RunbookVersionInfo[]> {
    const runbook = await this.find(idOrSlug);
    return this.store.listVersions(runbook.id, limit + 1, beforeVersion);
  }
}

export interface BuiltinImport {
  file: string;
  outcome?: ImportOutcome;
  /** The file is what was stored already (a restart): nothing was parsed or stored. */
  unchanged?: true;
  error?: string;
}

/**
 * Imports every `*.md` of `dir` as a built-in runbook named after its file
 * (`nexus-platform.md` → `nexus-platform`), as the system, auditing each new
 * version like the bootstrap admin. A broken file is logged and audited, not
 * fatal: one bad runbook must not keep NEXUS from starting.
 */
export async function importBuiltinRunbooks(deps: { library: RunbookLibrary; audit: AuditService; logger: Logger }, dir: string): Promise<BuiltinImport[]> {
  let files: string[];
  try {
    files = (await fs.readdir(dir)).filter((name) => name.endsWith('.md')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const results: BuiltinImport[] = [];
  for (const file of files) {
    const slug = slugify(path.basename(file, '.md'), 'runbook');
    try {
      const source = await fs.readFile(path.join(dir, file), 'utf8');
      if (await deps.library.builtinUnchanged(slug, source)) {
        results.push({ file, unchanged: true });
        continue;
      }
      const outcome = await deps.library.importMarkdown(source, { slug, importedBy: SYSTEM_IMPORTER, builtin: true });
      results.push({ file, outcome });
      if (!outcome.created) continue;
      await deps.audit.record({
        actor: SYSTEM_IMPORTER,
        action: 'runbook.import',
        target: outcome.runbook.id,
        outcome: 'success',
        details: { slug, version: outcome.version.version, builtin: true, file },
      });
    } catch (error) {
      const message = (error as Error).message;
      deps.logger.error({ err: error, file }, 'built-in runbook could not be imported');
      results.push({ file, error: message });
      await deps.audit.record({ actor: SYSTEM_IMPORTER, action: 'runbook.import', target: slug, outcome: 'error', details: { slug, builtin: true, file, error: message } });
    }
  }
  return results;
}
