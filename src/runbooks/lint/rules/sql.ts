import type { Finding } from '../schema.js';
import { finding, type LintTarget } from '../context.js';
import type { PostgresChecker, SqlVerdict } from '../postgres-check.js';
import type { Invocation } from '../shell.js';

/**
 * sql-invalid: SQL in `psql -c "…"` checked against a live PostgreSQL. Finds
 * what only a database can know: the seed's `pg_stat_statements.mean_time`
 * was renamed `mean_exec_time` in PostgreSQL 13, so the P2 slow-query check
 * fails on every current server.
 */

export interface SqlStatement {
  target: LintTarget;
  sql: string;
}

/** The `-c`/`--command` texts of a psql call, unless the shell would substitute into them. */
function psqlCommands(call: Invocation): string[] {
  if (call.program !== 'psql') return [];
  const out: string[] = [];
  call.args.forEach((arg, k) => {
    const inline = /^(?:--command=|-c(?=.))(.*)$/s.exec(arg.value);
    const word = inline ? arg : ['-c', '--command'].includes(arg.value) ? call.args[k + 1] : undefined;
    if (!word) return;
    // `$TABLE` in the SQL is only known at run time; a backslash command is psql's, not the server's.
    if (word.expansions.length > 0 || word.value.includes('$(') || word.value.trimStart().startsWith('\\')) return;
    out.push(inline ? inline[1]! : word.value);
  });
  return out;
}

/** Splits on top-level `;`, keeping quoted text, dollar-quoted bodies and comments intact. */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const rest = sql.slice(i);
    const skip =
      /^'(?:[^']|'')*'/.exec(rest) ??
      /^"(?:[^"]|"")*"/.exec(rest) ??
      /^--[^\n]*/.exec(rest) ??
      /^\/\*[\s\S]*?\*\//.exec(rest) ??
      /^(\$[A-Za-z_]*\$)[\s\S]*?\1/.exec(rest);
    if (skip) {
      i += skip[0].length;
      continue;
    }
    if (sql[i] === ';') {
      statements.push(sql.slice(start, i));
      start = i + 1;
    }
    i++;
  }
  statements.push(sql.slice(start));
  return statements.map((s) => s.trim()).filter((s) => s !== '' && !/^(--[^\n]*\s*)*$/.test(s));
}

export function sqlStatements(targets: LintTarget[]): SqlStatement[] {
  return targets.flatMap((target) =>
    target.calls.flatMap(psqlCommands).flatMap(splitStatements).map((sql) => ({ target, sql })),
  );
}

function excerpt(sql: string, position: number | null): string {
  if (position === null) return '';
  const at = Math.max(0, position - 1);
  const text = sql.slice(at, at + 30).replace(/\s+/g, ' ');
  return ` (at "${text}${sql.length > at + 30 ? '…' : ''}")`;
}

function toFinding(statement: SqlStatement, verdict: Exclude<SqlVerdict, { ok: true }>): Finding {
  const where = excerpt(statement.sql, verdict.position);
  if (verdict.unchecked) {
    return finding(statement.target, 'sql-invalid', 'info', `SQL could not be checked: ${verdict.message}${where}`, verdict.hint ?? 'run lint again, or check the statement by hand');
  }
  return finding(
    statement.target,
    'sql-invalid',
    'error',
    `PostgreSQL rejects this SQL: ${verdict.message}${where}`,
    verdict.hint ?? `run it with psql against the target database to see the full error (SQLSTATE ${verdict.code})`,
  );
}

/** Checks every statement; identical statements are asked once. */
export async function checkSql(statements: SqlStatement[], checker: PostgresChecker): Promise<Finding[]> {
  const verdicts = new Map<string, SqlVerdict>();
  const findings: Finding[] = [];
  for (const statement of statements) {
    let verdict = verdicts.get(statement.sql);
    if (!verdict) {
      verdict = await checker.check(statement.sql);
      verdicts.set(statement.sql, verdict);
    }
    if (!verdict.ok) findings.push(toFinding(statement, verdict));
  }
  return findings;
}
