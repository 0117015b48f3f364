import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NEXUS = path.resolve('bin/nexus');

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
}

/** Starts `nexus serve` and resolves once it prints the address it listens on. */
function startNexus(env: Record<string, string>): Promise<Started> {
  const child = spawn(NEXUS, ['serve'], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', ...env },
  });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    // A start that never finishes must not outlive the test: kill it, then fail.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nexus did not start: ${out} ${err}`));
    }, 90_000);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const match = /listening on (http:\/\/[^\s]+)/.exec(out);
      // The banner and the one-time password are written together; wait for the end of both.
      if (match && (!out.includes('First start') || out.includes('shown again'))) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, stdout: () => out });
      }
    });
    child.on('exit', (code) => reject(new Error(`nexus exited with ${code}: ${out} ${err}`)));
  });
}

function stopNexus(started: Started): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.on('exit', (code) => resolve(code));
    started.child.kill('SIGTERM');
  });
}

function runNexus(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(NEXUS, args, { env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('embedded mode: `nexus serve` with PGlite in a data directory', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-embedded-'));
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('first start serves, creates admin with a one-time password printed once; a restart keeps every row', async () => {
    const first = await startNexus({ NEXUS_DATA_DIR: dataDir });
    // The executable starts Node itself, with bin/nexus's flags (its `env -S` line): a 64 MB young generation.
    const cmdline = (await fs.readFile(`/proc/${first.child.pid}/cmdline`, 'utf8')).split('\0');
    expect(cmdline.slice(0, 2)).toEqual(['node', '--max-semi-space-size=64']);
    expect(cmdline).toContain(NEXUS);
    const password = /one-time password:\s+(\S+)/.exec(first.stdout())?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    const ready = await fetch(`${first.url}/api/health`);
    // Out of the box nothing can deliver a page (no SMTP, no Slack URL, no phone provider): ready, but degraded, and said at start-up.
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'degraded',
      failing: ['notify'],
      checks: { database: { status: 'up' }, redis: { status: 'disabled' }, notify: { status: 'degraded', detail: expect.stringContaining('NEXUS_SMTP_URL is not set') } },
    });
    expect(first.stdout()).toContain('incident pages reach nobody');

    const login = await fetch(`${first.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${first.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ username: 'survivor', password: 'survivor-password', role: 'operator' }),
    });
    expect(created.status).toBe(201);
    expect(await stopNexus(first)).toBe(0);

    const second = await startNexus({ NEXUS_DATA_DIR: dataDir });
    try {
      expect(second.stdout()).not.toContain('one-time password');
      // The session token from before the restart still works: the key lives in the data dir.
      const users = await fetch(`${second.url}/api/v1/users`, { headers: { authorization: `Bearer ${token}` } });
      expect(users.status).toBe(200);
      const names = ((await users.json()) as { items: Array<{ username: string }> }).items.map((u) => u.username);
      expect(names).toEqual(['admin', 'survivor']);
      const audit = await fetch(`${second.url}/api/v1/audit?action=user.create`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await audit.json()) as { items: unknown[] }).items).toHaveLength(1);
    } finally {
      expect(await stopNexus(second)).toBe(0);
    }
    const keyStat = await fs.stat(path.join(dataDir, 'jwt-secret'));
    expect(keyStat.mode & 0o777).toBe(0o600);
    // Two cold starts of a real process (PGlite initdb included): a deadline, not a speed target.
  }, 240_000);

  it('`nexus migrate` finds nothing left to apply on that directory', async () => {
    const result = await runNexus(['migrate'], { NEXUS_DATA_DIR: dataDir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Migrations up to date \(\d+ applied\) on pglite\n$/);
  });

  it('NEXUS_ADMIN_PASSWORD sets the first admin password and nothing is printed', async () => {
    const otherDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-embedded-'));
    const started = await startNexus({ NEXUS_DATA_DIR: otherDir, NEXUS_ADMIN_PASSWORD: 'chosen-admin-password' });
    try {
      expect(started.stdout()).not.toContain('one-time password');
      const login = await fetch(`${started.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'chosen-admin-password' }),
      });
      expect(login.status).toBe(200);
    } finally {
      await stopNexus(started);
      await fs.rm(otherDir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT: expected a whole number, got "eighty"'],
    [{ PORT: '70000' }, 'PORT: must be between 0 and 65535, got 70000'],
    [{ DATABASE_URL: 'mysql://u:secret@db/x' }, 'DATABASE_URL: scheme must be one of postgres, postgresql, got "mysql"'],
    [{ JWT_SECRET_KEY: 'short' }, 'JWT_SECRET_KEY: must be at least 32 bytes long'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    [{ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' }, 'JWT_SECRET_KEY: is required when DATABASE_URL is set'],
  ])('a bad setting %j stops with a message naming it, exit code 3, no stack trace', async (env, message) => {
    const result = await runNexus(['serve'], { NEXUS_DATA_DIR: dataDir, ...env });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`nexus: configuration error: ${message}`);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);
    expect(result.stderr).not.toContain('secret@');
  });
});
