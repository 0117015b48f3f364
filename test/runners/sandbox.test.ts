import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExecResult } from '../../src/runners/exec.js';
import { DEFAULT_RUNNER_USER } from '../../src/runners/sandbox.js';
import { markedProcesses, until } from '../runs/support.js';

/*
 * The attacks of issue 14 (points 2 and 7) from inside a command, against a
 * runner in its own process whose environment holds NEXUS's secrets, as
 * `nexus serve` does: read the embedded JWT key, read NEXUS's environment
 * through /proc, write the data directory, outlive the runner, outlive the
 * timeout while the runner is frozen.
 */

const FIXTURE = fileURLToPath(new URL('../fixtures/sandbox-runner.ts', import.meta.url));
const ROOT = process.getuid?.() === 0;
const RUNNER_UID = Number(spawnSync('id', ['-u', DEFAULT_RUNNER_USER], { encoding: 'utf8' }).stdout.trim() || NaN);
const HAS_BWRAP = spawnSync('bwrap', ['--version']).status === 0;

const JWT_KEY = randomBytes(48).toString('base64url');
const ADMIN_PASSWORD = `admin-${randomBytes(12).toString('hex')}`;
// What NEXUS's own process environment holds (config.ts reads these).
const NEXUS_ENV = { NEXUS_ADMIN_PASSWORD: ADMIN_PASSWORD, JWT_SECRET_KEY_PREVIOUS: randomBytes(40).toString('hex') };

type Event = { event: 'output'; stream: string; text: string } | { event: 'started'; sandbox: string; uid: number | null; pid: number } | { event: 'result'; result: ExecResult };

function startRunner(job: { mode: 'bwrap' | 'none'; dataDir: string; script: string; timeoutSeconds?: number; redact?: string[]; env?: Record<string, string> }) {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, JSON.stringify({ timeoutSeconds: 30, redact: [], ...job })], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...NEXUS_ENV },
  });
  const events: Event[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  readline.createInterface({ input: child.stdout! }).on('line', (line) => events.push(JSON.parse(line) as Event));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output = () => events.flatMap((e) => (e.event === 'output' ? [e.text] : [])).join('');
  const result = () =>
    until('the command to end', () => {
      if (child.exitCode !== null && !events.some((e) => e.event === 'result')) throw new Error(`runner exited early: ${stderr}`);
      const found = events.find((e) => e.event === 'result');
      return found?.event === 'result' ? found.result : undefined;
    }, 30_000);
  const started = () => until('the runner to start the command', () => events.find((e) => e.event === 'started') as Extract<Event, { event: 'started' }> | undefined, 30_000);
  return { child, output, result, started, exited };
}

/** Everything a reader could decode from the output: raw, base64 (any alignment, wrapped or not), hex. */
function readable(output: string): string {
  const flat = output.replace(/\s/g, '');
  const decoded = [0, 1, 2, 3].map((skip) => Buffer.from(flat.slice(skip), 'base64').toString('latin1'));
  return [output, ...decoded, Buffer.from(flat.replace(/[^0-9a-f]/gi, ''), 'hex').toString('latin1')].join('\n');
}

const marker = () => `nexus-marker-${randomBytes(6).toString('hex')}`;

