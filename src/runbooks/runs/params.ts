import { InputError } from '../../platform/errors.js';
import { commandsOf, type Procedure } from '../model.js';
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

/** 400 naming every missing, unknown or oversized parameter at once, so one retry fixes them all. */
export function checkParameters(
  procedure: Procedure,
  values: Record<string, string> = {},
  secretNames: string[] = [],
): CheckedParameters {
  const { required, known } = parametersOf(procedure);
  const missing = required.filter((name) => values[name] === undefined);
  const unknown = Object.keys(values).filter((name) => !known.has(name));
  const tooLong = Object.entries(values)
    .filter(([, value]) => Buffer.byteLength(value) > PARAM_VALUE_MAX_BYTES)
    .map(([name]) => name);
  const secretWithoutValue = secretNames.filter((name) => values[name] === undefined);
  if (missing.length || unknown.length || tooLong.length || secretWithoutValue.length) {
    const problems = [
      missing.length ? `missing parameters: ${missing.join(', ')}` : '',
      unknown.length ? `unknown parameters: ${unknown.join(', ')} (this procedure takes ${[...known].join(', ') || 'none'})` : '',
      tooLong.length ? `values longer than ${PARAM_VALUE_MAX_BYTES} bytes: ${tooLong.join(', ')}` : '',
      secretWithoutValue.length ? `secretParameters without a value: ${secretWithoutValue.join(', ')}` : '',
    ].filter(Boolean);
    throw new InputError(problems.join('; '), { missing, unknown, tooLong, secretWithoutValue, required });
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
