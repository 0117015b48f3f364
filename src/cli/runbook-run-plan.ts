import { createInterface } from 'node:readline/promises';
import { commandsOf, type Procedure } from '../runbooks/model.js';
import { classifyRisk } from '../runbooks/risk.js';
import type { CreateRunRequest } from './client.js';
import type { CliContext } from './context.js';
import { CliError, EXIT, UsageError, cell } from './output.js';
import { PARAM, type RunOptions } from './runbook-run-options.js';
import { shortId } from './runbook-run-print.js';

/**
 * What a run will be, settled before it is created: which procedure, which
 * commands, which parameters and secrets, and the person's yes to the risky
 * ones. A typo found here costs no run.
 */

const lower = (text: string) => text.toLowerCase();

/** By id, else by title, else by a unique prefix of either ("P1", "p1-critical"), all case-insensitive. */
export function resolveProcedure(procedures: Procedure[], ref: string): Procedure {
  const want = lower(ref.trim());
  const exact = procedures.filter((p) => lower(p.id) === want || lower(p.title) === want);
  const found = exact.length > 0 ? exact : procedures.filter((p) => lower(p.id).startsWith(want) || lower(p.title).startsWith(want));
  const list = (ps: Procedure[]) => ps.map((p) => `  ${p.id}  (${cell(p.title)})`).join('\n');
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new CliError(`no procedure ${JSON.stringify(ref)} in this runbook; it has:\n${list(procedures)}`, EXIT.notFound);
  throw new UsageError(`${JSON.stringify(ref)} matches ${found.length} procedures; name one:\n${list(found)}`);
}

/**
 * The commands to request, in procedure order: all of them for --all, else
 * those of each --step (a step id means all of its commands; full ids or
 * without the procedure prefix). Commands, not steps, are requested one by
 * one: a step's later read command must not be queued, and so run, before
 * an earlier destructive one of the same step that waits for approval.
 */
export function resolveCommands(procedure: Procedure, options: Pick<RunOptions, 'step' | 'all'>): string[] {
  const commands = commandsOf(procedure);
  if (options.all) return commands.map(({ command }) => command.id);
  const wanted = new Set<string>();
  for (const given of options.step) {
    const names = [given, `${procedure.id}.${given}`];
    const matches = commands.filter(({ step, command }) => names.includes(command.id) || names.includes(step.id));
    if (matches.length === 0) {
      const known = [...new Set(commands.map((c) => shortId(procedure, c.step.id)))].join(', ');
      throw new UsageError(`no step or command ${JSON.stringify(given)} in ${procedure.id}; steps: ${known || 'none'}`);
    }
    for (const { command } of matches) wanted.add(command.id);
  }
  return commands.map(({ command }) => command.id).filter((id) => wanted.has(id));
}

/** `<affected-pod>` may be given as `affected-pod=…` or `AFFECTED_POD=…`. */
function canonicalNames(procedure: Procedure, values: Record<string, string>): Record<string, string> {
  const byRaw = new Map<string, string>();
  for (const { command } of commandsOf(procedure)) for (const p of command.placeholders) byRaw.set(p.raw.replace(/^<|>$/g, ''), p.param);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const param = PARAM.test(name) ? name : byRaw.get(name);
    if (!param) throw new UsageError(`${JSON.stringify(name)} is not a parameter of ${procedure.id}`);
    out[param] = value;
  }
  return out;
}

function secretValues(procedure: Procedure, options: RunOptions): Record<string, string> {
  const secrets = canonicalNames(procedure, options.secret);
  for (const name of options.secretFromEnv) {
    const value = process.env[name];
    if (value === undefined || value === '') throw new UsageError(`--secret-from-env ${name}: the variable is not set`);
    Object.assign(secrets, canonicalNames(procedure, { [name]: value }));
  }
  return secrets;
}

/** Names the missing parameters with where the runbook uses them, before any run exists. */
async function assertParameters(procedure: Procedure, given: Record<string, string>): Promise<void> {
  // Loaded here: the same rule the server applies (params.ts), not a copy of it.
  const { parametersOf } = await import('../runbooks/runs/params.js');
  const missing = parametersOf(procedure).required.filter((name) => given[name] === undefined);
  if (missing.length === 0) return;
  const lines = missing.map((name) => {
    const use = commandsOf(procedure).find(({ command }) => command.placeholders.some((p) => p.param === name));
    const raw = use?.command.placeholders.find((p) => p.param === name)?.raw ?? name;
    const what = use ? `${raw}, line ${use.command.line}${use.command.description ? `: ${cell(use.command.description)}` : `: ${cell(use.command.text.split('\n')[0])}`}` : raw;
    return `  ${name}  (${what})`;
  });
  throw new UsageError(`missing parameters (give each with --param NAME=value or --secret NAME=value):\n${lines.join('\n')}`);
}

/** Builds the request body; the values of secrets go only into it, never to the terminal. */
export async function runBody(detail: { runbook: { id: string }; version: { version: number } }, procedure: Procedure, options: RunOptions): Promise<CreateRunRequest> {
  const parameters = canonicalNames(procedure, options.param);
  const secrets = secretValues(procedure, options);
  const both = Object.keys(secrets).filter((name) => name in parameters);
  if (both.length > 0) throw new UsageError(`given both as --param and as a secret: ${both.join(', ')}`);
  const all = { ...parameters, ...secrets };
  await assertParameters(procedure, all);
  return {
    runbook: detail.runbook.id,
    // Pinned: the procedure was resolved against this version; a re-import meanwhile must not change what runs.
    version: detail.version.version,
    procedure: procedure.id,
    ...(options.incident ? { incidentId: options.incident } : {}),
    ...(Object.keys(all).length > 0 ? { parameters: all } : {}),
    ...(Object.keys(secrets).length > 0 ? { secretParameters: Object.keys(secrets) } : {}),
  };
}

/**
 * Change and destructive commands are confirmed before the run is created:
 * at a terminal by a y/N question, in a script by --yes. The server's policy
 * and approvals still apply; this only stops a mistyped `--all`.
 */
export async function confirmRisky(ctx: CliContext, procedure: Procedure, commandIds: string[], options: RunOptions): Promise<void> {
  if (options.yes) return;
  const wanted = new Set(commandIds);
  const risky = commandsOf(procedure)
    .filter(({ command }) => wanted.has(command.id))
    .map(({ command }) => ({ command, risk: classifyRisk(command.text, command.annotations).risk }))
    .filter(({ risk }) => risk !== 'read');
  if (risky.length === 0) return;
  const list = risky.map(({ command, risk }) => `  ${risk.padEnd(11)} ${shortId(procedure, command.id)}  ${cell(command.text.split('\n')[0])}`).join('\n');
  if (!ctx.stdin.isTTY) {
    throw new UsageError(`these commands change or destroy things; pass --yes to request them:\n${list}`);
  }
  ctx.prompt.write(`These commands change or destroy things:\n${list}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question('Request them? [y/N] ');
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('not confirmed; no run was created', EXIT.failure);
  } finally {
    rl.close();
  }
}
