/** ISO 8601 week, e.g. `2026-W49`: weeks start on Monday, and week 1 holds the year's first Thursday. */
export function isoWeek(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Grandfather-father-son, two generations: the newest backup of each of the
 * `daily` most recent days that have one, and of each of the `weekly` most
 * recent ISO weeks (UTC). The newest backup is always kept.
 */
export function keepByRetention(rows: Array<{ id: string; createdAt: Date }>, daily: number, weekly: number): Set<string> {
  const newestFirst = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  const keep = new Set<string>();
  if (newestFirst[0]) keep.add(newestFirst[0].id);
  const pick = (bucket: (at: Date) => string, limit: number) => {
    const seen = new Set<string>();
    for (const row of newestFirst) {
      const key = bucket(row.createdAt);
      if (seen.has(key)) continue;
      if (seen.size >= limit) break;
      seen.add(key);
      keep.add(row.id);
    }
  };
  pick((at) => at.toISOString().slice(0, 10), daily);
  pick(isoWeek, weekly);
  return keep;
}
