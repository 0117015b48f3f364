import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.js';

/** The typed HTTP client: `api.GET('/api/v1/incidents/{id}', { params: { path: { id } } })`. */
export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** The session's bearer token, read at each request (it changes on sign-in and sign-out). */
  getToken: () => string | null;
  /** Called when the server refuses a token we sent: the session has ended (expired, revoked, user disabled). */
  onUnauthorized: () => void;
  /** Same origin by default; tests may point elsewhere. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

/**
 * An error the API answered with, or the network failure that stopped the
 * request. `message` is meant for people: the server's own words from
 * `{"error":{"code","message","details"}}` when it sent them.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The server's error code (`not_found`, `validation_failed`, …), or `network` / `http_<status>`. */
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
  }

  /** Not worth retrying: the same request will get the same answer. */
  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const error = (body as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

export function apiErrorFrom(response: Response, body: unknown): ApiError {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  if (isErrorBody(body)) return new ApiError(response.status, body.error.code, body.error.message, body.error.details, requestId);
  // Not NEXUS's shape: a proxy in between (nginx 502), or a server that is not NEXUS.
  const reason = response.statusText ? ` ${response.statusText}` : '';
  return new ApiError(response.status, `http_${response.status}`, `The server answered ${response.status}${reason}`, undefined, requestId);
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl ?? '', ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use({
    onRequest({ request }) {
      const token = options.getToken();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ request, response }) {
      // Only a refused token ends the session: a wrong password at sign-in is a 401 without one.
      if (response.status === 401 && request.headers.has('authorization')) options.onUnauthorized();
      return response;
    },
  });
  return client;
}

interface Outcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}
/** What a successful call returns; `undefined` for a 204. */
type DataOf<R extends Outcome> = [Exclude<R['data'], undefined>] extends [never] ? undefined : Exclude<R['data'], undefined>;

/**
 * The body of a successful call, or an ApiError. Every query and mutation
 * goes through this, so components only ever see data or an ApiError:
 * `queryFn: ({ signal }) => unwrap(api.GET('/api/v1/me', { signal }))`.
 */
export async function unwrap<R extends Outcome>(pending: Promise<R>): Promise<DataOf<R>> {
  let outcome: R;
  try {
    outcome = await pending;
  } catch (error) {
    // A cancelled query (TanStack Query aborts the signal) is not a failure to report.
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'Could not reach the NEXUS server. Check the network connection and try again.');
  }
  if (!outcome.response.ok) throw apiErrorFrom(outcome.response, outcome.error);
  return outcome.data as DataOf<R>;
}

/** Any error, in words a person can act on. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong, and the console could not tell what.';
}
