import { ConflictError } from '../platform/errors.js';
import type { DomainEvent, EventBus } from '../platform/events/index.js';
import type { Principal } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import type { CompletionReport, LeaseRef, StepLease, StepQueue } from '../runbooks/runs/index.js';
import { LeaseContexts, type LeaseContext } from './lease-context.js';
import { DEFAULT_LEASE_WAIT_MS, type LeaseBody, type OutputChunk } from './schema.js';

export interface RemoteRunnersDeps {
  queue: StepQueue;
  bus: EventBus;
  logger: Logger;
  /** NEXUS's own secrets (RunsConfig.redactValues): redacted from remote output too, never sent to runners. */
  redact: string[];
  outputLimitBytes: number;
}

interface Poll {
  runnerId: string;
  principal: Principal;
  abort: AbortController;
}

/** Events after which a waiting long-poll must not go on under credentials that may be gone. */
const CREDENTIAL_EVENTS = new Set(['token.revoked', 'user.updated', 'user.sessions_revoked']);

function gone(stepId: string, state: string | null): ConflictError {
  const now = state === null ? 'its lease expired, or it was cancelled, retried or finished' : `the step is ${state}`;
  return new ConflictError(`This runner no longer holds step ${stepId} (${now}): stop the command and drop its result`, { state });
}

/**
 * The server side of `nexus runner` agents: the runs queue (StepQueue) over
 * HTTP. Long-polls end early when their client disconnects, when NEXUS
 * shuts down, or when the caller's credentials change (a revoked runner
 * token is refused at its next call, not up to 30 s later).
 */
export class RemoteRunners {
  private readonly polls = new Set<Poll>();
  private readonly contexts: LeaseContexts;
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly deps: RemoteRunnersDeps) {
    this.contexts = new LeaseContexts(deps.queue, deps.redact, deps.outputLimitBytes * 4);
    this.unsubscribe = deps.bus.subscribe((event) => this.onCredentialChange(event));
  }

  async lease(principal: Principal, body: LeaseBody, clientGone: AbortSignal): Promise<StepLease | null> {
    if (this.closed) return null;
    const poll: Poll = { runnerId: body.runnerId, principal, abort: new AbortController() };
    const signal = AbortSignal.any([clientGone, poll.abort.signal]);
    this.polls.add(poll);
    try {
      let waitMs = body.waitMs ?? DEFAULT_LEASE_WAIT_MS;
      // A credential that expires mid-wait must not be handed a step afterwards.
      if (principal.expiresAt !== undefined) waitMs = Math.max(0, Math.min(waitMs, principal.expiresAt - Date.now()));
      const lease = await this.deps.queue.leaseStep(body.runnerId, body.labels, { waitMs, signal });
      if (!lease) return null;
      if (signal.aborted) {
        // Nobody will receive this lease: give the step back rather than let it run into `lost`.
        const released = await this.deps.queue.release({ stepId: lease.stepId, leaseId: lease.leaseId });
        this.deps.logger.info({ runnerId: body.runnerId, stepId: lease.stepId, released }, 'remote runner went away while being handed a step; step queued again');
        return null;
      }
      this.contexts.remember(lease, body.runnerId);
      return lease;
    } finally {
      this.polls.delete(poll);
    }
  }

  async heartbeat(ref: LeaseRef): Promise<{ held: true; cancelRequested: boolean }> {
    const answer = await this.deps.queue.heartbeat(ref);
    if (!answer.held) {
      this.contexts.forget(ref.leaseId);
      throw gone(ref.stepId, null);
    }
    return { held: true, cancelRequested: answer.cancelRequested };
  }

  /** Redacted again here, published chunk by chunk, stored as one append. */
  async output(ref: LeaseRef, chunks: OutputChunk[]): Promise<LeaseContext> {
    const context = await this.held(ref);
    const text = this.contexts.accept(context, chunks);
    if (!(await this.deps.queue.appendOutput(ref, text))) {
      this.contexts.forget(ref.leaseId);
      throw gone(ref.stepId, null);
    }
    return context;
  }

  async complete(ref: LeaseRef, report: CompletionReport): Promise<{ accepted: true; state: string; runId: string }> {
    const context = await this.held(ref);
    await this.deps.queue.appendOutput(ref, this.contexts.drain(context));
    const error = report.error === null ? null : this.contexts.redactText(context, report.error);
    const answer = await this.deps.queue.completeStep(context.runnerId, ref, { ...report, error });
    this.contexts.forget(ref.leaseId);
    if (!answer.accepted || answer.state === null) throw gone(ref.stepId, answer.state);
    return { accepted: true, state: answer.state, runId: context.lease.runId };
  }

  /** Runner ids with a long-poll waiting here now (for tests and, later, a runner list). */
  polling(): string[] {
    return [...this.polls].map((poll) => poll.runnerId);
  }

  /** Ends every waiting long-poll (before the server stops: their clients come back to another replica). */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const poll of this.polls) poll.abort.abort();
    this.contexts.close();
  }

  private async held(ref: LeaseRef): Promise<LeaseContext> {
    const found = await this.contexts.get(ref);
    if ('state' in found) throw gone(ref.stepId, found.state);
    return found.context;
  }

  /** The next call authenticates afresh; a revoked token then gets its 401 at once. */
  private onCredentialChange(event: DomainEvent): void {
    if (!CREDENTIAL_EVENTS.has(event.type)) return;
    const id = (event.data as { id?: unknown } | null)?.id;
    for (const poll of this.polls) {
      const { principal } = poll;
      const affected = event.type === 'token.revoked' ? principal.tokenId === id : principal.userId === id;
      if (affected) poll.abort.abort();
    }
  }
}