describe.each([
  { mode: 'bwrap' as const, available: HAS_BWRAP },
  { mode: 'none' as const, available: true },
])('commands in sandbox mode $mode, NEXUS running as root', ({ mode, available }) => {
  let dataDir: string;
  const running: Array<ReturnType<typeof startRunner>> = [];
  const run = (job: Omit<Parameters<typeof startRunner>[0], 'mode' | 'dataDir'>) => {
    const runner = startRunner({ mode, dataDir, ...job });
    running.push(runner);
    return runner;
  };

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-sandbox-'));
    // As server.ts leaves it: traversable, the key readable by the NEXUS user only.
    fs.chmodSync(dataDir, 0o711);
    fs.writeFileSync(path.join(dataDir, 'jwt-secret'), `${JWT_KEY}\n`, { mode: 0o600 });
  });
  afterEach(async () => {
    for (const runner of running.splice(0)) {
      runner.child.kill('SIGKILL');
      await runner.exited;
    }
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it.runIf(ROOT && available)('runs as the runner user and reads nothing of NEXUS: not the data directory key, not its environment through /proc', async () => {
    const script = [
      'id -u',
      'cat "$DIR"/jwt-secret',
      'cat /proc/$PPID/environ | base64',
      'cat /proc/1/environ | base64',
      // Every process it can see, as one base64 stream: NEXUS's environment would be in it.
      'for p in /proc/[0-9]*; do cat "$p"/environ; done 2>/dev/null | base64 -w0',
      'echo; ls "$DIR"',
    ].join('\n');
    // No redaction at all: what comes out is what the command could reach.
    const runner = run({ script, redact: [] });
    await runner.result();
    const out = runner.output();
    expect(out.split('\n')[0]).toBe(String(RUNNER_UID));
    for (const secret of [JWT_KEY, ADMIN_PASSWORD, NEXUS_ENV.JWT_SECRET_KEY_PREVIOUS]) expect(readable(out)).not.toContain(secret);
  });

  it.runIf(ROOT && available)('cannot write the data directory, and has its run directory to work in', async () => {
    const runner = run({ script: 'echo pwned > "$DIR"/evil; mkdir "$DIR"/pgdata-evil; echo kept > note && cat "$PWD"/note' });
    expect(await runner.result()).toMatchObject({ outcome: 'exited', exitCode: 0 });
    expect(runner.output()).toContain('kept\n');
    expect(fs.readdirSync(dataDir).sort()).toEqual(['jwt-secret', 'runs']);
  });

  it.runIf(ROOT && available)('a runner killed with SIGKILL leaves no process of the command alive', async () => {
    const name = marker();
    const runner = run({ script: `(exec -a ${name} sleep 300) & (sleep 300 & (exec -a ${name} sleep 300) & wait) & echo started; wait` });
    await runner.started();
    await until('both marked processes', () => (markedProcesses(name).length === 2 ? true : undefined), 20_000);
    runner.child.kill('SIGKILL');
    await runner.exited;
    await until('no marked process left', () => (markedProcesses(name).length === 0 ? true : undefined), 10_000);
  });

  it.runIf(ROOT && available)('the timeout is enforced next to the command: it ends while the runner is frozen (SIGSTOP)', async () => {
    const name = marker();
    const runner = run({ script: `(exec -a ${name} sleep 300) & exec -a ${name} sleep 300`, timeoutSeconds: 1 });
    await until('both marked processes', () => (markedProcesses(name).length === 2 ? true : undefined), 20_000);
    // Frozen, its timer cannot fire and it does not die: only `timeout` beside the command can end it.
    runner.child.kill('SIGSTOP');
    await until('no marked process left', () => (markedProcesses(name).length === 0 ? true : undefined), 15_000);
    runner.child.kill('SIGCONT');
  });

  it.runIf(ROOT && available)('redacts NEXUS secrets a command prints base64-, hex- or URL-encoded', async () => {
    const script = [
      'printf %s "$S" | base64',
      'printf x%s "$S" | base64 -w0; echo',
      'printf xy%s "$S" | base64 | tr "+/" "-_"',
      'printf %s "$S" | xxd -p',
      'printf %s "$S" | od -An -v -tx1 | tr -d " \\n"; echo',
      'jq -rn --arg s "$S" \'$s|@uri\'',
    ].join('\n');
    const secret = `${ADMIN_PASSWORD} /+&=`;
    const runner = run({ script, env: { S: secret }, redact: [secret] });
    expect(await runner.result()).toMatchObject({ exitCode: 0 });
    const out = runner.output();
    expect(out.split('[redacted]').length - 1).toBeGreaterThanOrEqual(6);
    expect(readable(out)).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
  });
});

describe('the runner user', () => {
  it.runIf(ROOT)(`exists where NEXUS runs as root (${DEFAULT_RUNNER_USER}, created by scripts/ensure-test-deps.sh)`, () => {
    expect(RUNNER_UID).toBeGreaterThan(0);
  });
});
