import fs from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import type { Finding, LintReport } from '../runbooks/index.js';
import { EXIT, UsageError, cell, createOutput, wantsColor, type Output } from './output.js';

/**
 * `nexus runbook lint FILE`: runs where the file is, with no server, so it
 * fits an editor, a pre-commit hook or CI. Output reads like a compiler's
 * (`FILE:LINE  severity  rule  message` and an indented hint); exit 1 when
 * there is an error, so a pipeline stops on a runbook that would fail at 3 a.m.
 */

interface LintOptions {
  json?: boolean;
  databaseUrl?: string;
  prometheusUrl?: string;
}

function urlWith(schemes: string[]): (value: string) => string {
  return (value) => {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new InvalidArgumentError(`must be a URL (${schemes[0]}://…)`);
    }
    if (!schemes.includes(parsed.protocol.replace(/:$/, ''))) throw new InvalidArgumentError(`must be a ${schemes.join(' or ')} URL`);
    return value;
  };
}

async function readRunbook(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

const COLORS: Record<Finding['severity'], string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };

function formatFinding(file: string, finding: Finding, color: boolean): string {
  const severity = color ? `${COLORS[finding.severity]}${finding.severity}\x1b[0m` : finding.severity;
  return `${file}:${finding.line}  ${severity}  ${finding.rule}  ${cell(finding.message)}\n    hint: ${cell(finding.hint)}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function printText(out: Output, file: string, report: LintReport, color: boolean): void {
  for (const finding of report.findings) out.print(formatFinding(file, finding, color));
  const { errors, warnings, infos } = report.summary;
  out.print(`${file}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')}`);
  if (report.checks.sql === 'skipped') out.note('note: SQL was not checked against a database (pass --database-url)');
  if (report.checks.promql === 'skipped') out.note('note: PromQL was not checked against Prometheus (pass --prometheus-url)');
}

async function lintFile(file: string, options: LintOptions): Promise<void> {
  const source = await readRunbook(file);
  // Loaded here: the parser (remark) and pg are only needed when linting.
  const { lintSource } = await import('../runbooks/lint/index.js');
  const report = await lintSource(source, { databaseUrl: options.databaseUrl, prometheusUrl: options.prometheusUrl });
  if (report.summary.errors > 0) process.exitCode = EXIT.failure;
  const out = createOutput();
  if (options.json) out.json(report);
  else printText(out, file === '-' ? '<stdin>' : file, report, wantsColor(process.stdout, process.env));
}

export function registerLintCommand(runbookGroup: Command): void {
  runbookGroup
    .command('lint')
    .argument('<file>', 'a Markdown runbook, or - to read it from stdin')
    .description('Find the commands of a runbook that would fail when run; runs locally, no server needed (exit 1 on errors)')
    .option('--json', 'print {findings, summary, checks} as JSON')
    .option('--database-url <url>', 'check the SQL of psql -c against this PostgreSQL (nothing is executed)', urlWith(['postgres', 'postgresql']))
    .option('--prometheus-url <url>', 'check the PromQL of Prometheus API calls against this Prometheus', urlWith(['http', 'https']))
    .action((file: string, options: LintOptions) => lintFile(file, options));
}
