import type { CompletionReport, LeaseRef, StepLease } from '../runbooks/index.js';
import type { LeaseBody, OutputChunk } from './schema.js';

/** How a call failed, which decides what the agent does next. */
export type FailureKind =
  /** 401/403: the runner's credential was revoked, or is not a runner's; retrying will not help. */
  | 'unauthorized'
  /** Network, 5xx, 429: NEXUS is down, restarting or busy; try again with backoff. */
  | 'unavailable'
  /** Any other 4xx: this agent and this NEXUS disagree about the protocol. */
  | 'rejected';

export class RunnerApiError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'RunnerApiError';
  }
}

/** The four calls of the runner protocol; `false`/`held: false`/`accepted: false` mean the lease is gone (409). */
export interface RunnerApi {
  lease(body: LeaseBody, signal: AbortSignal): Promise<StepLease | null>;
  heartbeat(ref: LeaseRef): Promise<{ held: boolean; cancelRequested: boolean }>;
  output(ref: LeaseRef, chunks: OutputChunk[]): Promise<boolean>;
  complete(ref: LeaseRef, report: CompletionReport): Promise<{ accepted: boolean; state: string | null; message?: string }>;
}

/** Beyond the long-poll itself: a proxy or NEXUS that holds a request this much longer is not answering. */
const SLACK_MS = 15_000;
const CALL_TIMEOUT_MS = 20_000;

function reasonOf(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'no answer in time';
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** The agent's side of `/api/v1/runners/*`, over fetch (keep-alive connections, so a beat is one round trip). */
export class RunnerHttp implements RunnerApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async lease(body: LeaseBody, signal: AbortSignal): Promise<StepLease | null> {
    const timeout = AbortSignal.timeout((body.waitMs ?? 0) + SLACK_MS);
    const { status, body: answer } = await this.call('/api/v1/runners/lease', body, AbortSignal.any([signal, timeout]));
    return status === 204 ? null : (answer as StepLease);
  }

  async heartbeat(ref: LeaseRef): Promise<{ held: boolean; cancelRequested: boolean }> {
    const { status, body } = await this.call(`/api/v1/runners/steps/${ref.stepId}/heartbeat`, { leaseId: ref.leaseId }, undefined, [409]);
    return status === 409 ? { held: false, cancelRequested: false } : (body as { held: boolean; cancelRequested: boolean });
  }

  async output(ref: LeaseRef, chunks: OutputChunk[]): Promise<boolean> {
    const { status } = await this.call(`/api/v1/runners/steps/${ref.stepId}/output`, { leaseId: ref.leaseId, chunks }, undefined, [409]);
    return status !== 409;
  }

  async complete(ref: LeaseRef, report: CompletionReport): Promise<{ accepted: boolean; state: string | null; message?: string }> {
    const { status, body } = await this.call(`/api/v1/runners/steps/${ref.stepId}/complete`, { leaseId: ref.leaseId, ...report }, undefined, [409]);
    if (status === 409) {
      const error = (body as { error?: { message?: string; details?: { state?: string | null } } }).error;
      return { accepted: false, state: error?.details?.state ?? null, ...(error?.message ? { message: error.message } : {}) };
    }
    return body as { accepted: boolean; state: string };
  }

  private async call(path: string, body: unknown, signal?: AbortSignal, expected: number[] = []): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: signal ?? AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
    } catch (error) {
      throw new RunnerApiError('unavailable', null, `cannot reach NEXUS at ${this.baseUrl}: ${reasonOf(error)}`);
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown = null;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // A proxy's HTML error page: the status says enough.
    }
    if (response.ok || expected.includes(response.status)) return { status: response.status, body: parsed };
    throw this.failure(response.status, parsed, path);
  }

  private failure(status: number, body: unknown, path: string): RunnerApiError {
    const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
    const detail = typeof message === 'string' ? message : `HTTP ${status}`;
    if (status === 401 || status === 403) return new RunnerApiError('unauthorized', status, `NEXUS refused the runner's credential (${status}): ${detail}`);
    if (status === 429 || status >= 500) return new RunnerApiError('unavailable', status, `NEXUS at ${this.baseUrl} is unavailable (${status}): ${detail}`);
    return new RunnerApiError('rejected', status, `NEXUS rejected POST ${path} (${status}): ${detail}`);
  }
}
