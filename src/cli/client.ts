import type { Static, TSchema } from 'typebox';
// Type-only imports: the CLI reuses the server's schemas as types without
// loading the server (argon2, drivers) at runtime, which keeps startup fast.
import type { AuditEntrySchema } from '../platform/audit/routes.js';
import type {
  ApiToken,
  CreatedToken,
  CreateTokenBody,
  CreateUserBody,
  LoginBody,
  LoginResponse,
  Me,
  UpdateUserBody,
  User,
} from '../platform/auth/schema.js';
import type { ErrorResponse, Page } from '../platform/http/schemas.js';
import type { CreateRunBody, ImportBody, ImportResponse, LintReport, Run, Runbook, RunbookDetail, RunbookVersion, RunStep, StepsResponse } from '../runbooks/index.js';
import type { CreatedEnrolment, CreateEnrolmentBody, EnrolResponse, RunnerSchema, RunnerSelf } from '../runners/index.js';
import type { Rotation, RotateBody } from '../maintenance/index.js';
import { CliError, EXIT } from './output.js';

export type UserView = Static<typeof User>;
export type ApiTokenView = Static<typeof ApiToken>;
export type CreatedTokenView = Static<typeof CreatedToken>;
export type AuditEntryView = Static<typeof AuditEntrySchema>;
export type MeView = Static<typeof Me>;
export type LoginResult = Static<typeof LoginResponse>;
export type RunbookView = Static<typeof Runbook>;
export type RunbookDetailView = Static<typeof RunbookDetail>;
export type RunbookImportResult = Static<typeof ImportResponse>;
export type RunView = Static<typeof Run>;
export type RunStepView = Static<typeof RunStep>;
export type CreateRunRequest = Static<typeof CreateRunBody>;
export type RunnerView = Static<typeof RunnerSchema>;
export type CreatedEnrolmentView = Static<typeof CreatedEnrolment>;
export type EnrolledView = Static<typeof EnrolResponse>;
export type RunnerSelfView = Static<typeof RunnerSelf>;
export type PageOf<T extends TSchema> = Static<ReturnType<typeof Page<T>>>;
type ErrorBody = Static<typeof ErrorResponse>;

export const DEFAULT_URL = 'http://127.0.0.1:8080';
/** Long enough for a slow first request on a cold PGlite, short enough that a hung proxy is noticed. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** The API's largest page (PageQuery's maximum); fewer round trips when walking a whole list. */
export const MAX_PAGE_SIZE = 500;

export interface AuditQuery {
  actor?: string;
  action?: string;
  target?: string;
  outcome?: string;
  since?: string;
  until?: string;
}

/** An array is the parameter repeated (`state=resolved&state=closed`). */
type Query = Record<string, string | number | string[] | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
}

/** The exit code a script can branch on, by HTTP status (see docs/cli.md). */
export function exitCodeForStatus(status: number): number {
  if (status === 400 || status === 413 || status === 415 || status === 422) return EXIT.usage;
  if (status === 401 || status === 403) return EXIT.unauthorized;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  // 429 is transient like a 503: the same command later may well succeed.
  if (status === 429 || status >= 500) return EXIT.unavailable;
  return EXIT.failure;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
};

/** undici hides the reason in `cause` (an AggregateError when it tried IPv6 and IPv4). */
function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown; errors?: Array<{ code?: unknown }> } }).cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  if (typeof code === 'string') return NETWORK_REASONS[code] ?? code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function isErrorBody(body: unknown): body is ErrorBody {
  const error = (body as { error?: { message?: unknown } } | null)?.error;
  return typeof error?.message === 'string';
}

/** One Server-Sent Event: `data` is the parsed JSON (`{id, type, at, data}` for bus events). */
export interface ServerEvent {
  id: string | null;
  event: string;
  data: unknown;
}

function parseEventBlock(block: string): ServerEvent | null {
  let id: string | null = null;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    // Comments (`: heartbeat`) keep proxies from closing an idle stream; nothing to report.
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return null;
  try {
    return { id, event, data: JSON.parse(data.join('\n')) as unknown };
  } catch {
    return null;
  }
}

/** The text/event-stream framing: blocks separated by a blank line. */
async function* parseEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const event = parseEventBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event) yield event;
    }
  }
}

/**
 * The one client every command uses. It speaks the public HTTP API only, so
 * the CLI works against any NEXUS it can reach and sees what scripts see.
 */
