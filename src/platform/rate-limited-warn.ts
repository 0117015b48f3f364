import type { Logger } from './logger.js';

/**
 * A warning logged at most once per interval while a failure lasts (a Redis or
 * database outage would otherwise write a line per retry), with how many were
 * held back since the last one.
 */
export function rateLimitedWarn(logger: Logger, intervalMs: number): (fields: Record<string, unknown>, message: string) => void {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (fields, message) => {
    const now = Date.now();
    if (now - lastAt < intervalMs) {
      suppressed++;
      return;
    }
    logger.warn({ ...fields, suppressedSinceLastWarning: suppressed }, message);
    lastAt = now;
    suppressed = 0;
  };
}
