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

/** `?access_token=` (SSE) and `?token=` (alert receivers) would otherwise be written to the request log. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:access_)?token=)[^&#]*/gi, '$1[redacted]');
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      serializers: {
        req: (req: LoggedRequest) => ({
          method: req.method,
          url: req.url === undefined ? undefined : redactUrl(req.url),
          host: req.host,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        }),
      },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'nexus' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
