/**
 * The floor under bench/deployments (b), with NEXUS removed: one traffic
 * change done by hand the way the nginx router does it — write one
 * service's upstream file among `BENCH_DEPLOY_COUNT` (200), `nginx -t`,
 * `nginx -s reload` — back to back, timed. The router serialises these
 * (a reload covers every file), so 1 / this time is the most traffic changes
 * per second one nginx takes, whatever the controller does.
 *
 * `npx tsx bench/deployments/nginx-floor.ts`; BENCH_FLOOR_CHANGES (default 50).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import { renderUpstream } from '../../src/deployments/index.js';
import { startVersion, TestNginx } from '../../test/deployments/support.js';
import { percentile } from '../alerts/load.js';

const run = promisify(execFile);
const COUNT = Number(process.env.BENCH_DEPLOY_COUNT ?? 200);
const CHANGES = Number(process.env.BENCH_FLOOR_CHANGES ?? 50);

const v1 = await startVersion('v1');
const v2 = await startVersion('v2');
const nginx = await TestNginx.start(v1);
try {
  const dir = nginx.env.NEXUS_NGINX_UPSTREAM_DIR!;
  const args = ['-p', nginx.env.NEXUS_NGINX_PREFIX!, '-c', nginx.env.NEXUS_NGINX_CONF!];
  const file = (i: number, weight: number) =>
    fs.writeFileSync(`${dir}/bench-${String(i).padStart(3, '0')}.conf`, renderUpstream(`bench-${String(i).padStart(3, '0')}`, [{ version: 'v1', upstream: v1.address, weight: 100 - weight }, { version: 'v2', upstream: v2.address, weight }]));
  for (let i = 0; i < COUNT; i++) file(i, 10);
  await run('nginx', [...args, '-s', 'reload']);
  const tests: number[] = [];
  const totals: number[] = [];
  for (let n = 0; n < CHANGES; n++) {
    const started = performance.now();
    file(n % COUNT, 25);
    await run('nginx', [...args, '-t', '-q']);
    tests.push(performance.now() - started);
    await run('nginx', [...args, '-s', 'reload']);
    totals.push(performance.now() - started);
  }
  const f = (v: number) => v.toFixed(0);
  console.log(`nginx alone, ${COUNT} upstream files, ${CHANGES} changes back to back (load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs)`);
  console.log(`write + nginx -t: p50 ${f(percentile(tests, 0.5))} ms, p99 ${f(percentile(tests, 0.99))} ms`);
  console.log(`write + nginx -t + nginx -s reload: p50 ${f(percentile(totals, 0.5))} ms, p99 ${f(percentile(totals, 0.99))} ms → at most ${(1000 / percentile(totals, 0.5)).toFixed(1)} changes/s (old workers' exit not waited for)`);
} finally {
  await nginx.stop();
  await v1.close();
  await v2.close();
}
