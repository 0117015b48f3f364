import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { StreamRedactor } from './redact.js';
import { sandboxedCommand, UNSANDBOXED, type Sandbox } from './sandbox.js';

export type OutputStream = 'stdout' | 'stderr';

export interface ExecSpec {
  /** Shell text with placeholders already turned into environment references (runs/script.ts). */
  script: string;
  /** The whole environment of the command: nothing of the NEXUS process leaks in. */
  env: Record<string, string>;
  /** Variables to read back after the command ran (`BLUE_IP=$(…)`). */
  assigns: readonly string[];
  timeoutSeconds: number;
  /** `logs -f`, `watch`: reaching the timeout is how they end, not a failure. */
  followStyle: boolean;
  /** Text the output must contain for exit 0 to count as success. */
  expect: string | null;
  /** Secret values; from secretSet() (redact.ts). */
  redact: readonly string[];
  cwd: string;
  /** SIGTERM first; SIGKILL after this long. */
  killGraceMs?: number;
  /** Where and as whom it runs (sandbox.ts); none: as the NEXUS user, no namespaces. */
  sandbox?: Sandbox;
  /** The directory holding every run's work directory (hidden in a sandbox but for `cwd`); default: cwd's parent. */
  workRoot?: string;
}

export type ExecOutcome = 'exited' | 'timed-out' | 'stopped-at-timeout' | 'cancelled' | 'failed-to-start';

export interface ExecResult {
  outcome: ExecOutcome;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
  variables: Record<string, string>;
  /** null when the command had no `expect`. */
  expectMet: boolean | null;
  error: string | null;
}

export interface Execution {
  readonly pid: number | undefined;
  readonly result: Promise<ExecResult>;
  /** Kills the whole process group (SIGTERM, then SIGKILL); the result says `cancelled`. */
  cancel(): void;
}

export const DEFAULT_KILL_GRACE_MS = 2000;
const VARS_LIMIT_BYTES = 1024 * 1024;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The command runs inside `{ … }` in the same shell, so its assignments stay
 * visible; then the values of the assigned variables go out on fd 3 as
 * NUL-separated name/set/value triples (a shell variable cannot contain NUL,
 * so any value survives). The command itself runs with that descriptor
 * closed, so nothing it starts can write there or hold it open.
 *
 * pipefail: a command's status is its last pipeline's, and a pipeline whose
 * left-hand members died only of SIGPIPE (141: `yes | head -1`, the reader
 * had what it wanted) while the last member succeeded counts as success.
 * Bash has no option for this, so the statuses are read back after the
 * command; a failing member other than by SIGPIPE still fails it.
 */
/**
 * The last pipeline's status again, by pipefail's rule (the rightmost
 * failure) but with SIGPIPE (141) of a member other than the last counted
 * as success. Only when $? is that pipeline's (not negated with `!`, not a
 * compound command's).
 */
const PIPEFAIL_WITHOUT_SIGPIPE = [
  '__nexus_status=${__nexus_ps[0]}',
  'if (( ${#__nexus_ps[@]} > 2 )); then',
  '  __nexus_raw=0 __nexus_kept=0 __nexus_last=$(( ${#__nexus_ps[@]} - 1 ))',
  '  for (( __nexus_i = 1; __nexus_i <= __nexus_last; __nexus_i++ )); do',
  '    __nexus_s=${__nexus_ps[__nexus_i]}',
  '    (( __nexus_s != 0 )) && __nexus_raw=$__nexus_s',
  '    (( __nexus_s != 0 && (__nexus_s != 141 || __nexus_i == __nexus_last) )) && __nexus_kept=$__nexus_s',
  '  done',
  '  (( __nexus_raw == __nexus_status )) && __nexus_status=$__nexus_kept',
  'fi',
];

export function wrapScript(script: string, assigns: readonly string[]): string {
  const names = assigns.filter((name) => NAME.test(name));
  const report = names.map((n) => `${n} "\${${n}+1}" "\${${n}-}"`).join(' ');
  return [
    ...(names.length > 0 ? ['exec 9>&3 3>&-'] : []),
    '{',
    script,
    '__nexus_ps=("$?" "${PIPESTATUS[@]}")',
    names.length > 0 ? '} 9>&-' : '}',
    ...PIPEFAIL_WITHOUT_SIGPIPE,
    ...(names.length > 0 ? [`printf '%s\\0' ${report} >&9`] : []),
    'exit "$__nexus_status"',
  ].join('\n');
}

