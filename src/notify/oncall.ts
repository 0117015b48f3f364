/**
 * Who is on call: weekly rotations in a named time zone, with overrides.
 * Pure functions over plain data, so the rules are tested without a database
 * and the clock is whatever `at` the caller passes.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const WEEK_MS = 7 * DAY_MS;

export interface WeeklySchedule {
  memberIds: readonly string[];
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  handoffWeekday: number;
  /** `HH:MM`, local to `timezone`. */
  handoffTime: string;
  timezone: string;
  /** `YYYY-MM-DD`, local to `timezone`: the first shift starts that day at `handoffTime`. */
  startDate: string;
}

export interface OverrideWindow {
  contactId: string;
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
}

export interface Shift {
  contactId: string;
  source: 'schedule' | 'override';
  from: Date;
  until: Date;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** Intl is the source of truth for zone names: it knows what the runtime's tz database knows. */
export function isTimeZone(timezone: string): boolean {
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading in `timezone` at `instant`, expressed as if it were UTC (ms). */
export function wallClockMs(instant: Date, timezone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/**
 * The instant at which the clocks in `timezone` read `wallMs`. A reading that
 * does not exist (the spring-forward gap) is moved forward by the gap, as
 * Temporal's "compatible" disambiguation does; a reading that exists twice
 * (the autumn fold) takes one of the two, which is all a handoff needs.
 */
export function instantOf(wallMs: number, timezone: string): Date {
  const offsetAt = (utcMs: number) => wallClockMs(new Date(utcMs), timezone) - (utcMs - (utcMs % 1000));
  const firstGuess = wallMs - offsetAt(wallMs);
  const secondGuess = wallMs - offsetAt(firstGuess);
  if (secondGuess === firstGuess) return new Date(firstGuess);
  if (wallMs - offsetAt(secondGuess) === secondGuess) return new Date(secondGuess);
  return new Date(Math.max(firstGuess, secondGuess));
}

function parseDate(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

function isoWeekday(dateMs: number): number {
  const day = new Date(dateMs).getUTCDay();
  return day === 0 ? 7 : day;
}

/**
 * The scheduled shift at `at`, or null before the rotation starts. Shift 0
 * (the first member) runs from the start date's handoff time to the first
 * handoff weekday after it (a full week when the start date is that
 * weekday); each handoff moves to the next member, wrapping around.
 */
export function scheduledShift(schedule: WeeklySchedule, at: Date): Shift | null {
  const members = schedule.memberIds;
  if (members.length === 0) return null;
  const [hours, minutes] = schedule.handoffTime.split(':').map(Number) as [number, number];
  const startDay = parseDate(schedule.startDate);
  const startWall = startDay + (hours * 60 + minutes) * MINUTE_MS;
  const start = instantOf(startWall, schedule.timezone);
  if (at < start) return null;

  const daysToFirst = (schedule.handoffWeekday - isoWeekday(startDay) + 7) % 7 || 7;
  const firstHandoffWall = startWall + daysToFirst * DAY_MS;
  // Handoff j (j ≥ 0) in wall-clock weeks, so it stays at 09:00 local across DST changes.
  const handoff = (j: number) => instantOf(firstHandoffWall + j * WEEK_MS, schedule.timezone);

  // Estimate the last handoff at or before `at` from wall-clock time, then correct it on real instants.
  let last = Math.max(-1, Math.floor((wallClockMs(at, schedule.timezone) - firstHandoffWall) / WEEK_MS));
  while (handoff(last + 1) <= at) last++;
  while (last >= 0 && handoff(last) > at) last--;

  const shiftIndex = last + 1;
  return {
    contactId: members[shiftIndex % members.length]!,
    source: 'schedule',
    from: last >= 0 ? handoff(last) : start,
    until: handoff(last + 1),
  };
}

/** The override covering `at` (newest wins where they overlap), else the scheduled shift. */
/**
 * The shift at `at`, ending where someone else takes over: `onCallShift`'s
 * `until` is the shift's own end (the handoff, or the override's end), but an
 * override starting sooner that would win then ends it earlier. `overrides`
 * must hold every override overlapping `at` or starting before that end.
 */
export function onCallShiftUntilTakeover(schedule: WeeklySchedule, overrides: readonly OverrideWindow[], at: Date): Shift | null {
  const shift = onCallShift(schedule, overrides, at);
  if (!shift) return null;
  const active = overrides.filter((o) => o.startsAt <= at && at < o.endsAt);
  // Overrides win over the schedule; among overrides, the newest wins (as in onCallShift).
  const current = shift.source === 'override' ? Math.max(...active.map((o) => o.createdAt.getTime())) : Number.NEGATIVE_INFINITY;
  let until = shift.until;
  for (const o of overrides) {
    if (o.startsAt > at && o.startsAt < until && o.createdAt.getTime() >= current) until = o.startsAt;
  }
  return { ...shift, until };
}

export function onCallShift(schedule: WeeklySchedule, overrides: readonly OverrideWindow[], at: Date): Shift | null {
  let winner: OverrideWindow | undefined;
  for (const override of overrides) {
    if (override.startsAt <= at && at < override.endsAt && (!winner || override.createdAt >= winner.createdAt)) {
      winner = override;
    }
  }
  if (winner) return { contactId: winner.contactId, source: 'override', from: winner.startsAt, until: winner.endsAt };
  return scheduledShift(schedule, at);
}
