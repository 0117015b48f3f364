import type { ParsedRunbook } from '../model.js';
import { parseRunbook, RunbookParseError } from '../parser/index.js';
import { buildContext, finding, type LintContext, type LintTarget, type StaticRule } from './context.js';
import { PostgresChecker } from './postgres-check.js';
import { destructiveUnapproved, riskAnnotationIgnored } from './rules/destructive.js';
import { grepExitStatus, neverEnds } from './rules/exit.js';
import { interactiveFlag } from './rules/interactive.js';
import { dockerOnKubernetes, kubectlPatchCrd, missingNamespace } from './rules/kubernetes.js';
import { checkPromql, promqlLongRange, promqlQueries } from './rules/promql.js';
import { shellSyntax } from './rules/shell-syntax.js';
import { checkSql, sqlStatements } from './rules/sql.js';
import { parameterEvaluatedAsCode } from './rules/parameters.js';
import { curlUrlUnquoted } from './rules/urls.js';
import { unresolvedVariables } from './rules/variables.js';
import type { Finding, LintReport, LiveChecks, LiveCheckState, Severity } from './schema.js';

export type { Finding, LintReport, LiveChecks } from './schema.js';
export { FindingSchema, LintReportSchema } from './schema.js';

export interface LintOptions {
  /**
   * PostgreSQL to check `psql -c` SQL against; unset skips sql-invalid. The
   * server passes NEXUS_LINT_SQL_URL here, never its own database.
   */
  databaseUrl?: string | undefined;
  /**
   * `syntax`: report only what the SQL parser rejects, never whether a table
   * or column exists there (no "did you mean"): for callers with no role to
   * query that database. Default `full`.
   */
  sqlDetail?: 'full' | 'syntax' | undefined;
  /** Prometheus to check `query=` expressions against; unset skips promql-invalid. */
  prometheusUrl?: string | undefined;
  /** Per live request (connect, query, bash -n). */
  timeoutMs?: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** Rules that read the runbook alone, in the order their findings are listed on one line. */
const STATIC_RULES: StaticRule[] = [
  curlUrlUnquoted,
  neverEnds,
  interactiveFlag,
  destructiveUnapproved,
  riskAnnotationIgnored,
  kubectlPatchCrd,
  promqlLongRange,
  missingNamespace,
  dockerOnKubernetes,
  grepExitStatus,
];

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

interface LiveResult<State = LiveCheckState> {
  findings: Finding[];
  state: State;
}

/** Where a live server is, without the password a connection string may carry. */
function describeServer(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host || url;
  } catch {
    return 'the configured server';
  }
}

function unreachable(first: LintTarget, what: string, url: string, error: unknown): Finding {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return finding(first, 'live-check-failed', 'warning', `could not reach ${what} at ${describeServer(url)} (${reason}); nothing was checked against it`, `check the ${what} URL and that it is reachable from where lint runs`);
}

async function liveSql(context: LintContext, url: string | undefined, timeoutMs: number, detail: 'full' | 'syntax'): Promise<LiveResult> {
  const statements = sqlStatements(context.targets);
  if (statements.length === 0) return { findings: [], state: 'nothing-to-check' };
  if (!url) return { findings: [], state: 'skipped' };
  let checker: PostgresChecker | undefined;
  try {
    checker = await PostgresChecker.connect(url, timeoutMs, { syntaxOnly: detail === 'syntax' });
    return { findings: await checkSql(statements, checker), state: detail === 'syntax' ? 'syntax-only' : 'checked' };
  } catch (error) {
    return { findings: [unreachable(statements[0]!.target, 'PostgreSQL', url, error)], state: 'failed' };
  } finally {
    await checker?.close();
  }
}

async function livePromql(context: LintContext, url: string | undefined, timeoutMs: number): Promise<LiveResult<LiveChecks['promql']>> {
  const queries = promqlQueries(context.targets);
  if (queries.length === 0) return { findings: [], state: 'nothing-to-check' };
  if (!url) return { findings: [], state: 'skipped' };
  try {
    return { findings: await checkPromql(queries, url, timeoutMs), state: 'checked' };
  } catch (error) {
    return { findings: [unreachable(queries[0]!.target, 'Prometheus', url, error)], state: 'failed' };
  }
}

function byLine(a: Finding, b: Finding): number {
  return a.line - b.line || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message);
}

/** Every finding, plus counts and which live checks ran. */
export async function lintReport(parsed: ParsedRunbook, options: LintOptions = {}): Promise<LintReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const context = buildContext(parsed);
  const staticFindings = context.targets.flatMap((target) => STATIC_RULES.flatMap((rule) => rule(target, context)));
  const [syntax, sql, promql] = await Promise.all([
    shellSyntax(context.targets, timeoutMs),
    liveSql(context, options.databaseUrl, timeoutMs, options.sqlDetail ?? 'full'),
    livePromql(context, options.prometheusUrl, timeoutMs),
  ]);
  const findings = [...staticFindings, ...unresolvedVariables(context), ...parameterEvaluatedAsCode(context), ...syntax, ...sql.findings, ...promql.findings].sort(byLine);
  return {
    findings,
    summary: {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      infos: findings.filter((f) => f.severity === 'info').length,
    },
    checks: { sql: sql.state, promql: promql.state },
  };
}

/** The findings alone, sorted by line. */
export async function lintRunbook(parsed: ParsedRunbook, options: LintOptions = {}): Promise<Finding[]> {
  return (await lintReport(parsed, options)).findings;
}

/**
 * Markdown in, report out. A runbook the parser refuses (bad front matter, a
 * malformed `nexus:` annotation) is a finding like any other, on its line,
 * so the CLI and the API answer it the same way.
 */
export async function lintSource(source: string, options: LintOptions = {}): Promise<LintReport> {
  let parsed: ParsedRunbook;
  try {
    parsed = parseRunbook(source);
  } catch (error) {
    if (!(error instanceof RunbookParseError)) throw error;
    const message = error.message.replace(/^line \d+: /, '');
    const finding: Finding = { rule: 'parse-error', severity: 'error', line: error.line, message, hint: 'fix this line: nothing else can be checked until the runbook parses' };
    return { findings: [finding], summary: { errors: 1, warnings: 0, infos: 0 }, checks: { sql: 'skipped', promql: 'skipped' } };
  }
  return lintReport(parsed, options);
}
