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
  // Runner enrolment tokens (nxe_…) and runner credentials (nxr_…).
  'enrolmentToken',
  '*.enrolmentToken',
  'credential',
  '*.credential',
];

/**
 * `?access_token=` (SSE), `?token=` (alert receivers) and the signed token of
 * an acknowledge link (`…/ack-link/<token>`) would otherwise be written to the request log.
 */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:access_)?token=)[^&#]*/gi, '$1[redacted]').replace(/(\/ack-link\/)[^/?#]+/g, '$1[redacted]');
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

type LogFn = (...args: unknown[]) => void;
type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A request's logger, made only when a line is written at an enabled level.
 * pino's child() serialises and redacts the bindings at once: a cost every
 * request paid although, at `warn`, almost none writes a line. A class, so a
 * request costs one small object and no closures.
 */
export class LazyChildLogger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: pino.Bindings,
    private readonly options?: pino.ChildLoggerOptions,
  ) {}

  get level(): string {
    return (this.made ?? this.parent).level;
  }

  set level(value: string) {
    this.real().level = value;
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }

  error(...args: unknown[]): void {
    this.write('error', args);
  }

  warn(...args: unknown[]): void {
    this.write('warn', args);
  }

  info(...args: unknown[]): void {
    this.write('info', args);
  }

  debug(...args: unknown[]): void {
    this.write('debug', args);
  }

  trace(...args: unknown[]): void {
    this.write('trace', args);
  }

  silent(): void {}

  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): Logger {
    return this.real().child(bindings, options);
  }

  private real(): Logger {
    this.made ??= this.parent.child(this.bindings, this.options);
    return this.made;
  }

  private write(level: Level, args: unknown[]): void {
    if (this.made || this.parent.isLevelEnabled(level)) (this.real()[level] as LogFn)(...args);
  }
}

export function lazyChild(parent: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions): LazyChildLogger {
  return new LazyChildLogger(parent, bindings, options);
}
