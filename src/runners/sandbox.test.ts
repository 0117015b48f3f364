import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../platform/config.js';
import { resolveSandbox, sandboxedCommand, UNSANDBOXED } from './sandbox.js';

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
});
