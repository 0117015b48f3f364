import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import { classifyRisk } from '../../src/runbooks/risk.js';
import { ADMIN_PASSWORD, createTestApp, login, type TestApp } from '../support/app.js';
import { type CliResult, cliEnv, runNexus } from '../support/cli.js';

let t: TestApp;

function nexus(args: string[], token: string): Promise<CliResult> {
  return runNexus(args, cliEnv(t, token), 20_000);
}

beforeAll(async () => {
  t = await createTestApp('pglite', { start: { listen: true } });
});
afterAll(async () => t?.close());

describe('nexus secrets', () => {
  it('refuses without --yes, and rejects a bad grace before any request', async () => {
    const noYes = await nexus(['secrets', 'rotate', '--revoke'], t.tokens.admin);
    expect(noYes.code).toBe(EXIT.usage);
    expect(noYes.stderr).toMatch(/ends every session at once, yours included; pass --yes/);
    const badGrace = await nexus(['secrets', 'rotate', '--grace', 'tomorrow', '--yes'], t.tokens.admin);
    expect(badGrace.code).toBe(EXIT.usage);
    expect(badGrace.stderr).toMatch(/--grace <duration>.*30m, 24h or 7d/);
    const operator = await nexus(['secrets', 'rotate', '--yes'], t.tokens.operator);
    expect(operator.code).toBe(EXIT.unauthorized);
    expect((await nexus(['secrets', 'history', '--json'], t.tokens.admin)).stdout).toContain('"items": []');
  });

  it('rotates with a grace, then with --revoke (saying the session ended), and lists the history', async () => {
    const graced = await nexus(['secrets', 'rotate', '--grace', '2h', '--yes'], t.tokens.admin);
    expect(graced.code).toBe(EXIT.ok);
    expect(graced.stdout).toMatch(/^Rotated the signing key \(new key id [0-9a-f-]{36}\)\.\nSessions and links signed before keep working until \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z; run with --revoke to end them now\.\n$/);

    const revoked = await nexus(['secrets', 'rotate', '--revoke', '--revoke-api-tokens', '--yes'], t.tokens.admin);
    expect(revoked.code).toBe(EXIT.ok);
    expect(revoked.stdout).toContain('all sessions have ended, yours included (4 users). Sign in again with `nexus login`.');
    // The session the command used is over.
    expect((await nexus(['secrets', 'history'], t.tokens.admin)).code).toBe(EXIT.unauthorized);

    const admin = await login(t.inject, 'admin', ADMIN_PASSWORD);
    const history = await nexus(['secrets', 'history'], admin);
    expect(history.code).toBe(EXIT.ok);
    const lines = history.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^AT\s+BY\s+MODE\s+SESSIONS ENDED\s+TOKENS REVOKED\s+K8S SECRET\s+NEW KEY ID$/);
    expect(lines[1]).toMatch(/\sadmin\s+revoke\s+4\s+0\s+no\s/);
    expect(lines[2]).toMatch(/\sadmin\s+grace 7200 s\s+0\s+0\s+no\s/);
  });

  it("the built-in runbook's Security Breach step rotates with this command, and it runs as written", async () => {
    const text = await fs.readFile('runbooks/nexus-platform.md', 'utf8');
    const breach = text.slice(text.indexOf('### Security Breach'), text.indexOf('3. **Update Security Policies**'));
    expect(breach).not.toContain('kubectl create secret');
    const line = breach.split('\n').map((l) => l.trim()).find((l) => l.startsWith('nexus secrets rotate'));
    expect(line).toBe('nexus secrets rotate --revoke --revoke-api-tokens --yes');
    // Revoking cannot be undone: the step waits for a second person's approval, a rotation with grace does not need to.
    expect(classifyRisk(line!).detected).toBe('destructive');
    expect(classifyRisk('nexus secrets rotate --grace 24h --yes').detected).toBe('change');
    const admin = await login(t.inject, 'admin', ADMIN_PASSWORD);
    const ran = await nexus(line!.split(' ').slice(1), admin);
    expect(ran.code).toBe(EXIT.ok);
    expect(ran.stdout).toContain('all sessions have ended, yours included');
    expect((await nexus(['secrets', 'history'], admin)).code).toBe(EXIT.unauthorized);
  });
});
