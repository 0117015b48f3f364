import pg from 'pg';

/**
 * Asks a live PostgreSQL whether a statement would work, without running it.
 *
 * The statement is sent with the extended protocol: Parse (the server parses
 * it and, for SELECT/INSERT/UPDATE/DELETE, resolves every table, column and
 * function, exactly as PREPARE would) and then a Bind with one parameter more
 * than the statement can take. The Bind always fails ("bind message supplies
 * N parameters…"), so Execute never happens, and the server skips to Sync.
 * Unlike `PREPARE x AS …`, this also syntax-checks utility statements
 * (VACUUM, DROP DATABASE), which the server only parses at Parse time. The
 * extended protocol also refuses several statements in one message, so text
 * from a runbook cannot smuggle in a second one. Belt and braces: it runs in
 * a READ ONLY transaction with short statement and lock timeouts, rolled back.
 */

export type SqlVerdict =
  | { ok: true }
  | { ok: false; code: string; message: string; position: number | null; unchecked: boolean; hint: string | null };

/** Column renames that break old runbooks; suggested only when the new name exists in the database checked. */
const KNOWN_RENAMES: Record<string, { to: string; since: string }> = {
  mean_time: { to: 'mean_exec_time', since: 'PostgreSQL 13 (pg_stat_statements 1.8)' },
  total_time: { to: 'total_exec_time', since: 'PostgreSQL 13 (pg_stat_statements 1.8)' },
  min_time: { to: 'min_exec_time', since: 'PostgreSQL 13 (pg_stat_statements 1.8)' },
  max_time: { to: 'max_exec_time', since: 'PostgreSQL 13 (pg_stat_statements 1.8)' },
  stddev_time: { to: 'stddev_exec_time', since: 'PostgreSQL 13 (pg_stat_statements 1.8)' },
  procpid: { to: 'pid', since: 'PostgreSQL 9.2' },
  current_query: { to: 'query', since: 'PostgreSQL 9.2' },
  waiting: { to: 'wait_event', since: 'PostgreSQL 9.6' },
  sent_location: { to: 'sent_lsn', since: 'PostgreSQL 10' },
  write_location: { to: 'write_lsn', since: 'PostgreSQL 10' },
  flush_location: { to: 'flush_lsn', since: 'PostgreSQL 10' },
  replay_location: { to: 'replay_lsn', since: 'PostgreSQL 10' },
};

const BIND_MISMATCH = /^bind message supplies \d+ parameters/;
/** Timeouts and cancellations say nothing about the statement. */
const UNCHECKED_CODES = new Set(['57014', '55P03', '40001', '40P01']);

/** SQLSTATE of what the raw parser rejects, before any table or column is looked up. */
const SYNTAX_ERROR = '42601';
/**
 * PostgreSQL's raw parser (the F field of its errors). Analysis raises
 * 42601 too, after opening the table ("INSERT has more expressions than
 * target columns"), which would tell which tables and columns exist.
 */
const RAW_PARSER_FILES = new Set(['scan.l', 'gram.y', 'parser.c', 'scansup.c']);

export interface CheckerOptions {
  /**
   * Report only syntax errors: whether a relation or column exists, and the
   * catalog lookups behind "did you mean", stay unsaid (issue 14, point 6).
   */
  syntaxOnly?: boolean;
}

export class PostgresChecker {
  private constructor(
    private readonly client: pg.Client,
    private readonly timeoutMs: number,
    private readonly syntaxOnly: boolean,
  ) {}

