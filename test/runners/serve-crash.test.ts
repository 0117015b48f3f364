import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandsOf } from '../../src/runbooks/model.js';
import { parseRunbook } from '../../src/runbooks/parser/index.js';
import { markedProcesses, runbookMarkdown, until } from '../runs/support.js';

/*
 * Issue 14, point 7, with the local runner of a real `nexus serve`: SIGKILL
 * the server while its command runs; nothing of the command may live on
 * (before the sandbox, it ran on past its own timeout).
 */

const NEXUS = path.resolve('bin/nexus');
const PASSWORD = `admin-${randomBytes(8).toString('hex')}`;

function startNexus(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(NEXUS, ['serve'], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', NEXUS_DATA_DIR: dataDir, NEXUS_ADMIN_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    // A start that never finishes must not outlive the test: kill it, then fail.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nexus did not start: ${out}`));
    }, 90_000);
    child.stderr!.on('data', (d) => (out += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`nexus exited with ${code}: ${out}`)));
  });
}

// Starts a whole `nexus serve`: a deadline sized for a loaded machine.
describe('`nexus serve` killed while its local runner runs a command', { timeout: 180_000 }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-serve-crash-'));
  let nexus: ChildProcess | undefined;
  afterAll(() => {
    nexus?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes the command with it: no process of the step is left, not even one that left its process group', async () => {
    const started = await startNexus(dataDir);
    nexus = started.child;
    const call = async <T>(method: string, url: string, token: string | null, body?: unknown): Promise<T> => {
      const res = await fetch(`${started.url}${url}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? null : JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const { token } = await call<{ token: string }>('POST', '/api/v1/auth/login', null, { username: 'admin', password: PASSWORD });
    const marker = `nexus-marker-${randomBytes(6).toString('hex')}`;
    const source = runbookMarkdown('Crash', [{ text: `(exec -a ${marker} sleep 300) & setsid bash -c 'exec -a ${marker} sleep 300' & echo started; wait` }]);
    const procedure = parseRunbook(source).procedures[0]!;
    const slug = `crash-${randomBytes(3).toString('hex')}`;
    await call('POST', '/api/v1/runbooks', token, { source, slug });
    const run = await call<{ id: string }>('POST', '/api/v1/runs', token, { runbook: slug, procedure: procedure.id });
    await call('POST', `/api/v1/runs/${run.id}/steps/${commandsOf(procedure)[0]!.command.id}/run`, token);
    await until('both marked processes', () => (markedProcesses(marker).length === 2 ? true : undefined), 30_000);

    const exited = new Promise((resolve) => nexus!.once('exit', resolve));
    nexus.kill('SIGKILL');
    await exited;
    await until('no marked process left', () => (markedProcesses(marker).length === 0 ? true : undefined), 10_000);
    expect(markedProcesses(marker)).toEqual([]);
  });
});
