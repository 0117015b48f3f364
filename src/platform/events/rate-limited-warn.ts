import type { Logger } from '../logger.js';

const WARN_INTERVAL_MS = 30_000;

/** One warning per interval while a failure lasts, with how many were held back. */
export function rateLimitedWarn(logger: Logger): (fields: Record<string, unknown>, message: string) => void {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (fields, message) => {
    const now = Date.now();
    if (now - lastAt < WARN_INTERVAL_MS) {
      suppressed++;
      return;
    }
    logger.warn({ ...fields, suppressedSinceLastWarning: suppressed }, message);
    lastAt = now;
    suppressed = 0;
  };
}
