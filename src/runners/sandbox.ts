import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../platform/config.js';

/*
 * Where a runbook command runs, and as whom. A command is written by a
 * runbook author and requested by a responder: it must not reach NEXUS's own
 * secrets (the data directory with the embedded JWT key and PGlite files,
 * the NEXUS process and its environment), and it must not outlive the
 * runner that started it.
 *
 * - bwrap (bubblewrap): a new user, PID and mount namespace. The command sees
 *   only its own processes in /proc, the data directory (and any other
 *   hidden path) is an empty tmpfs, other runs' work directories are hidden,
 *   no nested user namespaces; the sandbox is SIGKILLed with everything in
 *   it when the runner dies (--die-with-parent kills its PID 1, and the
 *   kernel kills the rest of the namespace).
 * - plain: no namespaces. A separate user when NEXUS runs as root (file
 *   permissions keep it out of the data directory, /proc/<pid>/environ of
 *   NEXUS is unreadable to it), its own session and process group, and a
 *   parent-death signal (setpriv --pdeathsig) that makes `timeout` stop the
 *   group when the runner dies.
 * In both, coreutils `timeout` enforces the step's timeout next to the
 * command, so a runner that hangs (or is frozen) does not let it run on.
 */

export type SandboxMode = 'auto' | 'bwrap' | 'none';

export interface RunnerUser {
  name: string;
  uid: number;
  gid: number;
  /** From the passwd entry; null when it does not exist on disk (`/nonexistent`). */
  home: string | null;
}

export interface Sandbox {
  kind: 'bwrap' | 'plain';
  /** null: commands run as the NEXUS user (NEXUS is not root, or was told to run them as itself). */
  user: RunnerUser | null;
  /** Paths the command must not see: the data directory and configured secret files (bwrap only hides them). */
  hidden: readonly string[];
  /** Whether `setpriv --pdeathsig` is there to tie a plain command to its runner. */
  pdeathsig: boolean;
  /** With NEXUS_SANDBOX=auto and no bwrap: why not (for the start-up log). */
  withoutBwrap?: string;
}

/** Tests and tools that run commands as they are (as the NEXUS user, no namespaces). */
export const UNSANDBOXED: Sandbox = { kind: 'plain', user: null, hidden: [], pdeathsig: false };

export const DEFAULT_RUNNER_USER = 'nexus-runner';

export interface SandboxOptions {
  mode: SandboxMode;
  /** NEXUS_RUNNER_USER; unset means `nexus-runner` when NEXUS runs as root, else the NEXUS user. */
  user: string | undefined;
  hidden: readonly string[];
}

function lookupUser(name: string): RunnerUser | null {
  const found = spawnSync('getent', ['passwd', name], { encoding: 'utf8' });
  const line = found.status === 0 ? found.stdout.split('\n')[0] : undefined;
  if (!line) return null;
  const [, , uid, gid, , home] = line.split(':');
  const homeDir = home && fs.existsSync(home) ? home : null;
  return { name, uid: Number(uid), gid: Number(gid), home: homeDir };
}

