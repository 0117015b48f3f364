import fs from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import type { LintReport, Command as RunbookCommand, Phase, Procedure, Step } from '../runbooks/index.js';
import { integerIn } from './args.js';
import type { NexusClient, RunbookDetailView, RunbookImportResult, RunbookView } from './client.js';
import type { CliContext } from './context.js';
import { CliError, EXIT, UsageError, cell, time } from './output.js';
import { isIdOrPrefix, matchPrefix } from './ids.js';
import { isUuid } from '../platform/uuid.js';

interface JsonOption {
  json?: boolean;
}

interface ImportOptions extends JsonOption {
  slug?: string;
  strict?: boolean;
}

/** Enough findings to act on at import; `nexus runbook lint` lists them all. */
const FINDINGS_SHOWN = 5;

interface ShowOptions extends JsonOption {
  version?: number;
}

/** The server's limit (ImportBody): refuse early rather than upload megabytes to be told no. */
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;

function parseSlug(value: string): string {
  if (!SLUG.test(value)) throw new InvalidArgumentError('must be lowercase letters, digits and inner dashes (nexus-platform), at most 80');
  return value;
}

async function readSource(ctx: CliContext, file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_SOURCE_BYTES) throw new UsageError(`${file} is ${stat.size} bytes; runbooks are limited to ${MAX_SOURCE_BYTES}`);
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function statsLine(stats: RunbookImportResult['stats']): string {
  return `${stats.procedures} procedures, ${stats.steps} steps, ${stats.commands} commands, ${stats.checks} checks, ${stats.contacts} contacts`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** On stderr: the import's result is what stdout is for. Errors first, then warnings. */
function printLintSummary(ctx: CliContext, file: string, report: LintReport): void {
  const { errors, warnings, infos } = report.summary;
  ctx.out.note(`lint: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')}`);
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const worst = report.findings.filter((f) => f.severity !== 'info').sort((a, b) => rank[a.severity] - rank[b.severity] || a.line - b.line);
  for (const f of worst.slice(0, FINDINGS_SHOWN)) ctx.out.note(`  line ${f.line}  ${f.severity}  ${f.rule}  ${cell(f.message)}`);
  if (worst.length > FINDINGS_SHOWN) ctx.out.note(`  … ${worst.length - FINDINGS_SHOWN} more: nexus runbook lint ${file}`);
}

async function importRunbook(ctx: CliContext, file: string, options: ImportOptions): Promise<void> {
  const source = await readSource(ctx, file);
  const client = ctx.client();
  const lint = await client.lintRunbook(source);
  if (!options.json) printLintSummary(ctx, file, lint);
  if (options.strict && lint.summary.errors > 0) {
    if (options.json) ctx.out.json({ lint });
    throw new CliError(`not imported: lint found ${plural(lint.summary.errors, 'error')} (--strict)`, EXIT.failure);
  }
  const result = await client.importRunbook({ source, ...(options.slug !== undefined ? { slug: options.slug } : {}) });
  if (options.json) return ctx.out.json({ ...result, lint });
  const name = cell(result.runbook.slug);
  if (result.copyOf) {
    ctx.out.print(`${cell(result.copyOf)} is a built-in runbook that only an admin may change: imported as a copy, ${name}`);
  }
  if (result.created) ctx.out.print(`Imported ${name} version ${result.version.version} (${statsLine(result.stats)})`);
  else ctx.out.print(`${name} is unchanged: version ${result.version.version} already has this text`);
}

function runbookRow(runbook: RunbookView): string[] {
  return [cell(runbook.slug), cell(runbook.title), String(runbook.latestVersion), runbook.builtin ? 'yes' : 'no', time(runbook.updatedAt), runbook.id];
}

async function listRunbooks(ctx: CliContext, options: JsonOption): Promise<void> {
  const client = ctx.client();
  const runbooks: RunbookView[] = [];
  for await (const runbook of client.paginate((page) => client.listRunbooks(page))) runbooks.push(runbook);
  if (options.json) return ctx.out.json({ items: runbooks });
  ctx.out.table(['SLUG', 'TITLE', 'VERSION', 'BUILTIN', 'UPDATED', 'ID'], runbooks.map(runbookRow), 'No runbooks.');
}

/** "[P1 · Critical · respond 15 min · resolve 60 min]", or '' for a procedure with none of these. */
function slaOf(procedure: Procedure): string {
  const m = procedure.metadata;
  const parts = [
    m.priority,
    m.severity,
    m.responseTime ? `respond ${m.responseTime.minutes} min` : null,
    m.resolutionTime ? `resolve ${m.resolutionTime.minutes} min` : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? `  [${parts.map((p) => cell(p)).join(' · ')}]` : '';
}

function commandLines(command: RunbookCommand, width: number): string[] {
  const [first = '', ...rest] = command.text.split('\n');
  const number = String(command.line).padStart(width);
  const note = command.description ? `    # ${cell(command.description)}` : '';
  return [`        ${number}  ${cell(first)}${note}`, ...rest.map((line) => `        ${' '.repeat(width)}  ${cell(line)}`)];
}

function stepLines(step: Step, width: number): string[] {
  const label = step.number !== null ? `${step.number}. ` : '- ';
  return [
    `    ${label}${cell(step.title)}  (line ${step.line})`,
    ...step.commands.flatMap((command) => commandLines(command, width)),
    ...step.checks.map((check) => `        [${check.checked ? 'x' : ' '}] ${cell(check.text)}  (line ${check.line})`),
  ];
}

function phaseLines(phase: Phase, width: number): string[] {
  return [
    `  ${cell(phase.title)}${phase.implicit ? '' : `  (line ${phase.line})`}`,
    ...phase.checks.map((check) => `    [${check.checked ? 'x' : ' '}] ${cell(check.text)}  (line ${check.line})`),
    ...phase.steps.flatMap((step) => stepLines(step, width)),
  ];
}

function procedureLines(procedure: Procedure, width: number): string[] {
  const lines = ['', `${cell(procedure.title)}${slaOf(procedure)}  (line ${procedure.line}, id ${procedure.id})`];
  if (procedure.symptoms.length > 0) lines.push(`  Symptoms: ${procedure.symptoms.map((s) => cell(s.text)).join('; ')}`);
  return [...lines, ...procedure.phases.flatMap((phase) => phaseLines(phase, width))];
}

function printRunbook(ctx: CliContext, detail: RunbookDetailView): void {
  const { runbook, version, parsed, stats } = detail;
  ctx.out.print(`${cell(runbook.title)}  (${cell(runbook.slug)}, version ${version.version} of ${runbook.latestVersion})`);
  ctx.out.print(`Imported by ${cell(version.importedBy)} at ${time(version.importedAt)}; ${statsLine(stats)}`);
  const width = String(parsed.lineCount).length;
  for (const procedure of parsed.procedures) for (const line of procedureLines(procedure, width)) ctx.out.print(line);
  if (parsed.contacts.length === 0) return;
  ctx.out.print('');
  ctx.out.print('Contacts');
  for (const contact of parsed.contacts) ctx.out.print(`  ${cell(contact.role)}: ${cell(contact.value)} (${contact.kind})`);
}

/**
 * By slug or id as the server knows them; when neither, by a unique prefix
 * of an id. A slug may look like a prefix ("dead"), so the server is asked first.
 */
export async function getRunbookDetail(client: NexusClient, ref: string, version?: number): Promise<RunbookDetailView> {
  try {
    return await client.getRunbook(ref, version);
  } catch (error) {
    if (!(error instanceof CliError && error.exitCode === EXIT.notFound && isIdOrPrefix(ref) && !isUuid(ref))) throw error;
  }
  const candidates = async function* () {
    for await (const runbook of client.paginate((page) => client.listRunbooks(page))) yield { id: runbook.id, label: runbook.slug };
  };
  const id = await matchPrefix('runbook', ref, candidates()).catch((error: unknown) => {
    if (error instanceof CliError && error.exitCode === EXIT.notFound) throw new CliError(`no runbook ${JSON.stringify(ref)}: not a slug, and no runbook id starts with it`, EXIT.notFound);
    throw error;
  });
  return client.getRunbook(id, version);
}

async function showRunbook(ctx: CliContext, ref: string, options: ShowOptions): Promise<void> {
  const detail = await getRunbookDetail(ctx.client(), ref, options.version);
  if (options.json) return ctx.out.json(detail);
  printRunbook(ctx, detail);
}

/**
 * Creates the `nexus runbook` command group with import, list and show, and
 * returns it so lint and run can add their subcommands to the same group:
 * `registerRunbookLint(registerRunbookCommands(program, ctx), ctx)`.
 */
export function registerRunbookCommands(program: Command, ctx: CliContext): Command {
  const runbook = program.command('runbook').description('Runbooks: import Markdown, list the library, show a version');
  runbook
    .command('import')
    .argument('<file>', 'a Markdown runbook, or - to read it from stdin')
    .description('Lint a runbook on the server and import it as a new version (nothing changes when the text equals the latest version)')
    .option('--slug <slug>', 'the name to file it under (default: from its "# Title")', parseSlug)
    .option('--strict', 'import nothing, and exit 1, when lint finds errors')
    .option('--json', 'print the result, with the lint report, as JSON')
    .action((file: string, options: ImportOptions) => importRunbook(ctx, file, options));
  runbook
    .command('list')
    .description('List the runbook library')
    .option('--json', 'print {items} as JSON')
    .action((options: JsonOption) => listRunbooks(ctx, options));
  runbook
    .command('show')
    .argument('<runbook>', 'a runbook slug, id, or unique id prefix')
    .description('Show a runbook: procedures with priority and SLA, phases, steps, and commands with their source lines')
    .option('--version <n>', 'this version instead of the latest', integerIn(1, 2_147_483_647))
    .option('--json', 'print the version (metadata, parsed model, source) as JSON')
    .action((ref: string, options: ShowOptions) => showRunbook(ctx, ref, options));
  return runbook;
}
