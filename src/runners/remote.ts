import { ConflictError, NotAllowedError } from '../platform/errors.js';
import type { DomainEvent, EventBus } from '../platform/events/index.js';
import type { RunnerPrincipal } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import type { CompletionReport, LeaseRef, StepLease, StepQueue } from '../runbooks/index.js';
import { LeaseContexts, type LeaseContext } from './lease-context.js';
import { RUNNER_REVOKED, type RunnerRegistry } from './registry.js';
import { DEFAULT_LEASE_WAIT_MS, type LeaseBody, type OutputChunk } from './schema.js';

export interface RemoteRunnersDeps {
  queue: StepQueue;
  registry: RunnerRegistry;
  bus: EventBus;
  logger: Logger;
  /** NEXUS's own secrets (RunsConfig.redactValues): redacted from remote output too, never sent to runners. */
  redact: () => readonly string[];
  outputLimitBytes: number;
}

interface Poll {
  /** `<name>:<instance>`, as steps and the audit log show it. */
  runnerId: string;
  runner: RunnerPrincipal;
  abort: AbortController;
}

/** How steps and the audit log name one process of an enrolled runner. */
export function displayId(runner: RunnerPrincipal, instance: string | undefined): string {
  return instance ? `${runner.name}:${instance}` : runner.name;
}

/** Leases remembered with their holder; past this many the memory starts over (the table has them all). */
const HOLDERS_MAX = 10_000;

/**
 * A lease lists every secret of its run, as values to redact; a remote
 * runner is sent only those in its own step's environment (a connection
 * string's password is in it too). The others may be meant for a step
 * targeted at another runner: an untargeted step must not carry them to
 * whichever runner takes it (issue 14, point 3).
 */
function withOwnSecrets(lease: StepLease): StepLease {
  const values = Object.values(lease.env);
  return { ...lease, secrets: lease.secrets.filter((secret) => values.some((value) => value.includes(secret))) };
}

function gone(stepId: string, state: string | null): ConflictError {
  const now = state === null ? 'its lease expired, or it was cancelled, retried or finished' : `the step is ${state}`;
  return new ConflictError(`This runner no longer holds step ${stepId} (${now}): stop the command and drop its result`, { state });
}

/**
 * The server side of `nexus runner` agents: the runs queue (StepQueue) over
 * HTTP, for enrolled runners only. Long-polls end early when their client
 * disconnects, when NEXUS shuts down, or when the runner is revoked (it is
 * refused at its next call, not up to 30 s later).
 */
