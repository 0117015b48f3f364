import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import type { Incident } from '../../src/incidents/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { call, openIncident } from '../incidents/support.js';
import { waitFor } from '../notify/support.js';

const BIN = path.resolve('bin/nexus');
let t: TestApp;

function nexus(args: string[], token: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { ...process.env, NEXUS_URL: t.server.url, NEXUS_TOKEN: token, NO_COLOR: '1' }, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  t = await createTestApp('pglite', { start: { listen: true } });
});
afterAll(async () => t?.close());

describe('nexus incident', () => {
  it('list, ack, note, resolve, show and postmortem, with --json', async () => {
    const incident = await openIncident(t, { severity: 'P3', title: 'Slow checkout' });
    const list = await nexus(['incident', 'list', '--severity', 'P3', '--json'], t.tokens.viewer);
    expect(list).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect((JSON.parse(list.stdout) as { items: Incident[] }).items.map((i) => i.id)).toEqual([incident.id]);
    const table = await nexus(['incident', 'list'], t.tokens.viewer);
    expect(table.stdout).toContain(`${incident.id}  P3   triggered  Slow checkout`);

    const ack = await nexus(['incident', 'ack', incident.id], t.tokens.responder);
    expect(ack).toMatchObject({ code: EXIT.ok, stdout: `Incident ${incident.id} is acknowledged\n` });
    expect((await nexus(['incident', 'note', incident.id, 'cache cold', '--json'], t.tokens.responder)).code).toBe(EXIT.ok);
    const resolved = await nexus(['incident', 'resolve', incident.id, '--json'], t.tokens.responder);
    expect((JSON.parse(resolved.stdout) as Incident).state).toBe('resolved');

    const again = await nexus(['incident', 'ack', incident.id], t.tokens.responder);
    expect(again.code).toBe(EXIT.conflict);
    expect(again.stderr).toContain('Cannot acknowledge an incident that is resolved');

    const show = await nexus(['incident', 'show', incident.id, '--json'], t.tokens.viewer);
    const shown = JSON.parse(show.stdout) as Incident & { timeline: Array<{ kind: string; summary: string }> };
    expect(shown.timeline.map((e) => e.kind)).toEqual(['state', 'state', 'note', 'state']);
    expect(shown.timeline[2]!.summary).toBe('cache cold');

    const pm = await nexus(['incident', 'postmortem', incident.id], t.tokens.viewer);
    expect(pm.code).toBe(EXIT.ok);
    expect(pm.stdout.split('\n')[0]).toBe('# Post-mortem: Slow checkout');
    expect(pm.stdout).toContain('## Follow-ups');
    expect((await nexus(['incident', 'ack', incident.id], t.tokens.viewer)).code).toBe(EXIT.unauthorized);
    expect((await nexus(['incident', 'show', 'not-an-id'], t.tokens.viewer)).code).toBe(EXIT.usage);
  });

  it('show says who paging reached and why not, flags an escalation that reached nobody, and keeps a met clock as met', async () => {
    const policies = await call<{ items: Array<{ id: string; name: string }> }>(t, 'viewer', 'GET', '/api/v1/escalation-policies');
    const policy = policies.body.items.find((p) => p.name === 'default')!.id;
    // Out of the box nothing can deliver: every level reaches nobody and escalation runs out.
    const incident = await openIncident(t, { severity: 'P2', title: 'Nobody home', escalationPolicyId: policy });
    await waitFor(async () => (await call<Incident>(t, 'viewer', 'GET', `/api/v1/incidents/${incident.id}`)).body.paging.unreachable, 'paging to run out');
    const shown = await nexus(['incident', 'show', incident.id.slice(0, 8)], t.tokens.viewer);
    expect(shown.code).toBe(EXIT.ok);
    expect(shown.stdout).toContain('PAGING REACHED NOBODY');
    expect(shown.stdout).toMatch(/level 0 \[unreached\] Reached nobody: On-Call Engineer by phone — not configured/);
    expect(shown.stdout).toMatch(/level 1 \[unreached\] Reached nobody at escalation level 1: Escalation Manager/);
    expect(shown.stdout).toMatch(/acknowledge due \S+/);

    expect((await nexus(['incident', 'ack', incident.id], t.tokens.responder)).code).toBe(EXIT.ok);
    const acked = await nexus(['incident', 'show', incident.id], t.tokens.viewer);
    expect(acked.stdout).toMatch(/acknowledge met in \d+ min · resolve due /);
  });

  it('mitigate, resolve, close and reopen by a unique id prefix, as the console moves it', async () => {
    const incident = await openIncident(t, { severity: 'P2', title: 'Queue backlog' });
    const prefix = incident.id.slice(0, 8);
    const states: string[] = [];
    for (const action of ['ack', 'mitigate', 'resolve', 'close', 'reopen']) {
      const res = await nexus(['incident', action, prefix, '--json'], t.tokens.responder);
      expect(res.code).toBe(EXIT.ok);
      states.push((JSON.parse(res.stdout) as Incident).state);
    }
    expect(states).toEqual(['acknowledged', 'mitigated', 'resolved', 'closed', 'triggered']);
    const premature = await nexus(['incident', 'close', prefix], t.tokens.responder);
    expect(premature.code).toBe(EXIT.conflict);
    expect((await nexus(['incident', 'mitigate', prefix], t.tokens.viewer)).code).toBe(EXIT.unauthorized);
  });

  it('an id prefix that matches nothing is exit 5; a malformed one exit 2 with a hint, before any request', async () => {
    const taken = (JSON.parse((await nexus(['incident', 'list', '--json'], t.tokens.viewer)).stdout) as { items: Incident[] }).items.map((i) => i.id);
    const unknown = ['0000', 'ffff', '1234'].find((prefix) => !taken.some((id) => id.startsWith(prefix)))!;
    const none = await nexus(['incident', 'ack', unknown], t.tokens.responder);
    expect(none).toMatchObject({ code: EXIT.notFound, stderr: `nexus: no incident id starts with ${unknown}\n` });
    const malformed = await nexus(['incident', 'ack', 'ab'], t.tokens.responder);
    expect(malformed).toMatchObject({
      code: EXIT.usage,
      stdout: '',
      stderr:
        "nexus: command-argument value 'ab' is invalid for argument 'id'. must be an incident id, or a unique prefix of one (at least 4 hex digits)\n" +
        'hint: see `nexus incident ack --help`\n',
    });
  });

  it('assign: me, a username (admin), none, and --commander; a responder naming a user gets a hint', async () => {
    const incident = await openIncident(t, { severity: 'P3', title: 'Disk filling' });
    const mine = await nexus(['incident', 'assign', incident.id, 'me', '--json'], t.tokens.responder);
    expect((JSON.parse(mine.stdout) as Incident).assigneeId).toBe(t.userIds.responder);
    const byName = await nexus(['incident', 'assign', incident.id, 'operator-user'], t.tokens.admin);
    expect(byName).toMatchObject({ code: EXIT.ok, stdout: `Incident ${incident.id}: assignee operator-user\n` });
    const commander = await nexus(['incident', 'assign', incident.id, 'me', '--commander', '--json'], t.tokens.admin);
    expect(JSON.parse(commander.stdout)).toMatchObject({ assigneeId: t.userIds.operator, commanderId: t.userIds.admin });
    const nobody = await nexus(['incident', 'assign', incident.id, 'none', '--json'], t.tokens.responder);
    expect((JSON.parse(nobody.stdout) as Incident).assigneeId).toBeNull();

    const refused = await nexus(['incident', 'assign', incident.id, 'operator-user'], t.tokens.responder);
    expect(refused).toMatchObject({
      code: EXIT.usage,
      stderr: 'nexus: cannot look up "operator-user": finding users by name needs the admin role\nhint: give `me`, `none` or the user\'s full id\n',
    });
    const byId = await nexus(['incident', 'assign', incident.id, t.userIds.operator, '--json'], t.tokens.responder);
    expect((JSON.parse(byId.stdout) as Incident).assigneeId).toBe(t.userIds.operator);
  });
});