export function parseVariables(raw: Buffer): Record<string, string> {
  const parts = raw.toString('utf8').split('\0');
  const variables: Record<string, string> = {};
  for (let i = 0; i + 2 < parts.length; i += 3) {
    const [name, isSet, value] = [parts[i]!, parts[i + 1]!, parts[i + 2]!];
    if (NAME.test(name) && isSet === '1') variables[name] = value;
  }
  return variables;
}

/** Finds `expect` in output that arrives in pieces, also across piece boundaries. */
function expectMatcher(expect: string | null) {
  let window = '';
  let met = false;
  return {
    feed(text: string) {
      if (expect === null || met) return;
      window += text;
      if (window.includes(expect)) met = true;
      window = window.slice(-Math.max(0, expect.length - 1));
    },
    result: () => (expect === null ? null : met),
  };
}

/** Signal 0 only asks whether anything of the group is left. */
function killGroup(pid: number | undefined, signal: NodeJS.Signals | 0): boolean {
  if (pid === undefined) return false;
  try {
    // Negative pid: the whole process group, which `detached: true` made the shell lead.
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: nothing left
  }
}

/**
 * Whether any process of the group is still running (zombies excluded: they run
 * nothing, and a container's init may never reap them). Reads /proc where it
 * exists, else falls back to signal 0, which counts zombies too.
 */
function groupRunning(pgid: number | undefined): boolean {
  // The common case, a command that left nothing behind, costs one signal, not a scan of /proc.
  if (!killGroup(pgid, 0)) return false;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return true; // no /proc: signal 0 said something is left, zombies included
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // After the command name (which may hold spaces and parentheses): state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

/** Waits, bounded, until nothing of the group runs: a process whose pipes closed may still be exiting. */
async function groupGone(pgid: number | undefined, boundMs: number): Promise<void> {
  const until = Date.now() + boundMs;
  while (groupRunning(pgid) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

function pipeOutput(child: ChildProcess, spec: ExecSpec, onOutput: (stream: OutputStream, text: string) => void) {
  const matcher = expectMatcher(spec.expect);
  for (const stream of ['stdout', 'stderr'] as const) {
    const source = child[stream];
    if (!source) continue;
    const decoder = new StringDecoder('utf8');
    const redactor = new StreamRedactor(spec.redact);
    const emit = (text: string) => {
      matcher.feed(text);
      const safe = redactor.push(text);
      if (safe !== '') onOutput(stream, safe);
    };
    source.on('data', (chunk: Buffer) => emit(decoder.write(chunk)));
    source.on('end', () => {
      emit(decoder.end());
      const rest = redactor.flush();
      if (rest !== '') onOutput(stream, rest);
    });
  }
  return matcher;
}

function collectVariables(child: ChildProcess): () => Record<string, string> {
  const chunks: Buffer[] = [];
  let size = 0;
  child.stdio[3]?.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= VARS_LIMIT_BYTES) chunks.push(chunk);
  });
  return () => (size <= VARS_LIMIT_BYTES ? parseVariables(Buffer.concat(chunks)) : {});
}

/**
 * bwrap reports a command killed by a signal as exit 128+n; the result says
 * which signal, as it does for a plain command.
 */
function endedBy(sandbox: Sandbox, code: number | null, signal: NodeJS.Signals | null): { exitCode: number | null; signal: NodeJS.Signals | null } {
  if (sandbox.kind !== 'bwrap' || code === null || code <= 128) return { exitCode: code, signal };
  const name = Object.entries(os.constants.signals).find(([, n]) => n === code - 128)?.[0] as NodeJS.Signals | undefined;
  return name ? { exitCode: null, signal: name } : { exitCode: code, signal };
}

/** bwrap's PID 1 inside the sandbox (its only child): the leader of the sandbox's session and process group. */
function sandboxInit(bwrapPid: number): number | null {
  try {
    const first = fs.readFileSync(`/proc/${bwrapPid}/task/${bwrapPid}/children`, 'utf8').trim().split(' ')[0];
    return first ? Number(first) : null;
  } catch {
    return null;
  }
}

/**
 * Signals everything the command started. Plain: its process group. bwrap:
 * SIGTERM to the group inside the sandbox (the sandbox's init ignores it,
 * the command may clean up); SIGKILL to bwrap itself, whose death takes the
 * whole PID namespace with it, also what left the group.
 */
