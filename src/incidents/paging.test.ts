import { describe, expect, it } from 'vitest';
import type { PlanLevel } from '../notify/index.js';
import type { PageRow } from './page-store.js';
import { dueLevels } from './paging.js';

const MINUTE = 60_000;
const start = new Date('2026-01-05T10:00:00Z');
const minutes = (n: number) => new Date(start.getTime() + n * MINUTE);
const level = (n: number, afterMinutes: number): PlanLevel => ({ level: n, afterMinutes, targets: [{ type: 'contact', id: `c${n}`, name: `C${n}` }] });
const plan = [level(0, 0), level(1, 15), level(2, 30)];

function paged(n: number, settled: { at: number; reached: boolean } | null): PageRow {
  return {
    incidentId: 'i',
    startedAt: start,
    level: n,
    notificationId: `n${n}`,
    afterMinutes: plan[n]!.afterMinutes,
    early: false,
    last: n === plan.length - 1,
    targets: [],
    pagedAt: start,
    settledAt: settled ? minutes(settled.at) : null,
    reached: settled ? settled.reached : null,
    outcome: null,
  };
}

const summary = (result: ReturnType<typeof dueLevels>) => ({
  due: result.due.map((d) => [d.level.level, (d.at.getTime() - start.getTime()) / MINUTE, d.early, d.last]),
  next: result.next ? (result.next.getTime() - start.getTime()) / MINUTE : null,
});

describe('which escalation levels are due', () => {
  it('by their time while levels reach somebody or are still under way', () => {
    expect(summary(dueLevels(plan, start, minutes(1), []))).toEqual({ due: [[0, 0, false, false]], next: 15 });
    expect(summary(dueLevels(plan, start, minutes(1), [paged(0, null)]))).toEqual({ due: [[0, 0, false, false]], next: 15 });
    expect(summary(dueLevels(plan, start, minutes(16), [paged(0, { at: 1, reached: true })]))).toEqual({
      due: [
        [0, 0, false, false],
        [1, 15, false, false],
      ],
      next: 30,
    });
  });

  it('the level after one that reached nobody at once, due when that was known, and so on down the chain', () => {
    const first = [paged(0, { at: 1, reached: false })];
    expect(summary(dueLevels(plan, start, minutes(1), first))).toEqual({
      due: [
        [0, 0, false, false],
        [1, 1, true, false],
      ],
      next: 30,
    });
    const both = [...first, paged(1, { at: 2, reached: false })];
    expect(summary(dueLevels(plan, start, minutes(2), both)).due).toEqual([
      [0, 0, false, false],
      [1, 1, true, false],
      [2, 2, true, true],
    ]);
    // Repeated after its own time, an early level keeps the time it fell due (rotations are looked up at it).
    expect(summary(dueLevels(plan, start, minutes(40), both)).due).toEqual([
      [0, 0, false, false],
      [1, 1, true, false],
      [2, 2, true, true],
    ]);
  });

  it('a level whose predecessor reached nobody only after its own time is not early', () => {
    const late = [paged(0, { at: 20, reached: false })];
    expect(summary(dueLevels(plan, start, minutes(21), late))).toEqual({
      due: [
        [0, 0, false, false],
        [1, 15, false, false],
      ],
      next: 30,
    });
  });
});
