/**
 * `npm run bench`: runs every bench/<name>/run.ts, one after another, each in
 * its own process (so one benchmark's leftovers never weigh on the next).
 * `npm run bench -- http` runs only the named ones.
 *
 * Benchmarks report; they do not assert. The exit code is non-zero only when
 * a benchmark could not measure (crashed or broken measurement).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT = path.dirname(BENCH_DIR);

const all = (await fs.readdir(BENCH_DIR, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory() && existsSync(path.join(BENCH_DIR, entry.name, 'run.ts')))
  .map((entry) => entry.name)
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
const selected = wanted.length > 0 ? all.filter((name) => wanted.includes(name)) : all;

let current: ChildProcess | undefined;
let interrupted = false;
// A Ctrl-C reaches the benchmark too (same process group); a signal sent to
// this process alone is passed on. Either way the benchmark cleans up first.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted = true;
    current?.kill(signal);
  });
}

const results: Array<{ name: string; outcome: string; seconds: number }> = [];
for (const name of selected) {
  if (interrupted) break;
  const started = Date.now();
  console.log(`\n=== bench/${name} (${new Date().toISOString()}) ===`);
  current = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, name, 'run.ts')], { cwd: ROOT, stdio: 'inherit' });
  const outcome = await new Promise<string>((resolve) => {
    current!.once('error', (error) => resolve(`could not start: ${error.message}`));
    current!.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : code === 0 ? 'ok' : `exit code ${code}`));
  });
  current = undefined;
  results.push({ name, outcome, seconds: (Date.now() - started) / 1000 });
}

console.log('\n=== benchmarks ===');
for (const { name, outcome, seconds } of results) console.log(`${name.padEnd(12)} ${outcome} (${seconds.toFixed(0)} s)`);
if (interrupted) process.exit(130);
process.exit(results.every((result) => result.outcome === 'ok') ? 0 : 1);
