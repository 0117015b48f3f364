import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import type { Channel, ChannelTestResult } from '../../src/notify/index.js';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { startReceiver } from '../notify/support.js';

const BIN = path.resolve('bin/nexus');
let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

function nexus(args: string[], token: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { ...process.env, NEXUS_URL: t.server.url, NEXUS_TOKEN: token, NO_COLOR: '1' }, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  receiver = await startReceiver((_i, request) => (request.path.startsWith('/down') ? 503 : 200));
  t = await createTestApp('pglite', { start: { listen: true } });
  for (const body of [
    { name: 'ops-ntfy', kind: 'ntfy', url: `${receiver.url}/ntfy/ops-topic` },
    { name: 'broken-discord', kind: 'discord', url: `${receiver.url}/down/hook` },
    { name: 'sms', kind: 'sms', url: `${receiver.url}/twilio`, secret: 'twilio-auth-token-0123456789abcdef', settings: { accountSid: 'AC1', from: '+14155550100' } },
  ]) {
    const res = await t.inject({ method: 'POST', url: '/api/v1/channels', headers: bearer(t.tokens.admin), payload: body });
    if (res.statusCode !== 201) throw new Error(res.body);
  }
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

describe('nexus channel', () => {
  it('lists channels and sends test messages by name, with the outcome as exit code', async () => {
    const list = await nexus(['channel', 'list', '--json'], t.tokens.admin);
    expect(list.code).toBe(EXIT.ok);
    expect((JSON.parse(list.stdout) as { items: Channel[] }).items.map((c) => `${c.name} ${c.kind}`)).toContain('ops-ntfy ntfy');
    const table = await nexus(['channel', 'list'], t.tokens.admin);
    expect(table.stdout).toMatch(/sms\s+sms\s+enabled\s+from \+14155550100 via http:\/\/127\.0\.0\.1:\d+\/…\s+yes/);
    expect(table.stdout).not.toContain('ops-topic');

    const sent = await nexus(['channel', 'test', 'ops-ntfy'], t.tokens.admin);
    expect(sent.code).toBe(EXIT.ok);
    expect(sent.stdout).toMatch(/^Sent a test message to channel:ops-ntfy \(\d+ ms\)\n$/);
    expect(receiver.requests.filter((r) => r.path === '/ntfy/')).toHaveLength(1);

    const call = await nexus(['channel', 'test', 'sms', '--to', '+1 415 555 0199', '--json'], t.tokens.admin);
    expect(call.code).toBe(EXIT.ok);
    expect(JSON.parse(call.stdout) as ChannelTestResult).toMatchObject({ outcome: 'sent', to: '+14155550199' });

    const failed = await nexus(['channel', 'test', 'broken-discord'], t.tokens.admin);
    expect(failed).toMatchObject({ code: EXIT.failure, stdout: '', stderr: 'nexus: the test message to channel:broken-discord failed: receiver answered HTTP 503\n' });
    expect((await nexus(['channel', 'test', 'sms'], t.tokens.admin)).code).toBe(EXIT.usage);
    expect((await nexus(['channel', 'test', 'nope'], t.tokens.admin)).code).toBe(EXIT.notFound);
    expect((await nexus(['channel', 'test', 'ops-ntfy'], t.tokens.operator)).code).toBe(EXIT.unauthorized);
  });
});
