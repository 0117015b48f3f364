import type { Command, CommandAnnotations, ParsedRunbook, Placeholder, Procedure } from '../../src/runbooks/model.js';

/**
 * Hand-built runbook models for rule tests: each rule is tested on exactly
 * the command it is about, independent of how the Markdown parser reads a
 * file. `<name>` placeholders and `NAME=` assignments are filled in the way
 * the parser reports them.
 */

export interface CommandSpec {
  text: string;
  annotations?: CommandAnnotations;
  /** Defaults to the order of the command (line 10, 11, …). */
  line?: number;
  language?: string;
}

function angles(text: string, line: number): Placeholder[] {
  return [...text.matchAll(/<([A-Za-z][\w-]*)>/g)].map((m) => ({
    raw: m[0],
    syntax: 'angle' as const,
    param: m[1]!.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
    line,
  }));
}

export function command(spec: CommandSpec | string, index: number, procedureId = 'proc'): Command {
  const s = typeof spec === 'string' ? { text: spec } : spec;
  const line = s.line ?? 10 + index;
  return {
    id: `${procedureId}-c${index + 1}`,
    text: s.text,
    line,
    endLine: line,
    language: s.language ?? 'bash',
    description: null,
    placeholders: angles(s.text, line),
    assigns: [...s.text.matchAll(/(?:^|[;&|]\s*)([A-Za-z_]\w*)=/g)].map((m) => m[1]!),
    annotations: s.annotations ?? {},
  };
}

export function procedure(id: string, commands: Array<CommandSpec | string>): Procedure {
  return {
    id,
    title: id,
    line: 1,
    group: null,
    metadata: { severity: null, priority: null, responseTime: null, resolutionTime: null, extra: {} },
    symptoms: [],
    phases: [
      {
        id: `${id}-phase`,
        title: 'Steps',
        line: 2,
        implicit: true,
        steps: [{ id: `${id}-step`, number: 1, title: 'Step', line: 3, commands: commands.map((c, i) => command(c, i, id)), checks: [], prose: [] }],
        checks: [],
        prose: [],
      },
    ],
    prose: [],
  };
}

/** A runbook of one procedure ("proc") holding these commands, with optional front matter. */
export function runbookOf(commands: Array<CommandSpec | string>, frontMatter: Record<string, unknown> = {}): ParsedRunbook {
  return runbookWith([procedure('proc', commands)], frontMatter);
}

export function runbookWith(procedures: Procedure[], frontMatter: Record<string, unknown> = {}): ParsedRunbook {
  return { title: 'test', frontMatter, groups: [], procedures, contacts: [], lineCount: 100 };
}
