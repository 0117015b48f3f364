import { commandsOf } from '../../model.js';
import { describeEvaluation, EVALUATION_HINT, unsafeEvaluations } from '../../runs/params.js';
import type { Finding } from '../schema.js';
import type { LintContext } from '../context.js';

/**
 * param-evaluated-as-code: a parameter that may hold any text reaches a
 * place where bash evaluates a value as code (arithmetic, subscripts,
 * indirection, eval, sh -c, …: code-contexts.ts). `[[ <count> -gt 5 ]]` with
 * COUNT='a[$(id > /tmp/x)]' runs id. Runs of such a procedure are refused
 * too (runs/params.ts), so this is an error, not advice.
 */
export function parameterEvaluatedAsCode(context: LintContext): Finding[] {
  const findings: Finding[] = [];
  for (const procedure of context.runbook.procedures) {
    const commands = new Map(commandsOf(procedure).map(({ command }) => [command.id, command]));
    for (const use of unsafeEvaluations(procedure, context.parameters)) {
      const command = commands.get(use.commandId)!;
      findings.push({
        rule: 'param-evaluated-as-code',
        severity: 'error',
        line: command.line,
        message: describeEvaluation(use, context.parameters),
        hint: EVALUATION_HINT,
        procedureId: procedure.id,
        commandId: command.id,
      });
    }
  }
  return findings;
}
