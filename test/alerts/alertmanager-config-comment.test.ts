import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { amAlert, amPayload } from './support.js';

const CONFIG = path.resolve('deploy/prometheus/alertmanager.yml');
const BIN = path.resolve('bin/nexus');

/** The `nexus …` commands the file's comments give, without their shell redirections. */
async function commandsInComments(): Promise<string[][]> {
  const comments = (await fs.readFile(CONFIG, 'utf8'))
    .split('\n')
    .filter((line) => line.trimStart().startsWith('#'))
    .join('\n');
  return [...comments.matchAll(/`nexus ([^`]+)`/g)].map((match) => match[1]!.split('>')[0]!.trim().split(/\s+/));
}

function nexus(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(BIN, args, { env: { ...process.env, ...env, NO_COLOR: '1' }, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
    child.stdin?.end('');
  });
}

describe('the token command in deploy/prometheus/alertmanager.yml', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { start: { listen: true } });
  });
  afterAll(async () => t?.close());

  it('runs as written and prints a token the Alertmanager receiver accepts', async () => {
    const commands = (await commandsInComments()).filter((args) => args[0] === 'tokens');
    expect(commands).toEqual([['tokens', 'create', '--name', 'alertmanager', '--role', 'responder']]);
    const run = await nexus(commands[0]!, { NEXUS_URL: t.server.url, NEXUS_TOKEN: t.tokens.responder });
    expect(run.code, run.stderr).toBe(0);
    const token = run.stdout.trim();
    expect(token).toMatch(/^nxs_\S+$/);
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/alerts/alertmanager',
      headers: bearer(token),
      payload: amPayload('{}:{alertname="NexusHighErrorRate", job="comment"}', [amAlert({ alertname: 'NexusHighErrorRate', job: 'comment' })]),
    });
    expect(res.statusCode, res.body).toBe(200);
  });
});
