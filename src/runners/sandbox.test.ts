import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../platform/config.js';
import { reachableWorkRoot, resolveSandbox, sandboxedCommand, UNSANDBOXED } from './sandbox.js';

const ROOT = process.getuid?.() === 0;

describe('choosing how commands run', () => {
  it.runIf(ROOT)('refuses a runner user that does not exist, naming the variable and how to create it', () => {
    const attempt = () => resolveSandbox({ mode: 'none', user: 'no-such-runner-user', hidden: [] });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^NEXUS_RUNNER_USER: user "no-such-runner-user" does not exist; create it \(useradd --system/);
    expect(() => resolveSandbox({ mode: 'none', user: 'root', hidden: [] })).not.toThrow();
  });

  it.runIf(!ROOT)('refuses to switch users when NEXUS is not root', () => {
    expect(() => resolveSandbox({ mode: 'none', user: 'nexus-runner', hidden: [] })).toThrow(/^NEXUS_RUNNER_USER: running commands as "nexus-runner" needs NEXUS to run as root/);
    expect(resolveSandbox({ mode: 'none', user: os.userInfo().username, hidden: [] }).user).toBeNull();
  });

  it('puts the timeout next to the command, later than the runner timer, and ties a plain command to its runner', () => {
    const bashArgs = ['-c', 'true'];
    const plain = sandboxedCommand({ ...UNSANDBOXED, pdeathsig: true }, { bashArgs, timeoutSeconds: 10, killGraceSeconds: 2, cwd: '/w/r', workRoot: '/w' });
    expect([plain.file, ...plain.args]).toEqual(['setpriv', '--pdeathsig', 'TERM', '--', 'timeout', '-k', '2s', '12s', 'bash', '-c', 'true']);
    const bwrap = sandboxedCommand({ kind: 'bwrap', user: null, hidden: ['/data'], pdeathsig: true }, { bashArgs, timeoutSeconds: 10, killGraceSeconds: 2, cwd: '/w/r', workRoot: '/w' });
    expect(bwrap.file).toBe('bwrap');
    expect(bwrap.args.join(' ')).toContain('--die-with-parent --new-session --bind / / --dev /dev --proc /proc --tmpfs /data --tmpfs /w --bind /w/r /w/r --chdir /w/r -- timeout --foreground -k 2s 12s bash -c true');
  });

  it.runIf(ROOT)('gives runs directories the runner user can reach, also when the data directory sits under a private one (/root)', () => {
    const sandbox = resolveSandbox({ mode: 'none', user: undefined, hidden: [] });
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-reach-'));
    try {
      const open = path.join(base, 'open');
      fs.mkdirSync(path.join(open, 'data'), { recursive: true, mode: 0o755 });
      fs.chmodSync(base, 0o755);
      expect(reachableWorkRoot(sandbox, path.join(open, 'data', 'runs'))).toEqual({ root: path.join(open, 'data', 'runs'), moved: false });
      const hidden = path.join(base, 'private');
      fs.mkdirSync(path.join(hidden, 'data'), { recursive: true });
      fs.chmodSync(hidden, 0o700);
      const moved = reachableWorkRoot(sandbox, path.join(hidden, 'data', 'runs'));
      expect(moved.moved).toBe(true);
      expect(moved.root.startsWith(os.tmpdir())).toBe(true);
      // Out of the runner user's reach, the data directory needs no hiding (bwrap could not mount over it as that user).
      expect(resolveSandbox({ mode: 'none', user: undefined, hidden: [path.join(hidden, 'data'), path.join(open, 'data')] }).hidden).toEqual([path.join(open, 'data')]);
      // Commands that run as NEXUS itself reach what NEXUS reaches: nothing moves.
      expect(reachableWorkRoot(UNSANDBOXED, path.join(hidden, 'data', 'runs')).moved).toBe(false);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
