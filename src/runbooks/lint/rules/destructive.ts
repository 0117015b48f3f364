import { classifyRisk } from '../../risk.js';
import { finding, type StaticRule } from '../context.js';

/**
 * destructive-unapproved. DESIGN.md §4: destructive steps (DROP DATABASE,
 * FLUSHDB, delete, --replicas=0, rollout restart, secret replacement) need a
 * second person's approval. The runbook says so explicitly with an annotation,
 * so a reader sees the gate where the command is, and a run cannot start one
 * by accident. An author who classifies the command lower (`risk=change`)
 * has decided, and is not second-guessed.
 */

/** Either form works: the comment line inside the block gates one command, the HTML comment every command of the block. */
export const APPROVAL_HINT =
  'mark it for approval so a second person confirms each run: a `# nexus: approval` line right above the command in the block, or <!-- nexus: approval --> above the whole block';

export const destructiveUnapproved: StaticRule = (target) => {
  const { annotations, text } = target.command;
  const assessment = classifyRisk(text, annotations);
  if (assessment.risk !== 'destructive' || annotations.approval) return [];
  const reasons = assessment.matches.filter((m) => m.risk === 'destructive').map((m) => m.reason);
  const why = reasons.length > 0 ? reasons.join(', ') : 'annotated risk=destructive';
  return [
    finding(
      target,
      'destructive-unapproved',
      'error',
      `destructive command (${why}) has no approval gate`,
      APPROVAL_HINT,
    ),
  ];
};