function signalCommand(sandbox: Sandbox, pid: number | undefined, signal: 'SIGTERM' | 'SIGKILL'): void {
  if (pid === undefined) return;
  if (sandbox.kind === 'plain') {
    killGroup(pid, signal);
    return;
  }
  const inner = signal === 'SIGTERM' ? sandboxInit(pid) : null;
  if (inner !== null) killGroup(inner, signal);
  else killGroup(pid, 'SIGKILL');
}

/**
 * Runs one command: `bash --noprofile --norc -o pipefail -c` inside the
 * sandbox (sandbox.ts) and under `timeout`, in its own session and process
 * group (so timeout and cancel reach every descendant), stdin closed (a
 * prompt fails at once instead of hanging), and the given environment only.
 */
export function execute(spec: ExecSpec, onOutput: (stream: OutputStream, text: string) => void): Execution {
  const grace = spec.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const sandbox = spec.sandbox ?? UNSANDBOXED;
  const started = Date.now();
  const wantsVars = spec.assigns.some((name) => NAME.test(name));
  const command = sandboxedCommand(sandbox, {
    bashArgs: ['--noprofile', '--norc', '-o', 'pipefail', '-c', wrapScript(spec.script, spec.assigns)],
    timeoutSeconds: spec.timeoutSeconds,
    killGraceSeconds: Math.max(1, Math.ceil(grace / 1000)),
    cwd: spec.cwd,
    workRoot: spec.workRoot ?? path.dirname(spec.cwd),
  });
  let child: ChildProcess;
  try {
    child = spawn(command.file, command.args, {
      detached: true,
      stdio: wantsVars ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
      env: spec.env,
      cwd: spec.cwd,
      ...(command.uid !== undefined ? { uid: command.uid, gid: command.gid } : {}),
    });
  } catch (error) {
    // spawn throws (rather than emitting 'error') for a uid it may not take, for one.
    const message = `could not start the command: ${(error as Error).message}`;
    return { pid: undefined, cancel: () => {}, result: Promise.resolve({ outcome: 'failed-to-start', exitCode: null, signal: null, durationMs: 0, variables: {}, expectMet: null, error: message }) };
  }
  const pid = child.pid;
  const matcher = pipeOutput(child, spec, onOutput);
  const variables = collectVariables(child);
  let stopReason: 'timeout' | 'cancel' | null = null;
  let killTimer: NodeJS.Timeout | undefined;
  const terminate = () => {
    signalCommand(sandbox, pid, 'SIGTERM');
    killTimer ??= setTimeout(() => signalCommand(sandbox, pid, 'SIGKILL'), grace);
  };
  const stop = (why: 'timeout' | 'cancel') => {
    if (stopReason !== null || exited) return;
    stopReason = why;
    terminate();
  };
  let exited = false;
  const timeout = setTimeout(() => stop('timeout'), spec.timeoutSeconds * 1000);

  const result = new Promise<ExecResult>((resolve) => {
    const finish = (partial: Pick<ExecResult, 'outcome' | 'exitCode' | 'signal' | 'error'>) => {
      clearTimeout(timeout);
      const durationMs = Date.now() - started;
      // Whatever the command left running in its group goes with it: a step leaves nothing behind,
      // and its result is not reported until that is true (or the SIGKILL grace has passed).
      const settle = groupRunning(pid) ? (terminate(), groupGone(pid, grace + 1000)) : Promise.resolve();
      void settle.then(() => {
        if (!groupRunning(pid)) clearTimeout(killTimer);
        resolve({ ...partial, durationMs, variables: variables(), expectMet: matcher.result() });
      });
    };
    child.once('error', (error) => {
      exited = true;
      finish({ outcome: 'failed-to-start', exitCode: null, signal: null, error: `could not start ${command.file}: ${error.message}` });
    });
    child.once('exit', () => {
      exited = true;
      // Background children still holding the pipes would keep 'close' from firing forever.
      if (killGroup(pid, 0)) terminate();
    });
    child.once('close', (code, signal) => {
      // The in-sandbox `timeout` (the backstop) ended it: the runner's own timer did not get to.
      const backstop = stopReason === null && code === 124 && Date.now() - started >= spec.timeoutSeconds * 1000;
      const timedOut = stopReason === 'timeout' || backstop;
      const outcome: ExecOutcome = stopReason === 'cancel' ? 'cancelled' : timedOut ? (spec.followStyle ? 'stopped-at-timeout' : 'timed-out') : 'exited';
      finish({ outcome, ...endedBy(sandbox, code, signal), error: null });
    });
  });
  return { pid, result, cancel: () => stop('cancel') };
}
