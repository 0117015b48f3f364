import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Paths that may carry secrets anywhere in a log line. pino replaces them
 * before serialising, so a careless `log.info({ body })` cannot leak them.
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'body.password',
  'body.token',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'nexus' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
