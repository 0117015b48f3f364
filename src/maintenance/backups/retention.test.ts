import { describe, expect, it } from 'vitest';
import { isoWeek, keepByRetention } from './retention.js';

const at = (iso: string, id = iso) => ({ id, createdAt: new Date(iso) });

describe('backup retention', () => {
  it('names ISO weeks as ISO 8601 does, across a year boundary', () => {
    expect(isoWeek(new Date('2026-12-07T12:00:00Z'))).toBe('2026-W50');
    expect(isoWeek(new Date('2027-01-01T00:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2025-12-29T00:00:00Z'))).toBe('2026-W01');
  });

  it('keeps the newest backup of each of the last N days and M weeks, and nothing else', () => {
    const rows = [
      at('2026-12-07T03:00:00Z', 'mon-late'),
      at('2026-12-07T01:00:00Z', 'mon-early'),
      at('2026-12-06T03:00:00Z', 'sun'),
      at('2026-12-05T03:00:00Z', 'sat'),
      at('2026-11-29T03:00:00Z', 'prev-week-sun'),
      at('2026-11-25T03:00:00Z', 'prev-week-wed'),
      at('2026-11-20T03:00:00Z', 'two-weeks-ago'),
    ];
    // 7 Dec 2026 is a Monday (W50); the 5th and 6th are W49, 29 Nov W48.
    expect([...keepByRetention(rows, 2, 2)].sort()).toEqual(['mon-late', 'sun']);
    expect([...keepByRetention(rows, 2, 3)].sort()).toEqual(['mon-late', 'prev-week-sun', 'sun']);
    expect([...keepByRetention(rows, 0, 0)]).toEqual(['mon-late']);
    expect(keepByRetention(rows, 30, 30).size).toBe(6);
  });
});
