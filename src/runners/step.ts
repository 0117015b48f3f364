import fs from 'node:fs/promises';
import path from 'node:path';
import type { LeaseRef, StepLease } from '../runbooks/runs/index.js';
import type { ExecSpec, Execution } from './exec.js';
import { secretSet } from './redact.js';

/*
 * What the local runner and the `nexus runner` agent do alike with a lease:
 * the same execution, the same heartbeat rhythm, the same closing line.
 * Only how they reach the queue differs (a method call or HTTP).
 */

/** The command's environment and redaction: the runner's base plus what the lease brings. */
export function execSpecFor(lease: StepLease, runner: { baseEnv: Record<string, string>; redact: readonly string[] }, cwd: string): ExecSpec {
  return {
    script: lease.script,
    env: { ...runner.baseEnv, ...lease.env },
    assigns: lease.assigns,
    timeoutSeconds: lease.timeoutSeconds,
    followStyle: lease.followStyle,
    expect: lease.expect,
    redact: secretSet([...lease.secrets, ...runner.redact]),
    cwd,
  };
}

/** Each run gets a working directory shared by its steps (a dump one step makes, the next uploads). */
export async function runWorkDir(root: string, runId: string): Promise<string> {
  const cwd = path.join(root, runId);
  await fs.mkdir(cwd, { recursive: true, mode: 0o700 });
  return cwd;
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
  /** This runner stopped the command itself because it could not renew the lease before it expired. */
  fenced(): boolean;
}

/**
 * The runner stops a command once this share of its lease has passed
 * without a renewal NEXUS confirmed: NEXUS's sweeper marks the step lost only
 * when the whole lease has passed, so the command is already being killed
 * (SIGTERM, SIGKILL 2 s later) by then, and a retry never runs beside it.
 */
export const FENCE_SHARE = 0.8;

/**
 * Heartbeats every third of the lease, and once at once (a cancel that
 * raced the start is in the row already). A lost lease or a cancel request
 * kills the process group; so does a lease that could not be renewed in
 * time (NEXUS unreachable): whoever cannot prove it still holds the lease
 * must stop, or a `lost` step could still be running when it is retried.
 */
export function keepLease(lease: StepLease, execution: Execution, beat: Beat): LeaseKeeper {
  let lost = false;
  let fenced = false;
  // Conservative: the lease was granted (server clock) before this runner received it.
  let renewedAt = Date.now();
  const fenceMs = lease.leaseSeconds * 1000 * FENCE_SHARE;
  const ref = { stepId: lease.stepId, leaseId: lease.leaseId };
  const once = async () => {
    // A renewal counts from when it was asked for: the server set the new expiry no earlier.
    const askedAt = Date.now();
    const state = await beat(ref, lease.leaseSeconds).catch(() => null);
    if (!state) return;
    if (state.held && !fenced) renewedAt = Math.max(renewedAt, askedAt);
    if (!state.held) lost = true;
    if (!state.held || state.cancelRequested) execution.cancel();
  };
  const fence = () => {
    if (lost || Date.now() - renewedAt <= fenceMs) return;
    lost = true;
    fenced = true;
    execution.cancel();
  };
  const timer = setInterval(() => void once(), Math.max(500, (lease.leaseSeconds * 1000) / 3));
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