  static async connect(url: string, timeoutMs: number, options: CheckerOptions = {}): Promise<PostgresChecker> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, application_name: 'nexus-lint', query_timeout: timeoutMs });
    // A dropped connection mid-lint surfaces as a failed query; the event must not crash the process.
    client.on('error', () => {});
    await client.connect();
    return new PostgresChecker(client, timeoutMs, options.syntaxOnly ?? false);
  }

  async check(sql: string): Promise<SqlVerdict> {
    const ms = Math.max(100, Math.min(this.timeoutMs, 5000));
    await this.client.query('BEGIN READ ONLY');
    try {
      await this.client.query(`SET LOCAL statement_timeout = ${ms}`);
      await this.client.query(`SET LOCAL lock_timeout = ${Math.min(ms, 1000)}`);
      await this.client.query({ text: sql, values: new Array(maxParameter(sql) + 1).fill(null) });
      return { ok: true }; // unreachable in practice: the Bind cannot match
    } catch (error) {
      return await this.verdict(error as pg.DatabaseError, sql);
    } finally {
      await this.client.query('ROLLBACK').catch(() => {});
    }
  }

  private async verdict(error: pg.DatabaseError, sql: string): Promise<SqlVerdict> {
    if (error.code === '08P01' && BIND_MISMATCH.test(error.message)) return { ok: true };
    if (!(error instanceof pg.DatabaseError)) throw error; // the connection, not the statement
    await this.client.query('ROLLBACK').catch(() => {});
    const position = error.position ? Number(error.position) : null;
    const base = { ok: false as const, code: error.code ?? 'XX000', message: error.message, position };
    // Anything past the parser (undefined table, column, function, permission, a lock wait on a table) tells what exists: unsaid.
    if (this.syntaxOnly) {
      const rawParser = base.code === SYNTAX_ERROR && RAW_PARSER_FILES.has(error.file ?? '');
      return rawParser ? { ...base, unchecked: false, hint: error.hint ?? null } : { ok: true };
    }
    if (UNCHECKED_CODES.has(base.code)) return { ...base, unchecked: true, hint: null };
    if (error.code === '42P01') {
      const extension = await this.missingExtension(error.message);
      if (extension) return { ...base, unchecked: true, hint: `CREATE EXTENSION ${extension} in the database lint checks against` };
    }
    const hint = error.code === '42703' ? await this.columnHint(error.message, sql) : (error.hint ?? null);
    return { ...base, unchecked: false, hint };
  }

  /** `relation "pg_stat_statements" does not exist` because the extension providing it is not installed here. */
  private async missingExtension(message: string): Promise<string | null> {
    const relation = /relation "(?:[^".]+\.)?([^"]+)" does not exist/.exec(message)?.[1];
    if (!relation) return null;
    const rows = await this.client.query<{ name: string }>(
      "SELECT name FROM pg_available_extensions WHERE ($1 = name OR $1 LIKE name || '\\_%') AND installed_version IS NULL",
      [relation],
    );
    return rows.rows[0]?.name ?? null;
  }

  private async columnHint(message: string, sql: string): Promise<string | null> {
    const missing = /column "?(?:[\w$]+\.)?([\w$]+)"? does not exist/.exec(message)?.[1];
    if (!missing) return null;
    const columns = await this.columnsOf(relationsIn(sql));
    const rename = KNOWN_RENAMES[missing];
    if (rename && columns.has(rename.to)) return `${missing} was renamed ${rename.to} in ${rename.since}: use ${rename.to}`;
    const similar = similarNames(missing, [...columns]);
    if (similar.length > 0) return `did you mean ${similar.map((c) => `"${c}"`).join(' or ')}?`;
    return null;
  }

  private async columnsOf(relations: string[]): Promise<Set<string>> {
    const columns = new Set<string>();
    for (const relation of relations) {
      const result = await this.client.query<{ attname: string }>(
        'SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum',
        [relation],
      );
      result.rows.forEach((row) => columns.add(row.attname));
    }
    return columns;
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}

/** Highest `$n` anywhere in the text (literals included: too high is harmless, too low would let Bind succeed). */
function maxParameter(sql: string): number {
  let max = 0;
  for (const match of sql.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(match[1]));
  return Math.min(max, 65_000);
}

/** Table names after FROM/JOIN/UPDATE/INTO: where a missing column was looked for. */
export function relationsIn(sql: string): string[] {
  const names = [...sql.matchAll(/\b(?:from|join|update|into)\s+((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)/gi)].map((m) => m[1]!);
  return [...new Set(names)];
}

/** Columns sharing every underscore-separated part of `missing`, or within two edits of it. */
export function similarNames(missing: string, candidates: string[]): string[] {
  const parts = missing.toLowerCase().split('_');
  const superset = candidates.filter((c) => parts.every((p) => c.toLowerCase().split('_').includes(p)));
  if (superset.length > 0) return superset.slice(0, 3);
  return candidates.filter((c) => editDistance(missing.toLowerCase(), c.toLowerCase()) <= 2).slice(0, 3);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