function onPath(binary: string): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The same flags a command gets, around `true`: bwrap may be installed yet unusable (no user namespaces). */
function bwrapWorks(user: RunnerUser | null, hidden: readonly string[]): { ok: boolean; why: string } {
  const probe = spawnSync('bwrap', [...bwrapNamespaceArgs(hidden), '--', 'true'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: 10_000,
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  if (probe.error) return { ok: false, why: probe.error.message };
  return probe.status === 0 ? { ok: true, why: '' } : { ok: false, why: probe.stderr.trim() || `exit ${probe.status}` };
}

function resolveUser(requested: string | undefined): RunnerUser | null {
  const root = process.getuid?.() === 0;
  const self = os.userInfo().username;
  const name = requested ?? (root ? DEFAULT_RUNNER_USER : self);
  if (name === self) return null;
  if (!root) throw new ConfigError('NEXUS_RUNNER_USER', `running commands as "${name}" needs NEXUS to run as root (it runs as "${self}")`);
  const user = lookupUser(name);
  if (!user) {
    throw new ConfigError(
      'NEXUS_RUNNER_USER',
      `user "${name}" does not exist; create it (useradd --system --user-group --no-create-home --shell /usr/sbin/nologin ${name}) or set NEXUS_RUNNER_USER`,
    );
  }
  if (user.uid === 0) throw new ConfigError('NEXUS_RUNNER_USER', `"${name}" is root; commands need an unprivileged user`);
  return user;
}

/** Decides once, at start, how commands run here; throws a ConfigError naming what to fix. */
export function resolveSandbox(options: SandboxOptions): Sandbox {
  const user = resolveUser(options.user);
  // A path that does not exist, or that the runner user cannot reach anyway (under /root), has nothing to
  // hide; and bwrap, mounting as that user, could not mount over it.
  const hidden = [...new Set(options.hidden.map((p) => path.resolve(p)))].filter((p) => fs.existsSync(p) && (!user || traversableBy(user, path.dirname(p))));
  const pdeathsig = onPath('setpriv');
  if (options.mode === 'none') return { kind: 'plain', user, hidden, pdeathsig };
  const installed = onPath('bwrap');
  // Once more before giving up: a busy machine can fail one start (and auto would silently lose the sandbox).
  const probe = !installed ? { ok: false, why: 'bwrap is not installed (Debian package bubblewrap)' } : bwrapWorks(user, hidden).ok ? { ok: true, why: '' } : bwrapWorks(user, hidden);
  if (probe.ok) return { kind: 'bwrap', user, hidden, pdeathsig };
  if (options.mode === 'bwrap') throw new ConfigError('NEXUS_SANDBOX', `bwrap: bubblewrap does not work here: ${probe.why}`);
  return { kind: 'plain', user, hidden, pdeathsig, withoutBwrap: probe.why };
}

/** One line for the start-up log: what isolation the commands get. */
export function describeSandbox(sandbox: Sandbox): string {
  const who = sandbox.user ? `as user ${sandbox.user.name} (uid ${sandbox.user.uid})` : `as the NEXUS user ${os.userInfo().username}`;
  const hidden = sandbox.hidden.length ? `${sandbox.hidden.join(', ')} hidden` : 'the data directory out of its reach';
  if (sandbox.kind === 'bwrap') return `commands run ${who} in a bubblewrap sandbox (own PID, mount and user namespace; ${hidden})`;
  const why = sandbox.withoutBwrap ? `bubblewrap not used: ${sandbox.withoutBwrap}` : 'NEXUS_SANDBOX=none';
  return `commands run ${who} without namespaces (${why})${sandbox.user ? '' : ': they can read what NEXUS can'}`;
}

/** The namespace part of a bwrap command line, shared by the probe and every command. */
function bwrapNamespaceArgs(hidden: readonly string[]): string[] {
  return [
    '--unshare-user',
    '--disable-userns',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--die-with-parent',
    '--new-session',
    '--bind', '/', '/',
    '--dev', '/dev',
    '--proc', '/proc',
    ...hidden.flatMap((dir) => ['--tmpfs', dir]),
  ];
}

export interface SandboxedCommand {
  file: string;
  args: string[];
  uid?: number;
  gid?: number;
}

/**
 * The command line for one command: the sandbox, then `timeout` (the backstop
 * for the runner's own timer: it fires `marginSeconds` later), then bash.
 */
export function sandboxedCommand(
  sandbox: Sandbox,
  command: { bashArgs: string[]; timeoutSeconds: number; killGraceSeconds: number; cwd: string; workRoot: string },
): SandboxedCommand {
  const limit = ['-k', `${command.killGraceSeconds}s`, `${command.timeoutSeconds + TIMEOUT_MARGIN_SECONDS}s`];
  const ids = sandbox.user ? { uid: sandbox.user.uid, gid: sandbox.user.gid } : {};
  if (sandbox.kind === 'bwrap') {
    // The work root becomes an empty tmpfs (other runs' directories are not visible), then this run's is bound in.
    const args = [
      ...bwrapNamespaceArgs(sandbox.hidden),
      '--tmpfs', command.workRoot,
      '--bind', command.cwd, command.cwd,
      '--chdir', command.cwd,
      '--',
      // --foreground: timeout stays in the group the runner signals; its kill of bash ends the sandbox and all in it.
      'timeout', '--foreground', ...limit, 'bash', ...command.bashArgs,
    ];
    return { file: 'bwrap', args, ...ids };
  }
  const timeout = ['timeout', ...limit, 'bash', ...command.bashArgs];
  // After the uid change (done by spawn), so the kernel keeps the parent-death signal; the parent is the runner.
  if (sandbox.pdeathsig) return { file: 'setpriv', args: ['--pdeathsig', 'TERM', '--', ...timeout], ...ids };
  return { file: timeout[0]!, args: timeout.slice(1), ...ids };
}

/**
 * Where runs get their directories: `preferred` when the runner user can
 * reach it (every directory above it traversable by that user), else a
 * directory of NEXUS's under the system temporary directory. A checkout in
 * /root (0700) would otherwise leave every command without a working directory.
 */
export function reachableWorkRoot(sandbox: Sandbox, preferred: string): { root: string; moved: boolean } {
  const user = sandbox.user;
  if (!user || traversableBy(user, path.dirname(path.resolve(preferred)))) return { root: preferred, moved: false };
  const root = path.join(os.tmpdir(), `nexus-runs-${process.getuid?.() ?? 0}-${createHash('sha256').update(path.resolve(preferred)).digest('hex').slice(0, 12)}`);
  return { root, moved: true };
}

function traversableBy(user: RunnerUser, dir: string): boolean {
  for (let current = dir; ; current = path.dirname(current)) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(current);
    } catch {
      return false;
    }
    const bit = stat.uid === user.uid ? 0o100 : stat.gid === user.gid ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) return false;
    if (current === path.dirname(current)) return true;
  }
}

/** How much later than the runner's own timer the in-sandbox `timeout` fires. */
export const TIMEOUT_MARGIN_SECONDS = 2;

/**
 * The run's work directory, usable by the runner user: owned by it when
 * NEXUS switches users. The user reaches it by path (bwrap binds it by path
 * too), so the work root is made traversable, not listable; the directories
 * above it must be traversable as well (the data directory is, server.ts).
 */
export async function prepareWorkDir(sandbox: Sandbox, root: string, runId: string): Promise<string> {
  const cwd = path.join(root, runId);
  // Directories made here are traversable, not listable: the runner user reaches its own run's directory only.
  await fs.promises.mkdir(root, { recursive: true, mode: 0o711 });
  await fs.promises.mkdir(cwd, { recursive: true, mode: 0o700 });
  if (sandbox.user) {
    await fs.promises.chown(cwd, sandbox.user.uid, sandbox.user.gid);
    await fs.promises.chmod(root, 0o711);
  }
  return cwd;
}
