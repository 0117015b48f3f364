import type { ResponseOf } from '../api/types.js';

/** The runbook shapes the console reads, out of the generated API types (src/runbooks/library/schema.ts). */
export type RunbookDetail = ResponseOf<'/api/v1/runbooks/{id}', 'get'>;
export type RunbookSummary = ResponseOf<'/api/v1/runbooks', 'get'>['items'][number];
export type RunbookVersion = ResponseOf<'/api/v1/runbooks/{id}/versions', 'get'>['items'][number];
export type ParsedRunbook = RunbookDetail['parsed'];
export type Procedure = ParsedRunbook['procedures'][number];
export type Phase = Procedure['phases'][number];
export type Step = Phase['steps'][number];
export type Command = Step['commands'][number];
export type LintReport = ResponseOf<'/api/v1/runbooks/lint', 'post'>;
export type Finding = LintReport['findings'][number];
export type FindingSeverity = Finding['severity'];

/** A command with the step and procedure it belongs to: what a run of it needs. */
export interface CommandRef {
  procedure: Procedure;
  step: Step;
  command: Command;
}

/** Every command of a procedure, in order (as src/runbooks/model.ts commandsOf). */
export function commandsOf(procedure: Procedure): CommandRef[] {
  return procedure.phases.flatMap((phase) => phase.steps.flatMap((step) => step.commands.map((command) => ({ procedure, step, command }))));
}

/** Where the runnable parts of a runbook start, by source line, so the rendered Markdown can put buttons on them. */
export interface RunbookIndex {
  commands: CommandRef[];
  commandById: Map<string, CommandRef>;
  /** Procedures by the line of their heading. */
  procedureAtLine: Map<number, Procedure>;
  /** Steps with at least one command, by the line of their title. */
  stepAtLine: Map<number, { procedure: Procedure; step: Step }>;
}

export function indexRunbook(parsed: ParsedRunbook): RunbookIndex {
  const commands = parsed.procedures.flatMap(commandsOf);
  const stepAtLine = new Map<number, { procedure: Procedure; step: Step }>();
  for (const procedure of parsed.procedures) {
    for (const phase of procedure.phases) {
      for (const step of phase.steps) if (step.commands.length > 0) stepAtLine.set(step.line, { procedure, step });
    }
  }
  return {
    commands,
    commandById: new Map(commands.map((ref) => [ref.command.id, ref])),
    procedureAtLine: new Map(parsed.procedures.map((procedure) => [procedure.line, procedure])),
    stepAtLine,
  };
}
