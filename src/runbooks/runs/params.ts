import { AppError, InputError } from '../../platform/errors.js';
import { commandEvaluations, parametersEvaluatedAsCode, type EvaluatedParameter } from '../code-contexts.js';
import { commandsOf, type Placeholder, type Procedure } from '../model.js';
import { INTEGER, safeAsArithmetic, specFor, valueProblem, type ParamSpec } from '../parameters.js';
import { PARAM_VALUE_MAX_BYTES } from './schema.js';
import { isReservedEnvName } from './script.js';

/** Stored in place of a secret value, in `runs.parameters` and wherever a run is shown. */
export const SECRET_MARK = '[secret]';

export interface ProcedureParameters {
  /** Asked for before the run: used by a command before any command assigns it. */
  required: string[];
  /** Every placeholder name a caller may give a value for. */
  known: Set<string>;
}

/**
 * A placeholder is a parameter unless an earlier command of the procedure
 * assigns it (`BLUE_IP=$(…)` then `curl $BLUE_IP`): those come from the run
 * itself. Shell-owned names (PATH, HOME, …) are never parameters.
 */
export function parametersOf(procedure: Procedure): ProcedureParameters {
  const assigned = new Set<string>();
  const required: string[] = [];
  const known = new Set<string>();
  for (const { command } of commandsOf(procedure)) {
    for (const placeholder of command.placeholders) {
      const name = placeholder.param;
      if (isReservedEnvName(name)) continue;
      known.add(name);
      if (!assigned.has(name) && !required.includes(name)) required.push(name);
    }
    for (const name of command.assigns) assigned.add(name);
  }
  return { required, known };
}

export interface CheckedParameters {
  /** What `runs.parameters` stores: secret values replaced by SECRET_MARK. */
  stored: Record<string, string>;
  secrets: Record<string, string>;
}

/**
 * Where a procedure lets a parameter that is not digits-only reach a place
 * bash evaluates as code (code-contexts.ts). Sources are the parameters a
 * run must be given, those the front matter declares, and any the caller
 * supplies (a value for a name an earlier command assigns still reaches the
 * command if that earlier one is skipped).
 */
export function unsafeEvaluations(procedure: Procedure, specs: ReadonlyMap<string, ParamSpec>, supplied: Iterable<string> = []): EvaluatedParameter[] {
  const { required } = parametersOf(procedure);
  const candidates = new Set([...required, ...specs.keys(), ...supplied]);
  const sources = new Set([...candidates].filter((name) => !safeAsArithmetic(specFor(specs, name))));
  return parametersEvaluatedAsCode(procedure, sources);
}

/** One sentence for lint and for the refusal of a run. */
export function describeEvaluation(use: EvaluatedParameter, specs: ReadonlyMap<string, ParamSpec>): string {
  const via = use.via === use.parameter ? '' : ` (copied into ${use.via})`;
  return `parameter ${use.parameter} (${specFor(specs, use.parameter).type})${via} is used in ${use.context}, where bash evaluates a value as code: a value like a[$(id)] would run id`;
}

export const EVALUATION_HINT =
  'declare the parameter in the front matter with type: integer (or values: [a list of integers]); pass text only as an argument ("${NAME}"), never into arithmetic, subscripts, eval or sh -c';

/** A run of a procedure that would let a parameter value run as code: refused, whatever the values. */
export class UnsafeCommandError extends AppError {
  constructor(uses: EvaluatedParameter[], specs: ReadonlyMap<string, ParamSpec>) {
    const first = uses[0]!;
    super(
      422,
      'unsafe_command',
      `Command ${first.commandId} (line ${first.line}) cannot run: ${describeEvaluation(first, specs)}. ${EVALUATION_HINT}`,
      { commands: uses.map((u) => ({ commandId: u.commandId, line: u.line, parameter: u.parameter, via: u.via, context: u.context })) },
    );
  }
}

/**
 * The last look before a command is queued, on the values themselves: any
 * value (parameter, captured variable or secret) that reaches a place bash
 * evaluates as code must be an integer, whatever the runbook declared. It
 * covers runs created before parameter types existed and variables that
 * earlier commands captured.
 */
export function assertValuesAreData(
  command: { commandId: string; command: string; placeholders: unknown },
  env: Record<string, string>,
): void {
  const origin = new Map(Object.keys(env).filter((name) => !INTEGER.test(env[name]!)).map((name) => [name, name]));
  const uses = commandEvaluations({ id: command.commandId, line: 1, text: command.command, placeholders: command.placeholders as Placeholder[] }, origin);
  if (uses.length === 0) return;
  const first = uses[0]!;
  const via = first.via === first.parameter ? '' : ` (copied into ${first.via})`;
  throw new AppError(
    422,
    'unsafe_command',
    `Command ${command.commandId} cannot run: the value of ${first.parameter}${via} is not an integer, and the command uses it in ${first.context}, where bash would evaluate it as code`,
    { commands: uses.map((u) => ({ commandId: u.commandId, parameter: u.parameter, via: u.via, context: u.context })) },
  );
}

/**
 * 400 naming every missing, unknown, oversized or ill-typed parameter at
 * once, so one retry fixes them all; 422 when the procedure would evaluate a
 * parameter as code.
 */
export function checkParameters(
  procedure: Procedure,
  values: Record<string, string> = {},
  secretNames: string[] = [],
  specs: ReadonlyMap<string, ParamSpec> = new Map(),
): CheckedParameters {
  const unsafe = unsafeEvaluations(procedure, specs, Object.keys(values));
  if (unsafe.length) throw new UnsafeCommandError(unsafe, specs);
  const { required, known } = parametersOf(procedure);
  const missing = required.filter((name) => values[name] === undefined);
  const unknown = Object.keys(values).filter((name) => !known.has(name));
  const tooLong = Object.entries(values)
    .filter(([, value]) => Buffer.byteLength(value) > PARAM_VALUE_MAX_BYTES)
    .map(([name]) => name);
  const secretWithoutValue = secretNames.filter((name) => values[name] === undefined);
  const invalid = Object.entries(values)
    .filter(([name]) => known.has(name))
    .map(([name, value]) => ({ name, rule: valueProblem(specFor(specs, name), value) }))
    .filter((entry): entry is { name: string; rule: string } => entry.rule !== null);
  if (missing.length || unknown.length || tooLong.length || secretWithoutValue.length || invalid.length) {
    const problems = [
      missing.length ? `missing parameters: ${missing.join(', ')}` : '',
      unknown.length ? `unknown parameters: ${unknown.join(', ')} (this procedure takes ${[...known].join(', ') || 'none'})` : '',
      tooLong.length ? `values longer than ${PARAM_VALUE_MAX_BYTES} bytes: ${tooLong.join(', ')}` : '',
      secretWithoutValue.length ? `secretParameters without a value: ${secretWithoutValue.join(', ')}` : '',
      ...invalid.map((entry) => `invalid value: ${entry.rule}`),
    ].filter(Boolean);
    throw new InputError(problems.join('; '), { missing, unknown, tooLong, secretWithoutValue, required, invalid });
  }
  const stored: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (secretNames.includes(name)) {
      stored[name] = SECRET_MARK;
      secrets[name] = value;
    } else stored[name] = value;
  }
  return { stored, secrets };
}
