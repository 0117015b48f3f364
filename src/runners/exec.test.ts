import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rewritePlaceholders } from '../runbooks/index.js';
import { execute, type ExecSpec, type OutputStream } from './exec.js';
import { secretSet } from './redact.js';

const BASE_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: os.tmpdir(), LANG: 'C.UTF-8' };

function spec(script: string, extra: Partial<ExecSpec> = {}): ExecSpec {
  return { script, env: BASE_ENV, assigns: [], timeoutSeconds: 10, followStyle: false, expect: null, redact: [], cwd: os.tmpdir(), ...extra };
}

async function run(s: ExecSpec) {
  const chunks: Array<{ stream: OutputStream; text: string; at: number }> = [];
  const execution = execute(s, (stream, text) => chunks.push({ stream, text, at: Date.now() }));
  const result = await execution.result;
  const all = chunks.map((c) => c.text).join('');
  return { result, chunks, all, stdout: chunks.filter((c) => c.stream === 'stdout').map((c) => c.text).join('') };
}

/** A killed orphan may linger as a zombie until init reaps it; a zombie runs nothing. */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The pids written by the command, one per line, to a file the test reads. */
function pidsIn(file: string): number[] {
  return fs.readFileSync(file, 'utf8').split(/\s+/).filter(Boolean).map(Number);
}

describe('executing one command', () => {
  it('treats a parameter value as data: command substitution and separators are printed, not run', async () => {
    const marker = path.join(os.tmpdir(), `pwned-${randomBytes(6).toString('hex')}`);
    const script = rewritePlaceholders('echo <value> && echo "quoted <value>" && echo \'single <value>\'', [
      { raw: '<value>', syntax: 'angle', param: 'VALUE', line: 1 },
    ]);
    for (const value of [`$(touch ${marker})`, `; touch ${marker}`, `\`touch ${marker}\``, `' ; touch ${marker} ; '`]) {
      const { result, stdout } = await run(spec(script, { env: { ...BASE_ENV, VALUE: value } }));
      expect(result.exitCode).toBe(0);
      expect(stdout).toBe(`${value}\nquoted ${value}\nsingle ${value}\n`);
      expect(fs.existsSync(marker)).toBe(false);
    }
  });

  it('sees only the environment it was given, and no stdin', async () => {
    const { result, stdout } = await run(spec('env | sort; read -r line || echo "stdin closed"'));
    expect(result.exitCode).toBe(0);
    const names = stdout.split('\n').filter((l) => l.includes('=')).map((l) => l.split('=')[0]);
    expect(names.filter((n) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(n!))).toEqual(['HOME', 'LANG', 'PATH']);
    expect(stdout).toContain('stdin closed');
  });

  it('fails a pipeline whose first command fails (pipefail)', async () => {
    const { result } = await run(spec('false | cat'));
    expect(result).toMatchObject({ outcome: 'exited', exitCode: 1 });
  });

  it('counts a pipeline whose left-hand members died only of SIGPIPE as a success (yes | head -1)', async () => {
    expect(await run(spec('yes | head -1'))).toMatchObject({ result: { outcome: 'exited', exitCode: 0 }, stdout: 'y\n' });
    expect((await run(spec('seq 1 1000000 | cat | head -1', { assigns: ['X'] }))).result.exitCode).toBe(0);
    // Any other failure still fails it: of a left-hand member, of the last one, or SIGPIPE of the last one.
    expect((await run(spec('(exit 3) | yes | head -1'))).result.exitCode).toBe(3);
    expect((await run(spec('yes | (head -1; exit 5)'))).result.exitCode).toBe(5);
    expect((await run(spec('yes | false'))).result.exitCode).toBe(1);
    expect((await run(spec('true | (kill -PIPE $BASHPID)'))).result.exitCode).toBe(141);
  });

  it('captures assigned variables, whatever their value', async () => {
    const odd = 'a b\n"quoted" $(not run) \\ \u00e9';
    const { result } = await run(
      spec(`BLUE_IP=$(printf '10.0.0.7'); ODD=$(printf '%s' "$INPUT"); EMPTY=`, {
        assigns: ['BLUE_IP', 'ODD', 'EMPTY', 'NEVER_SET'],
        env: { ...BASE_ENV, INPUT: odd },
      }),
    );
    expect(result.exitCode).toBe(0);
    expect(result.variables).toEqual({ BLUE_IP: '10.0.0.7', ODD: odd, EMPTY: '' });
  });

  it('times out: the whole process group is killed and the result says timed-out', async () => {
    const pidFile = path.join(os.tmpdir(), `pids-${randomBytes(4).toString('hex')}`);
    const { result } = await run(spec(`sleep 30 & echo $! > ${pidFile}; sleep 30`, { timeoutSeconds: 1 }));
    expect(result.outcome).toBe('timed-out');
    expect(result.durationMs).toBeGreaterThanOrEqual(1000);
    expect(result.durationMs).toBeLessThan(4000);
    expect(pidsIn(pidFile).filter(alive)).toEqual([]);
  });

  it('stops a follow-style command at its timeout with the output it printed', async () => {
    const { result, all } = await run(
      spec('for i in 1 2 3 4 5 6 7 8 9; do echo "log line $i"; sleep 0.2; done | grep --line-buffered line', {
        timeoutSeconds: 1,
        followStyle: true,
      }),
    );
    expect(result.outcome).toBe('stopped-at-timeout');
    expect(all).toContain('log line 1\n');
    expect(all).not.toContain('log line 9');
  });

  it('cancel kills grandchildren too', async () => {
    const pidFile = path.join(os.tmpdir(), `pids-${randomBytes(4).toString('hex')}`);
    const chunks: string[] = [];
    const execution = execute(spec(`sleep 300 & echo $! > ${pidFile}; (sleep 300 & echo $! >> ${pidFile}; wait) & echo started; wait`), (_s, t) =>
      chunks.push(t),
    );
    while (!chunks.join('').includes('started')) await new Promise((r) => setTimeout(r, 10));
    const pids = pidsIn(pidFile);
    expect(pids.length).toBeGreaterThanOrEqual(1);
    execution.cancel();
    const result = await execution.result;
    expect(result.outcome).toBe('cancelled');
    expect(result.durationMs).toBeLessThan(3000);
    expect(pidsIn(pidFile).filter(alive)).toEqual([]);
  });

  it('redacts secrets from every chunk, also when one straddles two writes', async () => {
    const secret = 'hunter2-very-secret-value';
    const { all, chunks } = await run(
      spec(`printf 'before hunter2-very'; sleep 0.2; printf -- '-secret-value after\\n'; echo "$S" >&2`, {
        env: { ...BASE_ENV, S: secret },
        redact: secretSet([secret]),
      }),
    );
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(all).toContain('before [redacted] after\n');
    expect(all).toContain('[redacted]\n');
    expect(chunks.map((c) => c.text).join('|')).not.toContain('hunter2');
    // Text that cannot start a secret is not held back.
    expect(chunks[0]!.text).toBe('before ');
  });

  it('fails an `expect` that the output does not contain', async () => {
    expect((await run(spec('echo PONG', { expect: 'PONG' }))).result.expectMet).toBe(true);
    expect((await run(spec('echo nope', { expect: 'PONG' }))).result.expectMet).toBe(false);
  });

  it('does not wait for a background process that keeps the output open', async () => {
    const started = Date.now();
    const { result } = await run(spec('sleep 60 & echo done', { killGraceMs: 500 }));
    expect(result).toMatchObject({ outcome: 'exited', exitCode: 0 });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
