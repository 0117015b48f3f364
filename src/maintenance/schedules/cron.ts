import cronParser from 'cron-parser';
import { InputError } from '../../platform/errors.js';

/**
 * Cron and time zones, checked before anything is stored: both end up in
 * cron-parser (and in the console), so only the five standard fields and
 * IANA names are let in. `field` names the body field in the 400.
 */

/** Minute, hour, day of month, month, day of week: digits, names, `* , - / ? L #`. No seconds field (no per-second schedules). */
const CRON_FIELD = /^[0-9A-Za-z*,/?#-]{1,40}$/;
const CRON_MAX = 120;
/** `Europe/Berlin`, `America/Argentina/Buenos_Aires`, `UTC`, `Etc/GMT+5`. */
const TIME_ZONE = /^[A-Za-z][A-Za-z0-9_+-]{0,30}(?:\/[A-Za-z0-9_+-]{1,30}){0,2}$/;
/**
 * Counting stops here: each step of cron-parser in a time zone costs
 * milliseconds, and a tick must not stall on an every-minute schedule
 * after a week down. The newest due time is found apart, whatever the count.
 */
export const MAX_DUE_TIMES = 100;

export function checkTimeZone(timeZone: string, field = 'timeZone'): string {
  if (!TIME_ZONE.test(timeZone)) throw new InputError(`body/${field} must be an IANA time zone such as UTC or Europe/Berlin`, { field });
  try {
    // Throws RangeError for a name the ICU data does not know.
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new InputError(`body/${field} "${timeZone}" is not a known IANA time zone`, { field });
  }
  return timeZone;
}

export function checkCron(cron: string, timeZone: string, field = 'cron'): string {
  const fields = cron.trim().split(/\s+/);
  if (cron.length > CRON_MAX || fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
    throw new InputError(`body/${field} must be a five-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 6 * * *"`, { field });
  }
  const normalised = fields.join(' ');
  try {
    // Parsing alone accepts some expressions that never fire (30 February); asking for a due time does not.
    cronParser.parseExpression(normalised, { tz: timeZone, currentDate: new Date() }).next();
  } catch (error) {
    throw new InputError(`body/${field} is not a valid cron expression: ${(error as Error).message}`, { field });
  }
  return normalised;
}

/** The first due time strictly after `after`. */
export function nextDue(cron: string, timeZone: string, after: Date): Date {
  return cronParser.parseExpression(cron, { tz: timeZone, currentDate: after }).next().toDate();
}

export interface DueTimes {
  /** The newest due time in [`from`, `until`], or null when none fell due. */
  latest: Date | null;
  /** How many due times fell in that span (counting stops at MAX_DUE_TIMES). */
  count: number;
  /** The count stopped at MAX_DUE_TIMES: there were at least that many. */
  capped: boolean;
  earliest: Date | null;
}

/** Due times from `from` (inclusive) to `until` (inclusive): what a scheduler that was away missed. */
export function dueBetween(cron: string, timeZone: string, from: Date, until: Date): DueTimes {
  const interval = cronParser.parseExpression(cron, { tz: timeZone, currentDate: new Date(from.getTime() - 1), endDate: until });
  let earliest: Date | null = null;
  let count = 0;
  while (count < MAX_DUE_TIMES && interval.hasNext()) {
    const due = interval.next().toDate();
    earliest ??= due;
    count++;
  }
  if (!earliest) return { latest: null, count: 0, earliest: null, capped: false };
  // Asked for apart: the count stops at MAX_DUE_TIMES, the newest due time must not.
  const latest = cronParser.parseExpression(cron, { tz: timeZone, currentDate: new Date(until.getTime() + 1) }).prev().toDate();
  return { latest, count, earliest, capped: count === MAX_DUE_TIMES && interval.hasNext() };
}
