import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { hasRole, type Role } from '../auth/roles.js';
import { AuthenticationError, LimitError } from '../errors.js';
import type { Principal } from '../http/types.js';
import type { EventBus } from './bus.js';
import { EVENTS_GAP_TYPE, type DomainEvent } from './event.js';

export interface EventRoutesOptions {
  bus: EventBus;
  /** Proxies drop idle streams (nginx `proxy_read_timeout` defaults to 60 s); a comment line keeps them open. */
  heartbeatMs?: number;
  /**
   * A client reading slower than events arrive is cut off once this much is
   * queued for it, rather than growing server memory without bound; it
   * reconnects with Last-Event-ID and resumes from the bus's buffer.
   */
  maxBufferedBytes?: number;
  /** Streams one user may hold open at once; one more is a 429 (issue 14: one viewer opened 20,000). */
  maxStreamsPerUser?: number;
  /** Streams open at once in this process, all users together. */
  maxStreams?: number;
}

export const DEFAULT_HEARTBEAT_MS = 15_000;
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_STREAMS_PER_USER = 16;
export const DEFAULT_MAX_STREAMS = 1000;
/** Browsers wait this long before reconnecting an EventSource. */
const RETRY_MS = 3000;

export const EventsQuery = Type.Object({
  types: Type.Optional(
    Type.String({ maxLength: 1000, description: 'Comma-separated event type prefixes, e.g. "user.,audit."; default all' }),
  ),
  access_token: Type.Optional(
    Type.String({ maxLength: 8192, description: 'Bearer token, for EventSource clients that cannot send headers' }),
  ),
});

function typePrefixes(types: string | undefined): string[] {
  return (types ?? '')
    .split(',')
    .map((prefix) => prefix.trim())
    .filter((prefix) => prefix !== '');
}

function visibleTo(role: Role, prefixes: string[]): (event: DomainEvent) => boolean {
  return (event) => {
    if (!hasRole(role, event.minRole)) return false;
    // A gap may have swallowed events of any type, so every stream must hear of it.
    if (event.type === EVENTS_GAP_TYPE) return true;
    return prefixes.length === 0 || prefixes.some((prefix) => event.type.startsWith(prefix));
  };
}

/** The bus validates types against a pattern without line breaks, so these lines cannot be split or forged. */
function formatEvent(event: DomainEvent): string {
  const name = event.type === EVENTS_GAP_TYPE ? 'reset' : event.type;
  const payload = JSON.stringify({ id: event.id, type: event.type, at: event.at, data: event.data });
  return `id: ${event.id}\nevent: ${name}\ndata: ${payload}\n\n`;
}

/** No `id:` line: the client's last id is unknown here anyway, and it is about to refetch everything. */
function formatReset(reason: string): string {
  return `event: reset\ndata: ${JSON.stringify({ reason })}\n\n`;
}

/**
 * The role is checked when a stream opens; a stream must not outlive the
 * right to it. A revoked token, a disabled user or a changed role ends it,
 * and the client's reconnect is authenticated afresh.
 */
function revokes(event: DomainEvent, principal: Principal): boolean {
  const data = event.data as { id?: unknown; role?: unknown; disabled?: unknown } | null;
  if (!data || typeof data !== 'object') return false;
  if (event.type === 'token.revoked') return principal.tokenId !== undefined && data.id === principal.tokenId;
  if (event.type === 'user.updated') {
    return data.id === principal.userId && (data.disabled === true || data.role !== principal.role);
  }
  return false;
}

function lastEventIdOf(request: FastifyRequest): string | undefined {
  const header = request.headers['last-event-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/** Hooks (request id, security headers, CORS) set headers on the reply; a hijacked reply must send them itself. */
function streamHeaders(reply: FastifyReply): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined && name.toLowerCase() !== 'content-length') headers[name] = value;
  }
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  headers['x-accel-buffering'] = 'no';
  return headers;
}

interface Stream {
  write(chunk: string): void;
  end(): void;
  ended(): boolean;
}

