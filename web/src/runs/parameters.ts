import type { Procedure } from '../api/types.js';

/**
 * Names a parameter may not take (src/runbooks/runs/script.ts): the shell's
 * and the dynamic linker's own. The server skips them; so does this form.
 */
const RESERVED = new Set(['PATH', 'HOME', 'LANG', 'SHELL', 'IFS', 'ENV', 'BASH_ENV', 'SHELLOPTS', 'BASHOPTS', 'PS4', 'PROMPT_COMMAND', 'CDPATH', 'GLOBIGNORE']);

export function isReservedEnvName(name: string): boolean {
  return RESERVED.has(name) || /^(LD_|BASH_|LC_|__nexus)/.test(name);
}

export interface ProcedureParameter {
  name: string;
  /** As the runbook writes it: `<affected-pod>`, `$S3_BUCKET`. */
  raw: string;
}

/**
 * The values a run of this procedure asks for before it starts, as the
 * server decides (src/runbooks/runs/params.ts parametersOf): every
 * placeholder a command uses before an earlier command assigns it.
 */
export function requiredParameters(procedure: Procedure): ProcedureParameter[] {
  const assigned = new Set<string>();
  const required: ProcedureParameter[] = [];
  for (const phase of procedure.phases) {
    for (const step of phase.steps) {
      for (const command of step.commands) {
        for (const placeholder of command.placeholders) {
          const name = placeholder.param;
          if (isReservedEnvName(name) || assigned.has(name) || required.some((p) => p.name === name)) continue;
          required.push({ name, raw: placeholder.raw });
        }
        for (const name of command.assigns) assigned.add(name);
      }
    }
  }
  return required;
}

/** Names that say they hold a secret (as the server's looksSecret): asked for masked and sent as secret parameters. */
export function looksSecret(name: string): boolean {
  return /(KEY|TOKEN|PASSWORD|PASSWD|SECRET|CREDENTIAL)/i.test(name);
}

/**
 * What a run start sends for its parameters, in the fields of
 * `POST /api/v1/runs` (src/runbooks/runs/schema.ts CreateRunBody): every
 * asked-for value, and the names of those stored sealed. Empty: nothing.
 */
export interface ParameterBody {
  parameters?: Record<string, string>;
  secretParameters?: string[];
}

export function parameterBody(names: readonly string[], values: Readonly<Record<string, string>>, secret: Readonly<Record<string, boolean>>): ParameterBody {
  const sealed = names.filter((name) => secret[name]);
  return {
    ...(names.length > 0 ? { parameters: Object.fromEntries(names.map((name) => [name, values[name] ?? ''])) } : {}),
    ...(sealed.length > 0 ? { secretParameters: sealed } : {}),
  };
}
