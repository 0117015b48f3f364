import type { ParsedRunbook, Procedure } from './model.js';

/** Past this many cells the exact line diff costs too much for a summary; counting lines is close enough then. */
const MAX_CELLS = 4_000_000;

/**
 * How many lines one version adds and removes against another: the lines
 * outside their longest common subsequence. Common head and tail lines are
 * cut off first, which leaves little for the quadratic part in practice.
 */
export function lineChanges(before: string, after: string): { added: number; removed: number } {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const common = midA.length * midB.length <= MAX_CELLS ? lcsLength(midA, midB) : multisetCommon(midA, midB);
  return { added: midB.length - common, removed: midA.length - common };
}

function lcsLength(a: string[], b: string[]): number {
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

/** Lines present in both, ignoring order: an upper bound of the common subsequence. */
function multisetCommon(a: string[], b: string[]): number {
  const counts = new Map<string, number>();
  for (const line of a) counts.set(line, (counts.get(line) ?? 0) + 1);
  let common = 0;
  for (const line of b) {
    const left = counts.get(line) ?? 0;
    if (left > 0) {
      common++;
      counts.set(line, left - 1);
    }
  }
  return common;
}

/** What a procedure runs, to tell a changed procedure from one that only moved. */
function fingerprint(procedure: Procedure): string {
  return JSON.stringify([
    procedure.title,
    procedure.metadata.priority,
    procedure.phases.map((phase) => [phase.title, phase.steps.map((step) => [step.title, step.commands.map((c) => [c.text, c.annotations])]), phase.checks.map((c) => c.text)]),
  ]);
}

export interface ProcedureChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Procedures (by id) that one version adds, removes or changes (titles, steps, commands, checks) against another. */
export function procedureChanges(before: ParsedRunbook, after: ParsedRunbook): ProcedureChanges {
  const old = new Map(before.procedures.map((p) => [p.id, p]));
  const now = new Map(after.procedures.map((p) => [p.id, p]));
  return {
    added: after.procedures.filter((p) => !old.has(p.id)).map((p) => p.title),
    removed: before.procedures.filter((p) => !now.has(p.id)).map((p) => p.title),
    changed: after.procedures.filter((p) => old.has(p.id) && fingerprint(old.get(p.id)!) !== fingerprint(p)).map((p) => p.title),
  };
}