/** Takes the response away from Fastify and wires up teardown; `onEnd` runs exactly once. */
function openStream(reply: FastifyReply, maxBufferedBytes: number, onEnd: () => void): Stream {
  reply.hijack();
  const raw = reply.raw;
  let ended = false;
  const finish = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  const end = () => {
    // A stream's socket is never idle, so server.close() would wait for it forever; once our
    // last bytes are flushed, nothing more is owed on this connection.
    // Optional calls: app.inject() hands us a mock socket without these methods.
    const release = () => raw.socket?.destroySoon?.();
    if (raw.writableFinished) release();
    else raw.once('finish', release);
    if (!raw.writableEnded) raw.end();
    finish();
  };
  raw.on('close', finish);
  raw.on('error', finish);
  raw.socket?.setNoDelay?.(true);
  raw.writeHead(200, streamHeaders(reply));
  return {
    write(chunk) {
      if (ended || raw.writableEnded) return;
      raw.write(chunk);
      if (raw.writableLength > maxBufferedBytes) {
        reply.log.warn({ buffered: raw.writableLength }, 'SSE client is not reading; closing its stream');
        end();
      }
    },
    end,
    ended: () => ended,
  };
}

export const eventRoutes: FastifyPluginAsyncTypebox<EventRoutesOptions> = async (app, options) => {
  const { bus } = options;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const maxStreamsPerUser = options.maxStreamsPerUser ?? DEFAULT_MAX_STREAMS_PER_USER;
  const maxStreams = options.maxStreams ?? DEFAULT_MAX_STREAMS;
  const open = new Set<Stream>();
  /** Open streams by user id; a stream's slot is given back in its cleanup, however it ends. */
  const perUser = new Map<string, number>();

  // preClose, not only onClose: Fastify closes the HTTP server before onClose hooks run, and the
  // server waits for every open connection, so a stream still open then would hang close().
  const endAll = async () => {
    for (const stream of [...open]) stream.end();
  };
  app.addHook('preClose', endAll);
  app.addHook('onClose', endAll);

  app.get(
    '/api/v1/events',
    {
      config: { access: 'viewer', tokenInQuery: true },
      schema: {
        summary: 'Live updates as Server-Sent Events',
        description:
          'Each event has `id`, `event` (its type) and `data` (JSON). Send `Last-Event-ID` to resume; ' +
          '`event: reset` means events were missed and the client should refetch.',
        querystring: EventsQuery,
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      // The auth hook answers 401 first; this guards against the route ever being mounted without it.
      if (!principal) throw new AuthenticationError();
      const visible = visibleTo(principal.role, typePrefixes(request.query.types));
      const lastEventId = lastEventIdOf(request);
      const mine = perUser.get(principal.userId) ?? 0;
      if (mine >= maxStreamsPerUser) {
        throw new LimitError(`You already have ${mine} live-event streams open; the limit is ${maxStreamsPerUser} per user: close one first`, {
          limit: maxStreamsPerUser,
        });
      }
      if (open.size >= maxStreams) {
        throw new LimitError(`The server has ${open.size} live-event streams open, its limit: try again later`, { limit: maxStreams });
      }
      perUser.set(principal.userId, mine + 1);
      let released = false;
      const releaseSlot = () => {
        if (released) return;
        released = true;
        const left = (perUser.get(principal.userId) ?? 1) - 1;
        if (left > 0) perUser.set(principal.userId, left);
        else perUser.delete(principal.userId);
      };

      // Each entry is idempotent: teardown may run from the close event and again below.
      const teardown: (() => void)[] = [releaseSlot];
      const cleanup = () => {
        open.delete(stream);
        for (const release of teardown) release();
      };
      const stream: Stream = openStream(reply, maxBufferedBytes, cleanup);
      open.add(stream);
      stream.write(`retry: ${RETRY_MS}\n: connected\n\n`);

      // Nothing can publish between since() and subscribe() (no await, no handler runs in
      // between), so no event falls into a gap between the replay and the live feed.
      const replay = lastEventId === undefined ? [] : bus.since(lastEventId);
      if (replay === null) stream.write(formatReset('unknown-last-event-id'));
      else for (const event of replay) if (visible(event)) stream.write(formatEvent(event));
      teardown.push(
        bus.subscribe((event) => {
          if (revokes(event, principal)) stream.end();
          else if (visible(event)) stream.write(formatEvent(event));
        }),
      );
      const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), heartbeatMs);
      teardown.push(() => clearInterval(heartbeat));
      // The client may have gone (or been cut off as too slow) while we were setting up.
      if (stream.ended()) cleanup();
      return reply;
    },
  );
};
