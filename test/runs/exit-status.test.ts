import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { freePort } from '../support/ports.js';
import { addRunbook, getRun, runbookMarkdown, runStep, startRun } from './support.js';

/**
 * Issue 16, point 5: a step's colour is the truth. Real commands through the
 * local runner: `kubectl` pointed at a port nothing listens on fails with
 * "connection refused", as it did in the incident that showed green.
 */
describe('a step is green only when its commands succeeded', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    const port = await freePort();
    // Readable by whomever the runner runs commands as (nexus-runner when the tests run as root).
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-kube-'));
    await fs.chmod(dir, 0o755);
    const kubeconfig = path.join(dir, 'config');
    await fs.writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: gone, cluster: {server: "https://127.0.0.1:${port}"}}]`,
        'users: [{name: u, user: {token: t}}]',
        'contexts: [{name: c, context: {cluster: gone, user: u}}]',
        'current-context: c',
        '',
      ].join('\n'),
      { mode: 0o644 },
    );
    t = await createTestApp('pglite', { env: { NEXUS_RUNNER_ENV: 'KUBECONFIG', KUBECONFIG: kubeconfig } });
  });
  afterAll(async () => {
    await t?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function runAll(commands: string[]) {
    const { slug } = await addRunbook(t, runbookMarkdown('Exit', commands.map((text) => ({ text }))));
    const run = await startRun(t, slug, 'exit');
    for (const step of run.steps) await runStep(t, run, step.commandId);
    return (await getRun(t, run.id)).steps.map((s) => [s.command, s.state, s.exitCode]);
  }

  it("the built-in P2 log check fails when kubectl cannot reach the cluster, and the old `|| true` form hid it", async () => {
    const run = await startRun(t, 'nexus-platform', 'p2-high-error-rate');
    const logs = run.steps.find((s) => s.command.includes('kubectl logs') && s.command.includes('grep -E'))!;
    expect(logs.command).toContain(`| { grep -E '"level":(50|60)' || [ $? -eq 1 ]; }`);
    const step = await runStep(t, run, logs.commandId);
    expect(step).toMatchObject({ state: 'failed', exitCode: 1 });
    expect(step.outputExcerpt).toMatch(/connection refused|couldn't get current server API group list|unable to connect/i);

    const old = `kubectl logs deployment/nexus-backend -n nexus-platform --since=30m | grep -E '"level":(50|60)' || true`;
    expect(await runAll([old])).toEqual([[old, 'succeeded', 0]]);
  });

  it("accepts grep's exit 1 (no match) and nothing else", async () => {
    const commands = [
      `printf 'info\\n' | { grep -E '"level":(50|60)' || [ $? -eq 1 ]; }`,
      `printf '{"level":50}\\n' | { grep -E '"level":(50|60)' || [ $? -eq 1 ]; }`,
      // grep's own error (a bad pattern) is exit 2: still a failure.
      `printf 'x\\n' | { grep -E '(' || [ $? -eq 1 ]; }`,
      `(printf 'x\\n'; exit 3) | { grep -E x || [ $? -eq 1 ]; }`,
    ];
    expect(await runAll(commands)).toEqual([
      [commands[0], 'succeeded', 0],
      [commands[1], 'succeeded', 0],
      [commands[2], 'failed', 1],
      [commands[3], 'failed', 3],
    ]);
  });

  it('a producer stopped by SIGPIPE because its reader had enough is not a failure; other failures are', async () => {
    const commands = [
      'yes | head -1',
      'seq 1 1000000 | head -n 2 | { grep -c 1 || [ $? -eq 1 ]; }',
      'kubectl logs deployment/nexus-backend -n nexus-platform --since=5m | head -n 5',
      'yes | (head -1; exit 4)',
    ];
    expect(await runAll(commands)).toEqual([
      [commands[0], 'succeeded', 0],
      [commands[1], 'succeeded', 0],
      [commands[2], 'failed', 1],
      [commands[3], 'failed', 4],
    ]);
  });
});
