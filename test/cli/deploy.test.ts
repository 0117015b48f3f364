import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import type { Deployment, DeploymentDetail } from '../../src/deployments/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { type CliResult, cliEnv, runNexus } from '../support/cli.js';
import { measureSplit, SERVICE, startVersion, TestNginx, until, type ServiceVersion } from '../deployments/support.js';

const BIN = path.resolve('bin/nexus');
let t: TestApp;
let nginx: TestNginx;
let v1: ServiceVersion;
let v2: ServiceVersion;

const env = (token: string) => cliEnv(t, token);

function nexus(args: string[], token = t.tokens.operator): Promise<CliResult> {
  return runNexus(args, env(token), 20_000);
}

beforeAll(async () => {
  v1 = await startVersion('v1');
  v2 = await startVersion('v2');
  nginx = await TestNginx.start(v1);
  t = await createTestApp('pglite', { start: { listen: true }, env: { ...nginx.env, NEXUS_DEPLOY_TICK_MS: '100' } });
});
afterAll(async () => {
  await t?.close();
  await nginx?.stop();
  await v1?.close();
  await v2?.close();
});

describe('nexus deploy', () => {
  it('start, list, status, promote and abort against a real server and nginx (resume refused while waiting for promotion)', async () => {
    const started = await nexus(['deploy', 'start', SERVICE, 'v2', '--upstream', v2.address, '--stable', `v1=${v1.address}`, '--step', '10', '--step', 'pause', '--step', '50', '--step', 'pause', '--step', '100', '--json']);
    expect(started).toMatchObject({ code: EXIT.ok, stderr: '' });
    const { id } = JSON.parse(started.stdout) as Deployment;
    await until(t, id, (d) => d.state === 'paused' && d.canaryWeight === 10);

    const list = await nexus(['deploy', 'list', '--service', SERVICE], t.tokens.viewer);
    expect(list.code).toBe(EXIT.ok);
    expect(list.stdout).toMatch(new RegExp(`${id}  web +v2 +canary +paused +10 %`));

    const prefix = id.slice(0, 8);
    const status = await nexus(['deploy', 'status', prefix], t.tokens.viewer);
    expect(status.code).toBe(EXIT.ok);
    expect(status.stdout.split('\n')[0]).toBe('web v2 canary [paused] 10 % on v2, stable v1');
    expect(status.stdout).toMatch(/> +1 pause until promoted +running/);

    // Waiting for promotion is not a pause a resume ends.
    const resume = await nexus(['deploy', 'resume', prefix]);
    expect(resume.code).toBe(EXIT.conflict);
    expect(resume.stderr).toMatch(/promote it to go on/);
    expect((await nexus(['deploy', 'promote', prefix], t.tokens.viewer)).code).toBe(EXIT.unauthorized);

    const promoted = await nexus(['deploy', 'promote', prefix]);
    expect(promoted.code).toBe(EXIT.ok);
    await until(t, id, (d) => d.state === 'paused' && d.canaryWeight === 50);
    expect(Math.abs((((await measureSplit(nginx.url, 200)).v2 ?? 0) / 200) * 100 - 50)).toBeLessThanOrEqual(5);

    const aborted = await nexus(['deploy', 'abort', prefix, '--reason', 'error budget', '--json']);
    expect(aborted.code).toBe(EXIT.ok);
    const done = await until(t, id, (d) => d.state === 'aborted');
    expect(done.reason).toBe('error budget');
    const shown = JSON.parse((await nexus(['deploy', 'status', id, '--json'], t.tokens.viewer)).stdout) as DeploymentDetail;
    expect(shown.timeline.filter((e) => e.actor === 'operator-user').map((e) => e.kind)).toEqual(['created', 'promoted', 'aborting']);
    expect(await measureSplit(nginx.url, 100)).toEqual({ v1: 100 });
  });

  it('status --follow streams each step until the deployment ends, and exits 1 when it did not succeed', async () => {
    const started = await nexus(['deploy', 'start', SERVICE, 'v2', '--upstream', v2.address, '--step', '25', '--step', 'pause', '--step', '100', '--json']);
    expect(started.code).toBe(EXIT.ok);
    const { id } = JSON.parse(started.stdout) as Deployment;
    const follower = spawn(BIN, ['deploy', 'status', id, '--follow', '--json'], { env: env(t.tokens.viewer) });
    let out = '';
    follower.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => follower.on('exit', (code) => resolve(code)));
    await until(t, id, (d) => d.state === 'paused' && d.canaryWeight === 25);
    expect((await nexus(['deploy', 'promote', id])).code).toBe(EXIT.ok);
    await until(t, id, (d) => d.state === 'succeeded');
    expect(await exited).toBe(EXIT.ok);
    const lines = out.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; canaryWeight: number; seq: number });
    // Every event once, in order, through to the end.
    expect(lines.map((l) => l.seq)).toEqual([...lines.map((l) => l.seq)].sort((a, b) => a - b));
    expect(new Set(lines.map((l) => l.seq)).size).toBe(lines.length);
    expect(lines.map((l) => l.kind)).toEqual(expect.arrayContaining(['created', 'traffic', 'paused', 'promoted', 'succeeded']));
    expect(lines.at(-1)).toMatchObject({ kind: 'succeeded', canaryWeight: 100 });

    // Rolling back the promoted release: follow ends with exit 1 (it did not end succeeded).
    expect((await nexus(['deploy', 'rollback', id.slice(0, 6), '--reason', 'latency'])).code).toBe(EXIT.ok);
    await until(t, id, (d) => d.state === 'rolled_back');
    const after = await nexus(['deploy', 'status', id, '--follow']);
    expect(after.code).toBe(EXIT.failure);
    expect(after.stderr).toBe('nexus: the deployment ended rolled back\n');
  });

  it('pause holds a timed pause with the reason on the timeline; resume goes on', async () => {
    const started = await nexus(['deploy', 'start', SERVICE, 'v2', '--upstream', v2.address, '--stable', `v1=${v1.address}`, '--step', '10', '--step', 'pause=3600', '--json']);
    const { id } = JSON.parse(started.stdout) as Deployment;
    await until(t, id, (d) => d.steps[1]?.state === 'running');
    const paused = await nexus(['deploy', 'pause', id, '--reason', 'dashboard looks odd']);
    expect(paused).toMatchObject({ code: EXIT.ok, stdout: `Deployment ${id} is paused (10 % on v2)\n` });
    expect((await nexus(['deploy', 'pause', id])).code).toBe(EXIT.conflict);
    const resumed = await nexus(['deploy', 'resume', id, '--json']);
    expect((JSON.parse(resumed.stdout) as Deployment).state).toBe('progressing');
    const detail = await until(t, id, (d) => d.timeline.some((e) => e.kind === 'resumed'));
    expect(detail.timeline.filter((e) => e.actor === 'operator-user').map((e) => [e.kind, e.summary])).toEqual([
      ['created', 'canary of web v2 started (stable: v1)'],
      ['paused', 'dashboard looks odd'],
      ['resumed', 'Resumed by operator-user'],
    ]);
    expect((await nexus(['deploy', 'abort', id])).code).toBe(EXIT.ok);
    await until(t, id, (d) => d.state === 'aborted');
  });

  it('start --analysis sends the file\'s analysis; without Prometheus its round is inconclusive and the deployment pauses for a person', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-deploy-'));
    const file = path.join(dir, 'analysis.json');
    await fs.writeFile(file, JSON.stringify({ metrics: [{ name: 'errors', query: 'sum(rate(http_requests_total{version="{{version}}",status="500"}[1m]))', max: 0.05 }], intervalSeconds: 1, count: 1 }));
    const started = await nexus(['deploy', 'start', SERVICE, 'v2', '--upstream', v2.address, '--stable', `v1=${v1.address}`, '--step', '10', '--step', 'analysis', '--analysis', file, '--json']);
    expect(started.code).toBe(EXIT.ok);
    const { id, analysis } = JSON.parse(started.stdout) as Deployment;
    expect(analysis).toMatchObject({ intervalSeconds: 1, count: 1, failureLimit: 0 });
    const paused = await until(t, id, (d) => d.state === 'paused');
    expect(paused.reason).toMatch(/inconclusive/);
    const status = await nexus(['deploy', 'status', id], t.tokens.viewer);
    expect(status.stdout).toMatch(/Analysis round 1\/1: errors - inconclusive/);
    expect((await nexus(['deploy', 'abort', id])).code).toBe(EXIT.ok);
    await until(t, id, (d) => d.state === 'aborted');

    await fs.writeFile(file, '{ not json');
    const bad = await nexus(['deploy', 'start', SERVICE, 'v2', '--upstream', v2.address, '--analysis', file]);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/analysis\.json is not JSON/);
    const missing = await nexus(['deploy', 'start', SERVICE, 'v2', '--upstream', v2.address, '--analysis', path.join(dir, 'nope.json')]);
    expect(missing.stderr).toMatch(/^nexus: cannot read .*nope\.json: ENOENT\n/);
    await fs.rm(dir, { recursive: true });
  });

  it('refuses bad steps and ids before any request, with a one-line usage error', async () => {
    const bad = await nexus(['deploy', 'start', SERVICE, 'v3', '--upstream', '127.0.0.1:9', '--step', '150']);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/^nexus: option '--step <step>' argument '150' is invalid\. must be a whole number from 0 to 100\n/);
    const unknown = await nexus(['deploy', 'start', SERVICE, 'v3', '--upstream', '127.0.0.1:9', '--step', 'wait']);
    expect(unknown.stderr).toMatch(/must be a weight \(0-100\), pause, pause=<seconds>, analysis or gate=<url>/);
    expect(bad.stderr).toMatch(/hint: see `nexus deploy start --help`/);
    expect((await nexus(['deploy', 'status', 'not-an-id'])).code).toBe(EXIT.usage);
    const server = await nexus(['deploy', 'start', 'Bad_Name', 'v3', '--upstream', '127.0.0.1:9']);
    expect(server.code).toBe(EXIT.usage);
    expect(server.stderr).toMatch(/service/);
  });

  it('start a blue-green with a gate, a health URL and manual promotion; status shows them; promote switches', async () => {
    const v3 = await startVersion('v3');
    const asked: string[] = [];
    const gate = http.createServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      req.resume().on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    const gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/confirm/t0ken`;
    try {
      // A canary takes none of these: the server says so.
      const canary = await nexus(['deploy', 'start', SERVICE, 'v3', '--upstream', v3.address, '--gate', gateUrl]);
      expect(canary.code).toBe(EXIT.usage);
      expect(canary.stderr).toMatch(/blueGreen: only for strategy "blue-green"/);

      const started = await nexus([
        'deploy', 'start', SERVICE, 'v3', '--upstream', v3.address, '--strategy', 'blue-green',
        '--gate', gateUrl, '--manual-promotion', '--health-url', `http://${v3.address}`, '--scale-down-delay', '1', '--json',
      ]);
      expect(started.code, started.stderr).toBe(EXIT.ok);
      const created = JSON.parse(started.stdout) as Deployment;
      expect(created.steps.map((s) => s.kind)).toEqual(['healthCheck', 'gate', 'pause', 'setWeight', 'pause', 'scaleDown']);
      expect(created.steps[0]!.spec).toMatchObject({ url: `http://${v3.address}` });
      await until(t, created.id, (d) => d.state === 'paused' && d.currentStep === 2);
      expect(asked).toEqual(['POST /confirm/t0ken']);

      const status = await nexus(['deploy', 'status', created.id]);
      expect(status.stdout).toContain(`health check /health /api/health at http://${v3.address}`);
      expect(status.stdout).toContain(`gate ${gateUrl.replace('/confirm/t0ken', '')}`);
      expect(status.stdout).not.toContain('t0ken');
      expect(status.stdout).toMatch(/> .*pause until promoted/);

      expect((await nexus(['deploy', 'promote', created.id])).code).toBe(EXIT.ok);
      const done = await until(t, created.id, (d) => d.state === 'succeeded');
      expect(done.canaryWeight).toBe(100);
      expect(await measureSplit(nginx.url, 50)).toEqual({ v3: 50 });
      expect((await nexus(['deploy', 'rollback', created.id])).code).toBe(EXIT.ok);
      await until(t, created.id, (d) => d.state === 'rolled_back');
    } finally {
      await new Promise<void>((resolve) => gate.close(() => resolve()));
      await v3.close();
    }
  });
});
