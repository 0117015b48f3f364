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
  /** The lease is gone (swept, retried elsewhere): the result would be refused. */
  lost(): boolean;
}

/**
 * Heartbeats every third of the lease, and once at once (a cancel that
 * raced the start is in the row already). A lost lease or a cancel request
 * kills the process group.
 */
export function keepLease(lease: StepLease, execution: Execution, beat: Beat): LeaseKeeper {
  let lost = false;
  const ref = { stepId: lease.stepId, leaseId: lease.leaseId };
  const once = async () => {
    const state = await beat(ref, lease.leaseSeconds).catch(() => null);
    if (!state) return;
    if (!state.held) lost = true;
    if (!state.held || state.cancelRequested) execution.cancel();
  };
  const timer = setInterval(() => void once(), Math.max(500, (lease.leaseSeconds * 1000) / 3));
  void once();
  return { stop: () => clearInterval(timer), lost: () => lost };
}
