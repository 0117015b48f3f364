import type { Procedure } from '../api/types.js';

/**
 * Names a parameter may not take (src/runbooks/runs/script.ts): the shell's
 * and the dynamic linker's own. The server skips them; so does this form.
 */
const RESERVED = new Set(['PATH', 'HOME', 'LANG', 'SHELL', 'IFS', 'ENV', 'BASH_ENV', 'SHELLOPTS', 'BASHOPTS', 'PS4', 'PROMPT_COMMAND', 'CDPATH', 'GLOBIGNORE']);
const isReserved = (name: string) => RESERVED.has(name) || /^(LD_|BASH_|LC_|__nexus)/.test(name);

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
          if (isReserved(name) || assigned.has(name) || required.some((p) => p.name === name)) continue;
          required.push({ name, raw: placeholder.raw });
        }
        for (const name of command.assigns) assigned.add(name);
      }
    }
  }
  return required;
}
