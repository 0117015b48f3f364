/**
 * What the sandbox adds to starting a command: 50 runs of `echo` each way,
 * timed from execute() to the first output byte (the command is running)
 * and to its exit. "bare" is how commands ran before the sandbox: bash
 * spawned directly. Run as root for the runner-user modes:
 *
 *   npx tsx bench/runbooks/spawn-cost.ts [runs]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execute } from '../../src/runners/exec.js';
import { prepareWorkDir, resolveSandbox, UNSANDBOXED, type Sandbox } from '../../src/runners/sandbox.js';

const RUNS = Number(process.argv[2] ?? 50);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-spawn-bench-'));
fs.chmodSync(dataDir, 0o711);
const workRoot = path.join(dataDir, 'runs');
const env = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: os.tmpdir(), LANG: 'C.UTF-8' };

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;

async function bare(): Promise<{ first: number; exit: number }> {
  const start = process.hrtime.bigint();
  const child = spawn('bash', ['--noprofile', '--norc', '-o', 'pipefail', '-c', 'echo x'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  let first = 0;
  child.stdout.once('data', () => (first = ms(start)));
  await new Promise((resolve) => child.once('close', resolve));
  return { first, exit: ms(start) };
}

async function sandboxed(sandbox: Sandbox): Promise<{ first: number; exit: number }> {
  const cwd = await prepareWorkDir(sandbox, workRoot, 'bench');
  const start = process.hrtime.bigint();
  let first = 0;
  const execution = execute(
    { script: 'echo x', env, assigns: [], timeoutSeconds: 30, followStyle: false, expect: null, redact: [], cwd, workRoot, sandbox },
    () => (first ||= ms(start)),
  );
  const result = await execution.result;
  if (result.exitCode !== 0) throw new Error(`the command failed: ${JSON.stringify(result)}`);
  return { first, exit: ms(start) };
}

const modes: Array<[string, () => Promise<{ first: number; exit: number }>]> = [
  ['bare bash (before)', bare],
  ['plain, NEXUS user', () => sandboxed(UNSANDBOXED)],
  ['plain, runner user', () => sandboxed(resolveSandbox({ mode: 'none', user: undefined, hidden: [dataDir] }))],
  ['bwrap, runner user', () => sandboxed(resolveSandbox({ mode: 'bwrap', user: undefined, hidden: [dataDir] }))],
];
console.log(`${RUNS} runs each, ms: started (first output) p50 / p99, exited p50 / p99`);
for (const [name, once] of modes) {
  await once(); // warm-up
  const samples: Array<{ first: number; exit: number }> = [];
  for (let i = 0; i < RUNS; i++) samples.push(await once());
  const first = samples.map((s) => s.first);
  const exit = samples.map((s) => s.exit);
  console.log(`${name.padEnd(20)} started ${quantile(first, 0.5).toFixed(1)} / ${quantile(first, 0.99).toFixed(1)}   exited ${quantile(exit, 0.5).toFixed(1)} / ${quantile(exit, 0.99).toFixed(1)}`);
}
fs.rmSync(dataDir, { recursive: true, force: true });
