import { InvalidArgumentError } from 'commander';
import type { AuditOutcome } from '../platform/audit/service.js';
import { ROLES, isRole, type Role } from '../platform/auth/roles.js';

/*
 * Argument parsers for commander's argParser: they run before any request,
 * so a typo fails fast with EXIT.usage and commander names the argument
 * ("option '--role <role>' argument 'boss' is invalid. …").
 */

export function parseRole(value: string): Role {
  if (!isRole(value)) throw new InvalidArgumentError(`must be one of: ${ROLES.join(', ')}`);
  return value;
}

export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

// A Record, not an array, so the compiler insists on every outcome the server knows.
const OUTCOMES: Record<AuditOutcome, true> = { success: true, denied: true, rejected: true, error: true };

export function parseOutcome(value: string): AuditOutcome {
  if (!Object.hasOwn(OUTCOMES, value)) throw new InvalidArgumentError(`must be one of: ${Object.keys(OUTCOMES).join(', ')}`);
  return value as AuditOutcome;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const RELATIVE = /^(\d+)([smhd])$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A length of time like "90s", "30m", "24h", "7d" (or "0"), in whole seconds, at most `maxSeconds`. */
export function durationUpTo(maxSeconds: number): (value: string) => number {
  return (value) => {
    const parts = value === '0' ? ['0', '0', 's'] : RELATIVE.exec(value);
    const seconds = parts ? (Number(parts[1]) * (UNIT_MS[parts[2]!] ?? 0)) / 1000 : NaN;
    if (!Number.isSafeInteger(seconds) || seconds > maxSeconds) {
      throw new InvalidArgumentError(`must be a length of time like 30m, 24h or 7d, at most ${maxSeconds / 86_400} days`);
    }
    return seconds;
  };
}

/** Date parsing rolls 2025-02-30 over to March; a typo should fail instead. */
function isCalendarDate(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
}

/**
 * An ISO 8601 date or date-time ("2025-03-01", "2025-03-01T12:00:00Z"), or an
 * age like "15m", "2h", "7d" meaning that long ago. Answers the RFC 3339 form
 * the API requires. A date-time without an offset is UTC, so the same command
 * means the same thing on every machine.
 */
export function parseTime(value: string, now: () => Date = () => new Date()): string {
  const relative = RELATIVE.exec(value);
  if (relative) return new Date(now().getTime() - Number(relative[1]) * (UNIT_MS[relative[2]!] ?? 0)).toISOString();
  if (!ISO_DATE.test(value)) {
    throw new InvalidArgumentError('must be an ISO 8601 date or date-time (2025-03-01, 2025-03-01T12:00:00Z) or an age (15m, 2h, 7d)');
  }
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const normalised = value.replace(' ', 'T') + (value.length > 10 && !hasOffset ? 'Z' : '');
  const date = new Date(normalised);
  if (Number.isNaN(date.getTime()) || !isCalendarDate(value)) throw new InvalidArgumentError('is not a real date');
  return date.toISOString();
}
