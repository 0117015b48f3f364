import { Redis } from 'ioredis';
import type { Logger } from './logger.js';
import { withTimeout } from './timeout.js';

/**
 * A Redis client for cache and rate limits that fails fast while Redis is
 * down (no offline queue, one try per command) and reconnects on its own.
 * Redis is never the only copy of anything, so failing fast is always safe.
 */
export function createRedis(url: string, logger: Logger, name: string): Redis {
  const client = new Redis(url, {
    connectionName: `nexus-${name}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    lazyConnect: false,
  });
  let down = false;
  client.on('error', (err) => {
    if (!down) logger.warn({ err, redis: name }, 'redis unavailable; serving degraded');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info({ redis: name }, 'redis is back');
    down = false;
  });
  return client;
}

export async function pingRedis(client: Redis, timeoutMs = 1000): Promise<void> {
  await withTimeout(client.ping(), timeoutMs);
}
