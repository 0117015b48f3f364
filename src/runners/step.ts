import type { LeaseRef, StepLease } from '../runbooks/index.js';
import type { ExecSpec, Execution } from './exec.js';
import { secretSet } from './redact.js';
import { prepareWorkDir, type Sandbox } from './sandbox.js';

/*
 * What the local runner and the `nexus runner` agent do alike with a lease:
 * the same execution, the same heartbeat rhythm, the same closing line.
 * Only how they reach the queue differs (a method call or HTTP).
 */

export interface RunnerSetup {
  baseEnv: Record<string, string>;
  redact: readonly string[];
  sandbox: Sandbox;
  workRoot: string;
}

/**
 * The command's environment and redaction: the runner's base plus what the
 * lease brings, nothing of the runner's own environment. Run as another
 * user, HOME is that user's home (or the run's directory): NEXUS's HOME is
 * not the command's to write.
 */
export function execSpecFor(lease: StepLease, runner: RunnerSetup, cwd: string): ExecSpec {
  const home: Record<string, string> = runner.sandbox.user ? { HOME: runner.sandbox.user.home ?? cwd } : {};
  return {
    script: lease.script,
    env: { ...runner.baseEnv, ...home, ...lease.env },
    assigns: lease.assigns,
    timeoutSeconds: lease.timeoutSeconds,
    followStyle: lease.followStyle,
    expect: lease.expect,
    redact: secretSet([...lease.secrets, ...runner.redact]),
    cwd,
    sandbox: runner.sandbox,
    workRoot: runner.workRoot,
  };
}

/** Each run gets a working directory shared by its steps (a dump one step makes, the next uploads). */
export async function runWorkDir(runner: RunnerSetup, runId: string): Promise<string> {
  return prepareWorkDir(runner.sandbox, runner.workRoot, runId);
}

export function followStopNotice(lease: StepLease): string {
  return `\n[nexus] stopped at its ${lease.timeoutSeconds} s timeout, as a follow-style command does\n`;
}

/** null: the runner could not ask (NEXUS unreachable); the lease has slack for the next beat. */
export type Beat = (ref: LeaseRef, leaseSeconds: number) => Promise<{ held: boolean; cancelRequested: boolean } | null>;

export interface LeaseKeeper {
  stop(): void;
  /** The lease is gone (swept, retried elsewhere) or could not be renewed in time: the result would be refused. */
  lost(): boolean;
  /** Set when the runner stopped the command itself because it could not renew the lease in time. */
  fenced(): string | null;
}

/**
 * The runner stops a command once this share of its lease has passed
 * without a renewal NEXUS confirmed. NEXUS's sweeper marks the step lost
 * only when the whole lease and a grace after it (LOST_GRACE_SECONDS) have
 * passed, so the command is already dead (SIGTERM, SIGKILL 2 s later) by
 * then, and a retry never runs beside it.
 */
export const FENCE_SHARE = 0.8;

/**
 * Heartbeats every third of the lease, and once at once (a cancel that
 * raced the start is in the row already). A lost lease or a cancel request
 * kills the process group; so does a lease that could not be renewed in time
 * (self-fencing, above). Time counts from when the last renewal that NEXUS
 * answered was *sent*, which is never later than NEXUS's own start of that lease.
 */
export function keepLease(lease: StepLease, execution: Execution, beat: Beat): LeaseKeeper {
  let lost = false;
  let fenced: string | null = null;
  const leaseMs = lease.leaseSeconds * 1000;
  const fenceMs = leaseMs * FENCE_SHARE;
  let renewedAt = Date.now();
  const ref = { stepId: lease.stepId, leaseId: lease.leaseId };
  const once = async () => {
    const sent = Date.now();
    const state = await beat(ref, lease.leaseSeconds).catch(() => null);
    if (!state) return;
    if (state.held) renewedAt = Math.max(renewedAt, sent);
    if (!state.held) lost = true;
    if (!state.held || state.cancelRequested) execution.cancel();
  };
  const fence = () => {
    if (fenced !== null || Date.now() - renewedAt < fenceMs) return;
    fenced = `the runner could not renew its lease for ${Math.round(fenceMs / 100) / 10} s of its ${lease.leaseSeconds} s (NEXUS unreachable) and stopped the command`;
    execution.cancel();
  };
  const timer = setInterval(() => void once(), Math.max(500, leaseMs / 3));
  // Checked apart from the heartbeats: a heartbeat that hangs must not hold the fence open.
  const fenceTimer = setInterval(fence, Math.max(50, Math.min(1000, fenceMs / 10)));
  void once();
  return {
    stop: () => {
      clearInterval(timer);
      clearInterval(fenceTimer);
    },
    lost: () => lost,
    fenced: () => fenced,
  };
}
