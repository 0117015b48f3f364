import { InvalidArgumentError, Option, type Command } from 'commander';
import { integerIn } from './args.js';
import { idArgument } from './ids.js';

/** The flags of `nexus runbook run`, as commander hands them to the action. */
export interface RunOptions {
  param: Record<string, string>;
  secret: Record<string, string>;
  secretFromEnv: string[];
  incident?: string;
  version?: number;
  step: string[];
  all?: boolean;
  follow?: boolean;
  waitApproval: boolean;
  yes?: boolean;
  json?: boolean;
}

// The server's ParamName (runs/schema.ts), and what `<affected-pod>` is written as.
export const PARAM = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const ANGLE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

function collectPair(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('expected NAME=value');
  const name = value.slice(0, at);
  if (!PARAM.test(name) && !ANGLE_NAME.test(name)) throw new InvalidArgumentError(`${JSON.stringify(name)} is not a parameter name`);
  return { ...previous, [name]: value.slice(at + 1) };
}

function collectList(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A repeatable option whose empty start value is not shown as "(default: {})" in --help. */
function repeatable<T>(flags: string, description: string, parse: (value: string, previous: T) => T, start: T): Option {
  return new Option(flags, description).argParser(parse).default(start, 'none');
}

/** Declares the flags on the `run` command, in the order --help lists them. */
export function addRunOptions(run: Command): Command {
  return run
    .addOption(repeatable('--param <NAME=value>', 'a parameter (repeatable); NAME as the variable (AFFECTED_POD) or as written (affected-pod)', collectPair, {}))
    .addOption(repeatable('--secret <NAME=value>', 'a secret parameter: redacted everywhere, never stored in clear (repeatable)', collectPair, {}))
    .addOption(repeatable('--secret-from-env <NAME>', 'a secret parameter read from this environment variable, so it is not in argv (repeatable)', collectList, []))
    .option('--incident <id>', 'link the run to this incident (an id or a unique prefix)', idArgument('incident'))
    .option('--version <n>', 'this runbook version instead of the latest', integerIn(1, 2_147_483_647))
    .addOption(repeatable('--step <id>', 'request this step or command (repeatable; short ids like immediate-actions.1 work)', collectList, []))
    .option('--all', 'request every step of the procedure, in order')
    .option('--follow', 'stream output and state changes until the requested steps end; exit 1 if one did not succeed')
    .option('--no-wait-approval', 'with --follow: stop (exit 1) when a step awaits approval instead of waiting for it')
    .option('--yes', 'do not ask before requesting change or destructive commands (required without a terminal)')
    .option('--json', 'print the run (at the end, with --follow) as JSON on stdout; progress goes to stderr');
}