export class NexusClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly token: string | undefined,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    let parsed: URL;
    try {
      parsed = new URL(baseUrl);
    } catch {
      throw new CliError(`NEXUS_URL is not a URL: ${JSON.stringify(baseUrl)}`, EXIT.config);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new CliError(`NEXUS_URL must start with http:// or https://, got ${JSON.stringify(baseUrl)}`, EXIT.config);
    }
    // Keep any path prefix, for a NEXUS behind a reverse proxy at /nexus.
    this.baseUrl = parsed.href.replace(/\/+$/, '');
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): NexusClient {
    return new NexusClient(env.NEXUS_URL || DEFAULT_URL, env.NEXUS_TOKEN || undefined);
  }

  /** The same server and credential, waiting up to `timeoutMs` for an answer (backups and restores take minutes). */
  withTimeout(timeoutMs: number): NexusClient {
    return new NexusClient(this.baseUrl, this.token, timeoutMs);
  }

  /** The same server with another credential (after `login`). */
  withToken(token: string): NexusClient {
    return new NexusClient(this.baseUrl, token, this.timeoutMs);
  }

  login(body: Static<typeof LoginBody>): Promise<LoginResult> {
    return this.request('POST', '/api/v1/auth/login', { body });
  }

  me(): Promise<MeView> {
    return this.request('GET', '/api/v1/me');
  }

  listUsers(page: { limit?: number; cursor?: string } = {}): Promise<PageOf<typeof User>> {
    return this.request('GET', '/api/v1/users', { query: page });
  }

  getUser(id: string): Promise<UserView> {
    return this.request('GET', `/api/v1/users/${encodeURIComponent(id)}`);
  }

  createUser(body: Static<typeof CreateUserBody>): Promise<UserView> {
    return this.request('POST', '/api/v1/users', { body });
  }

  updateUser(id: string, body: Static<typeof UpdateUserBody>): Promise<UserView> {
    return this.request('PATCH', `/api/v1/users/${encodeURIComponent(id)}`, { body });
  }

  listTokens(page: { scope?: 'mine' | 'all'; limit?: number; cursor?: string } = {}): Promise<PageOf<typeof ApiToken>> {
    return this.request('GET', '/api/v1/tokens', { query: page });
  }

  createToken(body: Static<typeof CreateTokenBody>): Promise<CreatedTokenView> {
    return this.request('POST', '/api/v1/tokens', { body });
  }

  revokeToken(id: string): Promise<ApiTokenView> {
    return this.request('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`);
  }

  rotateSecrets(body: RotateBody): Promise<Rotation> {
    return this.request('POST', '/api/v1/secrets/rotate', { body });
  }

  listRotations(page: { limit?: number; cursor?: string } = {}): Promise<{ items: Rotation[]; next: string | null }> {
    return this.request('GET', '/api/v1/secrets/rotations', { query: page });
  }

  createEnrolment(body: Static<typeof CreateEnrolmentBody>): Promise<CreatedEnrolmentView> {
    return this.request('POST', '/api/v1/runners/enrolments', { body });
  }

  /** Anonymous: the enrolment token in the body is the credential. */
  enrol(enrolmentToken: string): Promise<EnrolledView> {
    return this.request('POST', '/api/v1/runners/enrol', { body: { enrolmentToken } });
  }

  listRunners(page: { limit?: number; cursor?: string } = {}): Promise<PageOf<typeof RunnerSchema>> {
    return this.request('GET', '/api/v1/runners', { query: page });
  }

  revokeRunner(id: string): Promise<RunnerView> {
    return this.request('DELETE', `/api/v1/runners/${encodeURIComponent(id)}`);
  }

  /** With a runner credential: who this runner is to NEXUS. */
  runnerSelf(): Promise<RunnerSelfView> {
    return this.request('GET', '/api/v1/runners/me');
  }

  listAudit(filter: AuditQuery & { limit?: number; cursor?: string }): Promise<PageOf<typeof AuditEntrySchema>> {
    return this.request('GET', '/api/v1/audit', { query: { ...filter } });
  }

  listRunbooks(page: { limit?: number; cursor?: string } = {}): Promise<PageOf<typeof Runbook>> {
    return this.request('GET', '/api/v1/runbooks', { query: page });
  }

  /** By id or slug; the latest version unless `version` is given. */
  getRunbook(ref: string, version?: number): Promise<RunbookDetailView> {
    return this.request('GET', `/api/v1/runbooks/${encodeURIComponent(ref)}`, { query: { version } });
  }

  /** The server's lint: its own database and Prometheus checks included; nothing is stored. */
  lintRunbook(source: string): Promise<LintReport> {
    return this.request('POST', '/api/v1/runbooks/lint', { body: { source } });
  }

  importRunbook(body: Static<typeof ImportBody>): Promise<RunbookImportResult> {
    return this.request('POST', '/api/v1/runbooks', { body });
  }

  listRunbookVersions(ref: string, page: { limit?: number; cursor?: string } = {}): Promise<PageOf<typeof RunbookVersion>> {
    return this.request('GET', `/api/v1/runbooks/${encodeURIComponent(ref)}/versions`, { query: page });
  }

  createRun(body: CreateRunRequest): Promise<RunView> {
    return this.request('POST', '/api/v1/runs', { body });
  }

  getRun(id: string): Promise<RunView> {
    return this.request('GET', `/api/v1/runs/${encodeURIComponent(id)}`);
  }

  /** `key` is a command id, or a step id meaning each of its pending commands; answers the commands it moved. */
  requestStep(runId: string, key: string): Promise<Static<typeof StepsResponse>> {
    return this.request('POST', `/api/v1/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(key)}/run`, { body: {} });
  }

  /**
   * `GET /api/v1/events` (Server-Sent Events) for the given type prefixes.
   * Resolves once the server has answered, which is after it subscribed
   * this stream to the bus: an action taken after that cannot be missed.
   * Only the connection has a timeout; the stream then lasts until the
   * server ends it or `signal` aborts.
   */
  async openEvents(types: string, options: { lastEventId?: string; signal?: AbortSignal } = {}): Promise<AsyncGenerator<ServerEvent>> {
    const url = new URL(`${this.baseUrl}/api/v1/events`);
    url.searchParams.set('types', types);
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
    const connecting = AbortSignal.timeout(this.timeoutMs);
    const controller = new AbortController();
    const abort = () => controller.abort();
    connecting.addEventListener('abort', abort, { once: true });
    options.signal?.addEventListener('abort', abort, { once: true });
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: controller.signal });
    } catch (error) {
      throw new CliError(`cannot reach NEXUS at ${this.baseUrl}: ${networkReason(connecting.aborted ? connecting.reason : error)}`, EXIT.unavailable);
    } finally {
      connecting.removeEventListener('abort', abort);
    }
    if (!response.ok || !response.body) return this.parse<never>(response, 'GET', '/api/v1/events');
    return parseEventStream(response.body);
  }

  /**
   * Every item of a cursor-paged list, fetching pages as the caller consumes
   * them; `max` stops early without fetching pages nobody will read.
   */
  async *paginate<T>(
    fetchPage: (page: { limit: number; cursor?: string }) => Promise<{ items: T[]; next: string | null }>,
    max = Infinity,
  ): AsyncGenerator<T> {
    let cursor: string | undefined;
    let seen = 0;
    do {
      const limit = Math.min(MAX_PAGE_SIZE, max - seen);
      const page = await fetchPage(cursor === undefined ? { limit } : { limit, cursor });
      for (const item of page.items) {
        yield item;
        if (++seen >= max) return;
      }
      cursor = page.next ?? undefined;
    } while (cursor !== undefined);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
      else if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new CliError(`cannot reach NEXUS at ${this.baseUrl}: ${networkReason(error)}`, EXIT.unavailable);
    }
    return this.parse<T>(response, method, path);
  }

  private async parse<T>(response: Response, method: string, path: string): Promise<T> {
    const text = await response.text();
    let body: unknown = undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        // A proxy's HTML error page, say; reported below by status.
      }
    }
    if (response.ok) {
      if (response.status !== 204 && body === undefined) {
        throw new CliError(`${method} ${path}: NEXUS at ${this.baseUrl} answered ${response.status} without JSON`, EXIT.failure);
      }
      return body as T;
    }
    throw this.failure(response.status, body, path);
  }

  private failure(status: number, body: unknown, path: string): CliError {
    const exitCode = exitCodeForStatus(status);
    const serverMessage = isErrorBody(body) ? body.error.message : undefined;
    if (status >= 500 || serverMessage === undefined) {
      const detail = serverMessage ?? `HTTP ${status}`;
      return new CliError(`NEXUS at ${this.baseUrl} failed: ${detail}`, exitCode);
    }
    if (status === 401 && !this.token && path !== '/api/v1/auth/login') {
      return new CliError(`${serverMessage} (NEXUS_TOKEN is not set; see \`nexus login\`)`, exitCode);
    }
    return new CliError(serverMessage, exitCode);
  }
}
