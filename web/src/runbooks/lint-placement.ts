import type { Command, Finding, FindingSeverity } from './model.js';

/**
 * Where lint findings go on the rendered runbook. Most rules report on a
 * command (with its id and first line); those are shown under the command.
 * The rest (a parse error, a finding on a line no command covers) are shown
 * after the top-level Markdown block holding their line.
 */
export interface PlacedFindings {
  byCommand: Map<string, Finding[]>;
  other: Finding[];
}

export function placeFindings(findings: readonly Finding[], commands: readonly Command[]): PlacedFindings {
  const byId = new Map(commands.map((command) => [command.id, command]));
  const byCommand = new Map<string, Finding[]>();
  const other: Finding[] = [];
  for (const finding of findings) {
    const command =
      (finding.commandId !== undefined ? byId.get(finding.commandId) : undefined) ??
      commands.find((c) => finding.line >= c.line && finding.line <= c.endLine);
    if (!command) {
      other.push(finding);
      continue;
    }
    const list = byCommand.get(command.id);
    if (list) list.push(finding);
    else byCommand.set(command.id, [finding]);
  }
  return { byCommand, other };
}

/** The findings on lines `start`…`end`, inclusive. */
export function findingsWithin(findings: readonly Finding[], start: number, end: number): Finding[] {
  return findings.filter((finding) => finding.line >= start && finding.line <= end);
}

const ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

export function worstSeverity(findings: readonly Finding[]): FindingSeverity | null {
  let worst: FindingSeverity | null = null;
  for (const finding of findings) if (worst === null || ORDER[finding.severity] < ORDER[worst]) worst = finding.severity;
  return worst;
}

/** "2 errors, 1 warning" / "no findings". */
export function describeCounts(summary: { errors: number; warnings: number; infos: number }): string {
  const parts = [
    summary.errors ? `${summary.errors} error${summary.errors === 1 ? '' : 's'}` : '',
    summary.warnings ? `${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}` : '',
    summary.infos ? `${summary.infos} note${summary.infos === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no findings';
}

/** A piece of a code block: a command the parser found (run button, findings) or lines that are not one. */
export type CodeSegment = { kind: 'command'; command: Command; text: string; line: number } | { kind: 'text'; text: string; line: number };

/**
 * Splits a code block's text into commands and the lines between them.
 * `firstLine` is the source line of the block's first content line; a
 * command's `line`…`endLine` says which lines are its own (continuations,
 * here-documents). Commands that do not start inside the block are ignored.
 */
export function segmentCode(text: string, firstLine: number, commands: readonly Command[]): CodeSegment[] {
  const lines = text.split('\n');
  const lastLine = firstLine + lines.length - 1;
  const starting = new Map(commands.filter((c) => c.line >= firstLine && c.line <= lastLine).map((c) => [c.line, c]));
  const segments: CodeSegment[] = [];
  // Lines that are not a command, gathered until the next command starts.
  const plain: string[] = [];
  let plainLine = firstLine;
  const flush = () => {
    if (plain.length > 0) segments.push({ kind: 'text', text: plain.join('\n'), line: plainLine });
    plain.length = 0;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = firstLine + i;
    const command = starting.get(line);
    if (command) {
      flush();
      const end = Math.min(Math.max(command.endLine, line), lastLine);
      segments.push({ kind: 'command', command, text: lines.slice(i, i + (end - line) + 1).join('\n'), line });
      i += end - line;
      continue;
    }
    if (plain.length === 0) plainLine = line;
    plain.push(lines[i]!);
  }
  flush();
  return segments;
}