export class RemoteRunners {
  private readonly polls = new Set<Poll>();
  /** lease id → the enrolled runner that took it (runner_leases, cached). */
  private readonly holders = new Map<string, string>();
  private readonly contexts: LeaseContexts;
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly deps: RemoteRunnersDeps) {
    this.contexts = new LeaseContexts(deps.queue, deps.redact, deps.outputLimitBytes * 4);
    this.unsubscribe = deps.bus.subscribe((event) => this.onCredentialChange(event));
  }

  /**
   * The labels matched are the runner's own, from its enrolment: a step
   * (and the secrets it opens) reaches only a runner the run's selector names.
   */
  async lease(runner: RunnerPrincipal, body: LeaseBody, clientGone: AbortSignal): Promise<StepLease | null> {
    if (this.closed) return null;
    const runnerId = displayId(runner, body.instance);
    const poll: Poll = { runnerId, runner, abort: new AbortController() };
    const signal = AbortSignal.any([clientGone, poll.abort.signal]);
    this.polls.add(poll);
    try {
      const lease = await this.deps.queue.leaseStep(runnerId, runner.labels, { waitMs: body.waitMs ?? DEFAULT_LEASE_WAIT_MS, signal });
      if (!lease) return null;
      const ref = { stepId: lease.stepId, leaseId: lease.leaseId };
      let bound = false;
      if (!signal.aborted) {
        bound = await this.deps.registry.bindLease(runner.id, lease.stepId, lease.leaseId).then(
          () => true,
          (err: unknown) => {
            this.deps.logger.error({ err, runnerId, stepId: lease.stepId }, 'could not record which runner holds a lease');
            return false;
          },
        );
      }
      if (!bound || signal.aborted) {
        // Nobody will receive this lease: give the step back rather than let it run into `lost`.
        const released = await this.deps.queue.release(ref);
        this.deps.logger.info({ runnerId, stepId: lease.stepId, released }, 'remote runner went away while being handed a step; step queued again');
        return null;
      }
      this.remember(lease.leaseId, runner.id);
      // The server redacts this runner's output with all of the run's secrets; the runner is sent only its step's.
      this.contexts.remember(lease, runnerId);
      return withOwnSecrets(lease);
    } finally {
      this.polls.delete(poll);
    }
  }

  async heartbeat(runner: RunnerPrincipal, ref: LeaseRef): Promise<{ held: true; cancelRequested: boolean }> {
    await this.assertHolder(runner, ref);
    const answer = await this.deps.queue.heartbeat(ref);
    if (!answer.held) {
      this.contexts.forget(ref.leaseId);
      throw gone(ref.stepId, null);
    }
    return { held: true, cancelRequested: answer.cancelRequested };
  }

  /** Redacted again here, published chunk by chunk, stored as one append. */
  async output(runner: RunnerPrincipal, ref: LeaseRef, chunks: OutputChunk[]): Promise<LeaseContext> {
    await this.assertHolder(runner, ref);
    const context = await this.held(ref);
    const text = this.contexts.accept(context, chunks);
    if (!(await this.deps.queue.appendOutput(ref, text))) {
      this.contexts.forget(ref.leaseId);
      throw gone(ref.stepId, null);
    }
    return context;
  }

  async complete(
    runner: RunnerPrincipal,
    ref: LeaseRef,
    report: CompletionReport,
  ): Promise<{ accepted: true; state: string; runId: string; droppedVariables: string[] }> {
    await this.assertHolder(runner, ref);
    const context = await this.held(ref);
    await this.deps.queue.appendOutput(ref, this.contexts.drain(context));
    const error = report.error === null ? null : this.contexts.redactText(context, report.error);
    const answer = await this.deps.queue.completeStep(context.runnerId, ref, { ...report, error });
    this.contexts.forget(ref.leaseId);
    this.holders.delete(ref.leaseId);
    if (!answer.accepted || answer.state === null) throw gone(ref.stepId, answer.state);
    return { accepted: true, state: answer.state, runId: context.lease.runId, droppedVariables: answer.droppedVariables };
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

  /**
   * A lease is the runner's that took it: another enrolled runner (or one
   * quoting a local runner's lease) is refused before anything is touched.
   */
  private async assertHolder(runner: RunnerPrincipal, ref: LeaseRef): Promise<void> {
    let holder = this.holders.get(ref.leaseId) ?? null;
    if (holder === null) {
      holder = await this.deps.registry.leaseHolder(ref.leaseId);
      if (holder !== null) this.remember(ref.leaseId, holder);
    }
    if (holder !== runner.id) {
      throw new NotAllowedError(`Runner ${runner.name} does not hold lease ${ref.leaseId}: only the runner that took a lease may report on it`, {
        stepId: ref.stepId,
      });
    }
  }

  private remember(leaseId: string, runnerId: string): void {
    if (this.holders.size >= HOLDERS_MAX) this.holders.clear();
    this.holders.set(leaseId, runnerId);
  }

  private async held(ref: LeaseRef): Promise<LeaseContext> {
    const found = await this.contexts.get(ref);
    if ('state' in found) throw gone(ref.stepId, found.state);
    return found.context;
  }

  /** The next call authenticates afresh; a revoked runner then gets its 401 at once. */
  private onCredentialChange(event: DomainEvent): void {
    if (event.type !== RUNNER_REVOKED) return;
    const id = (event.data as { id?: unknown } | null)?.id;
    for (const poll of this.polls) if (poll.runner.id === id) poll.abort.abort();
  }
}
