import { classifyRisk } from '../../risk.js';
import { finding, type StaticRule } from '../context.js';

/**
 * destructive-unapproved. DESIGN.md §4: destructive steps (DROP DATABASE,
 * FLUSHDB, delete, --replicas=0, rollout restart, secret replacement) need a
 * second person's approval. The runbook says so explicitly with an annotation,
 * so a reader sees the gate where the command is, and a run cannot start one
 * by accident.
 *
 * risk-annotation-ignored. A `risk=` annotation below what NEXUS detects
 * (`risk=read` on `rm -rf`) does not lower the risk at run time unless an
 * admin approves the runbook version; lint says so where it is written.
 */

/** Either form works: the comment line inside the block gates one command, the HTML comment every command of the block. */
export const APPROVAL_HINT =
  'mark it for approval so a second person confirms each run: a `# nexus: approval` line right above the command in the block, or <!-- nexus: approval --> above the whole block';

export const destructiveUnapproved: StaticRule = (target) => {
  const { annotations, text } = target.command;
  const assessment = classifyRisk(text, annotations); // as a run would see it before any admin approval
  // A lower risk= is the author's claim: risk-annotation-ignored explains what runs make of it.
  if (assessment.risk !== 'destructive' || annotations.approval || (annotations.risk !== undefined && annotations.risk !== 'destructive')) return [];
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

export const riskAnnotationIgnored: StaticRule = (target) => {
  const { annotations, text } = target.command;
  if (annotations.risk === undefined) return [];
  const assessment = classifyRisk(text, annotations);
  if (assessment.risk === annotations.risk) return [];
  const reasons = assessment.matches.filter((m) => m.risk === assessment.detected).map((m) => m.reason);
  return [
    finding(
      target,
      'risk-annotation-ignored',
      'warning',
      `risk=${annotations.risk} is below what NEXUS detects (${assessment.detected}: ${reasons.join(', ')}); runs treat the command as ${assessment.detected}`,
      'an annotation can raise a risk but not lower it: an admin may approve this runbook version (POST /api/v1/runbooks/{id}/versions/{version}/approve) to let it stand',
    ),
  ];
};
