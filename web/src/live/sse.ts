/**
 * The console's connection to `GET /api/v1/events` (Server-Sent Events).
 *
 * It reads the stream with fetch rather than EventSource, because
 * EventSource can neither send the bearer token in a header (it would have
 * to go in the URL, and from there into access logs), nor tell a refused
 * token (401: the session is over) from a network blip, nor be told to
 * resume from a given event after we reconnect it ourselves. Here every
 * reconnect sends `Last-Event-ID`, so the server replays what was missed
 * from its buffer, or answers `event: reset` when it cannot.
 *
 * No DOM types: the same code runs in the browser and under Node in tests.
 */

/** One event as the server sends it (src/platform/events/routes.ts formatEvent). */
export interface ServerEvent<T = unknown> {
  id: string;
  type: string;
  at: string;
  data: T;
}

/**
 * `connecting`: the first attempt; `connected`: the stream is open;
 * `reconnecting`: it dropped (or never opened) and we are retrying;
 * `offline`: the same, while the browser says there is no network.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * A parser for the `text/event-stream` format (WHATWG HTML, "Server-sent
 * events"): feed it decoded text in chunks of any size, get whole messages.
 */
export function createSseParser(onMessage: (message: SseMessage) => void): { push(text: string): void } {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let started = false;

  const handleLine = (line: string) => {
    if (line === '') {
      if (data.length > 0) onMessage({ id, event: event || 'message', data: data.join('\n') });
      data = [];
      event = '';
      id = undefined;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\u0000')) id = value;
    // `retry:` is ignored: reconnecting is ours to pace (see retryDelaysMs).
  };

  // A CR that ended the previous chunk may be the first half of a CRLF: then the LF is not a second line end.
  let skipLeadingLf = false;

  return {
    push(text) {
      buffer += text;
      if (!started && buffer.length > 0) {
        started = true;
        if (buffer.startsWith('\uFEFF')) buffer = buffer.slice(1);
      }
      if (skipLeadingLf && buffer.length > 0) {
        if (buffer.startsWith('\n')) buffer = buffer.slice(1);
        skipLeadingLf = false;
      }
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const char = buffer[i];
        if (char !== '\n' && char !== '\r') continue;
        const line = buffer.slice(start, i);
        if (char === '\r') {
          if (buffer[i + 1] === '\n') i++;
          else if (i === buffer.length - 1) skipLeadingLf = true;
        }
        start = i + 1;
        handleLine(line);
      }
      buffer = buffer.slice(start);
    },
  };
}

export interface LiveConnectionOptions {
  /** `/api/v1/events`, optionally with `?types=` prefixes. */
  url: string;
  /** Read before every (re)connect; null means signed out, and the connection stops. */
  getToken: () => string | null;
  onEvent: (event: ServerEvent) => void;
  /** The server could not replay what this client missed: everything shown may be stale. */
  onReset: () => void;
  onStateChange: (state: ConnectionState) => void;
  /** The server refused the token (expired, revoked, user disabled). The connection stops. */
  onUnauthorized: () => void;
  /** The browser's `navigator.onLine`; decides between `reconnecting` and `offline`. */
  isOnline?: () => boolean;
  fetch?: typeof fetch;
  /** Waits between attempts; the last one repeats. Each gets ±20 % jitter so clients do not reconnect in step. */
  retryDelaysMs?: readonly number[];
  /** The server sends a heartbeat every 15 s; this long without a byte means a dead connection (laptop sleep, NAT timeout). */
  idleTimeoutMs?: number;
  random?: () => number;
}

export interface LiveConnection {
  readonly state: ConnectionState;
  /** Drop the current attempt and connect now (the network is back, or the browser went offline and we want to know). */
  reconnectNow(): void;
  close(): void;
}

export const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 5000, 10_000, 15_000] as const;
export const DEFAULT_IDLE_TIMEOUT_MS = 45_000;

export function openLiveConnection(options: LiveConnectionOptions): LiveConnection {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const random = options.random ?? Math.random;

  let state: ConnectionState = 'connecting';
  let lastEventId: string | undefined;
  let failures = 0;
  let closed = false;
  // Each attempt has a number; an attempt that was superseded (reconnectNow, close) goes quiet.
  let generation = 0;
  let controller: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    options.onStateChange(next);
  };

  const dispatch = (message: SseMessage) => {
    if (message.id) lastEventId = message.id;
    if (message.event === 'reset') {
      options.onReset();
      return;
    }
    let event: ServerEvent;
    try {
      event = JSON.parse(message.data) as ServerEvent;
    } catch {
      return;
    }
    if (typeof event?.type === 'string') options.onEvent(event);
  };

  const stop = () => {
    closed = true;
    generation++;
    clearTimeout(retryTimer);
    clearTimeout(idleTimer);
    controller?.abort();
    controller = null;
  };

  const scheduleRetry = () => {
    const base = delays[Math.min(failures, delays.length - 1)] ?? 1000;
    failures++;
    setState(options.isOnline?.() === false ? 'offline' : 'reconnecting');
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void connect(), Math.round(base * (0.8 + 0.4 * random())));
  };

  async function connect(): Promise<void> {
    clearTimeout(retryTimer);
    controller?.abort();
    const mine = ++generation;
    const attempt = new AbortController();
    controller = attempt;
    const token = options.getToken();
    if (!token) {
      stop();
      options.onUnauthorized();
      return;
    }
    const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${token}` };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => attempt.abort(), idleTimeoutMs);
    };
    try {
      armIdle();
      const response = await fetchImpl(options.url, { headers, signal: attempt.signal });
      if (mine !== generation) return;
      if (response.status === 401) {
        await response.body?.cancel().catch(() => {});
        stop();
        options.onUnauthorized();
        return;
      }
      if (!response.ok || !response.body) throw new Error(`events stream answered ${response.status}`);
      failures = 0;
      setState('connected');
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const parser = createSseParser(dispatch);
      for (;;) {
        armIdle();
        const { done, value } = await reader.read();
        if (mine !== generation) return;
        if (done) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // A network failure, the idle timeout, or our own abort; the generation check below tells them apart.
    } finally {
      if (mine === generation) clearTimeout(idleTimer);
    }
    // The stream ended (server restart, token revoked, too slow a reader) or failed: try again.
    if (mine === generation && !closed) scheduleRetry();
  }

  void connect();
  return {
    get state() {
      return state;
    },
    reconnectNow() {
      if (closed) return;
      failures = 0;
      void connect();
    },
    close: stop,
  };
}
