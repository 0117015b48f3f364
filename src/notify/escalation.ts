import { RESPONSE_TIME, type EscalationLevel, type PolicyTarget, type TargetType } from './oncall-schema.js';

/**
 * Who gets paged at which level: pure rules over a policy, so the incidents
 * domain's scheduler and the tests share one definition.
 */

export interface TargetRef {
  type: TargetType;
  id: string;
}

export interface PlanTarget extends TargetRef {
  name: string;
}

export interface PlanLevel {
  /** The level's position in the policy (0 = at trigger). */
  level: number;
  afterMinutes: number;
  targets: PlanTarget[];
}

export interface PlanInput {
  /** The incident's category (`security`); targets with `whenCategory` match only it. */
  category?: string | undefined;
  /** The incident's response-time SLA in minutes (P1: 15), for levels delayed by `response-time`. */
  responseMinutes: number;
}

export interface PolicyShape {
  levels: readonly EscalationLevel[];
  always: readonly PolicyTarget[];
}

const keyOf = (target: TargetRef) => `${target.type}:${target.id}`;

function applies(target: PolicyTarget, category: string | undefined): boolean {
  if (target.whenCategory === undefined) return true;
  return category !== undefined && target.whenCategory.toLowerCase() === category.toLowerCase();
}

/**
 * Levels with their delay resolved and conditional targets filtered. The
 * `always` targets join level 0 (the trigger), whatever happens later. Levels
 * left with no target are dropped; the others keep their policy number and
 * are ordered by time (a `response-time` level may fall before a fixed one).
 */
export function planLevels(policy: PolicyShape, input: PlanInput, nameOf: (target: TargetRef) => string): PlanLevel[] {
  const plan: PlanLevel[] = [];
  policy.levels.forEach((level, index) => {
    const afterMinutes = level.delay === RESPONSE_TIME ? input.responseMinutes : level.delay;
    const candidates = index === 0 ? [...level.targets, ...policy.always] : level.targets;
    const seen = new Set<string>();
    const targets: PlanTarget[] = [];
    for (const target of candidates) {
      if (!applies(target, input.category) || seen.has(keyOf(target))) continue;
      seen.add(keyOf(target));
      targets.push({ type: target.type, id: target.id, name: nameOf(target) });
    }
    if (targets.length > 0) plan.push({ level: index, afterMinutes, targets });
  });
  // Array.prototype.sort is stable: equal times keep policy order.
  return plan.sort((a, b) => a.afterMinutes - b.afterMinutes);
}

/** What a policy must satisfy beyond its schema; each problem names its place (`levels/1/targets/0`). */
export function policyProblems(policy: PolicyShape): string[] {
  const problems: string[] = [];
  const first = policy.levels[0];
  // The trigger level is what `always` targets join and what an incident pages first.
  if (first && first.delay !== 0) problems.push('levels/0/delay must be 0: the first level is paged at trigger');
  policy.levels.forEach((level, index) => {
    const seen = new Set<string>();
    level.targets.forEach((target, position) => {
      const key = `${keyOf(target)}:${target.whenCategory ?? ''}`;
      if (seen.has(key)) problems.push(`levels/${index}/targets/${position} repeats a target of the same level`);
      seen.add(key);
    });
  });
  return problems;
}

/** Every distinct target a policy names, for the existence check and name lookups. */
export function targetsOf(policy: PolicyShape): TargetRef[] {
  const all = [...policy.levels.flatMap((level) => level.targets), ...policy.always];
  const unique = new Map<string, TargetRef>();
  for (const target of all) unique.set(keyOf(target), { type: target.type, id: target.id });
  return [...unique.values()];
}
