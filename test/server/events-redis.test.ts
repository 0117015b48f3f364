import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, TEST_JWT_KEY } from '../support/app.js';
import { createPostgresDatabase } from '../support/db.js';
import { REDIS_URL } from '../support/env.js';

interface Proc {
  child: ChildProcessWithoutNullStreams;
  url: string;
}

function startNexus(env: Record<string, string>): Promise<Proc> {
  const child = spawn(path.resolve('bin/nexus'), ['serve'], {
    env: { PATH: process.env.PATH!, HOME: os.tmpdir(), LOG_LEVEL: 'warn', PORT: '0', ...env },
  });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`nexus exited ${code}: ${out}`)));
  });
}

/** Reads an SSE stream and resolves with the first event of the wanted type whose data matches. */
async function openStream(url: string, token: string) {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/v1/events?types=user.`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const next = async (type: string, match: (data: Record<string, unknown>) => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event === type && data) {
          const parsed = JSON.parse(data) as { data: Record<string, unknown> };
          if (match(parsed.data)) return parsed;
        }
      }
      if (Date.now() > deadline) throw new Error(`no ${type} event within ${timeoutMs} ms`);
      const chunk = await reader.read();
      if (chunk.done) throw new Error('stream ended');
      buffer += chunk.value;
    }
  };
  return { next, close: () => controller.abort() };
}

describe('live events cross processes through Redis', () => {
  const procs: Proc[] = [];
  let drop: () => Promise<void>;
  let dataDir: string;

  beforeAll(async () => {
    const db = await createPostgresDatabase();
    drop = db.drop;
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-events-'));
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      NEXUS_EVENTS_CHANNEL: `nexus:test:${randomBytes(6).toString('hex')}`,
      JWT_SECRET_KEY: TEST_JWT_KEY,
      NEXUS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      NEXUS_DATA_DIR: dataDir,
    };
    // Sequentially: the second finds the admin the first created.
    procs.push(await startNexus(env));
    procs.push(await startNexus(env));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(
      procs.map((p) => new Promise<void>((resolve) => (p.child.on('exit', () => resolve()), p.child.kill('SIGTERM')))),
    );
    await drop?.();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('a user created on process A reaches an SSE client of process B, and the other way round', async () => {
    const [a, b] = procs as [Proc, Proc];
    const login = await fetch(`${a.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const onB = await openStream(b.url, token);
    const onA = await openStream(a.url, token);
    try {
      const create = (url: string, username: string) =>
        fetch(`${url}/api/v1/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ username, password: 'a-long-password-1', role: 'viewer' }),
        });
      expect((await create(a.url, 'made-on-a')).status).toBe(201);
      const seenOnB = await onB.next('user.created', (d) => d.username === 'made-on-a');
      expect(seenOnB.data).toMatchObject({ username: 'made-on-a', role: 'viewer' });
      // The publisher's own clients hear it too, exactly as the others do.
      await onA.next('user.created', (d) => d.username === 'made-on-a');

      expect((await create(b.url, 'made-on-b')).status).toBe(201);
      const seenOnA = await onA.next('user.created', (d) => d.username === 'made-on-b');
      expect(seenOnA.data).toMatchObject({ username: 'made-on-b' });
      expect(JSON.stringify(seenOnA)).not.toMatch(/password/i);
    } finally {
      onA.close();
      onB.close();
    }
  });
});
