import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/app.js';
import { api, getRun, runStep, startRun, stepOf } from '../runs/support.js';
import { runbookWith } from './support.js';

/*
 * Issue 14, point 2, through a real `nexus serve` (embedded mode, so the JWT
 * key is generated into the data directory): an operator's read step tries
 * to reach NEXUS's secrets with the local runner, then prints them in the
 * encodings a command could use to slip them past redaction.
 */

/** What a reader could decode from the output: raw, base64 at any alignment (wrapped or not), hex. */
function readable(output: string): string {
  const flat = output.replace(/\s/g, '');
  const decoded = [0, 1, 2, 3].map((skip) => Buffer.from(flat.slice(skip), 'base64').toString('latin1'));
  return [output, ...decoded, Buffer.from(flat.replace(/[^0-9a-f]/gi, ''), 'hex').toString('latin1')].join('\n');
}

describe('the local runner and NEXUS own secrets (embedded mode)', () => {
  let t: TestApp;
  let jwtKey: string;

  beforeAll(async () => {
    t = await createTestApp('pglite', { env: { JWT_SECRET_KEY: undefined } });
    jwtKey = fs.readFileSync(path.join(t.config.dataDir, 'jwt-secret'), 'utf8').trim();
  });
  afterAll(async () => t?.close());

  it('a read step gets nothing from `cat "$DIR"/jwt-secret`, and cannot change the data directory', async () => {
    // One stream (2>&1): stdout and stderr are separate pipes, and their chunks may arrive in either order.
    const book = await runbookWith(t, [{ text: 'exec 2>&1; cat <dir>/jwt-secret; ls -a <dir>; touch <dir>/evil; id -un' }]);
    const run = await startRun(t, book.slug, book.procedure, { parameters: { DIR: t.config.dataDir } });
    const step = await runStep(t, run, book.ids[0]!);
    const output = (await api<{ output: string }>(t, 'viewer', 'GET', `/api/v1/runs/${run.id}/steps/${book.ids[0]}/output`)).body.output;
    expect(readable(output)).not.toContain(jwtKey);
    // Hidden (bubblewrap) or unreadable (plain mode: the runner user), the key is not there for the command.
    expect(output).toMatch(/jwt-secret: (No such file or directory|Permission denied)/);
    expect(output.trim().split('\n').at(-1)).toBe(process.getuid?.() === 0 ? 'nexus-runner' : expect.any(String));
    expect(step.state).toBe('succeeded');
    expect(fs.readdirSync(t.config.dataDir)).not.toContain('evil');
  });

  it('NEXUS secrets printed raw, base64 (wrapped, any alignment), hex or URL-encoded come out redacted', async () => {
    const channel = await api<{ id: string }>(t, 'admin', 'POST', '/api/v1/channels', {
      name: 'ops-hook',
      kind: 'webhook',
      url: 'https://hooks.example.com/T000/B000/channel-secret-path',
      secret: 'hmac-key-of-a-channel-0123456789',
    });
    expect(channel.status).toBe(201);
    const print = [
      'printf %s <value>',
      'printf %s <value> | base64',
      'printf "PREFIX=%s" <value> | base64',
      'printf "P=%s\\n" <value> | base64 -w0',
      'printf %s <value> | xxd -p',
      "jq -rn --arg s <value> '$s|@uri'",
    ].join('; echo; ');
    const book = await runbookWith(t, [{ text: print }]);
    for (const secret of [jwtKey, ADMIN_PASSWORD, 'hmac-key-of-a-channel-0123456789', 'https://hooks.example.com/T000/B000/channel-secret-path']) {
      const run = await startRun(t, book.slug, book.procedure, { parameters: { VALUE: secret } });
      const step = await runStep(t, run, book.ids[0]!);
      expect(step.state).toBe('succeeded');
      const output = (await api<{ output: string }>(t, 'viewer', 'GET', `/api/v1/runs/${run.id}/steps/${book.ids[0]}/output`)).body.output;
      expect(output.split('[redacted]').length - 1).toBeGreaterThanOrEqual(6);
      expect(readable(output)).not.toContain(secret);
      expect(output).not.toContain(encodeURIComponent(secret));
      expect(stepOf(await getRun(t, run.id), book.ids[0]!).outputExcerpt).not.toContain(secret);
    }
  });
});
