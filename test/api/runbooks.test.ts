import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/platform/events/index.js';
import type { ParsedRunbook } from '../../src/runbooks/model.js';
import { ENGINES } from '../support/db.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';

const FIXTURES = path.resolve('test/fixtures/runbooks');
const SEED = fs.readFileSync(path.join(FIXTURES, 'seed-nexus-runbooks.md'), 'utf8');
const PLAIN = fs.readFileSync(path.join(FIXTURES, 'plain-lists.md'), 'utf8');
const HEADINGS = fs.readFileSync(path.join(FIXTURES, 'heading-steps.md'), 'utf8');

interface Imported {
  runbook: { id: string; slug: string; title: string; latestVersion: number; builtin: boolean };
  version: { version: number; checksum: string; importedBy: string; importedAt: string };
  created: boolean;
  stats: Record<string, number>;
}

interface Detail extends Omit<Imported, 'created'> {
  parsed: ParsedRunbook;
  source: string;
}

const SEED_STATS = { procedures: 11, phases: 18, steps: 51, commands: 103, checks: 7, contacts: 4 };

describe.each(ENGINES)('the runbook library over HTTP on %s', (engine) => {
  let t: TestApp;
  let seedId: string;

  beforeAll(async () => {
    // No built-ins: this suite owns every runbook it sees.
    t = await createTestApp(engine, { start: { builtinRunbooksDir: null } });
  });
  afterAll(async () => t?.close());

  const importAs = (token: string, payload: unknown) =>
    t.inject({ method: 'POST', url: '/api/v1/runbooks', headers: bearer(token), payload: payload as Record<string, unknown> });
  const get = (url: string, token = t.tokens.viewer) => t.inject({ method: 'GET', url, headers: bearer(token) });

  it('an operator imports the seed: 201, version 1, named after its title, with its counts', async () => {
    const events: DomainEvent[] = [];
    const unsubscribe = t.server.bus.subscribe((event) => events.push(event));
    const res = await importAs(t.tokens.operator, { source: SEED });
    unsubscribe();
    expect(res.statusCode).toBe(201);
    const body = json<Imported>(res);
    expect(body).toMatchObject({
      runbook: { slug: 'nexus-platform-runbooks', title: 'NEXUS Platform - Runbooks', latestVersion: 1, builtin: false },
      version: { version: 1, importedBy: 'operator-user' },
      created: true,
      stats: SEED_STATS,
    });
    expect(body.version.checksum).toMatch(/^[0-9a-f]{64}$/);
    seedId = body.runbook.id;
    expect(events.filter((e) => e.type === 'runbook.imported').map((e) => e.data)).toEqual([
      { id: seedId, slug: 'nexus-platform-runbooks', title: 'NEXUS Platform - Runbooks', version: 1, builtin: false, importedBy: 'operator-user' },
    ]);
  });

  it('the same text again stores nothing: 200 with version 1', async () => {
    const res = await importAs(t.tokens.admin, { source: SEED });
    expect(res.statusCode).toBe(200);
    expect(json<Imported>(res)).toMatchObject({ runbook: { id: seedId, latestVersion: 1 }, version: { version: 1, importedBy: 'operator-user' }, created: false });
    const rows = await t.server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM runbook_versions WHERE runbook_id = $1', [seedId]);
    expect(rows[0]!.n).toBe(1);
  });

  it('a changed text becomes version 2, and version 1 stays retrievable', async () => {
    const changed = SEED.replace('**Response Time**: 15 minutes', '**Response Time**: 10 minutes');
    const res = await importAs(t.tokens.operator, { source: changed });
    expect(res.statusCode).toBe(201);
    expect(json<Imported>(res)).toMatchObject({ runbook: { id: seedId, latestVersion: 2 }, version: { version: 2 }, created: true });

    const latest = json<Detail>(await get('/api/v1/runbooks/nexus-platform-runbooks'));
    expect(latest.version.version).toBe(2);
    expect(latest.source).toBe(changed);
    expect(latest.parsed.procedures[0]!.metadata.responseTime).toEqual({ text: '10 minutes', minutes: 10 });

    const first = json<Detail>(await get('/api/v1/runbooks/nexus-platform-runbooks?version=1'));
    expect(first.version.version).toBe(1);
    expect(first.runbook.latestVersion).toBe(2);
    expect(first.source).toBe(SEED);
    expect(first.parsed.procedures[0]!.metadata.responseTime).toEqual({ text: '15 minutes', minutes: 15 });
    expect(first.stats).toEqual(SEED_STATS);

    const versions = await get(`/api/v1/runbooks/${seedId}/versions`);
    expect(versions.statusCode).toBe(200);
    expect(json<{ items: Array<{ version: number; importedBy: string }>; next: null }>(versions)).toMatchObject({
      items: [
        { version: 2, importedBy: 'operator-user' },
        { version: 1, importedBy: 'operator-user' },
      ],
      next: null,
    });
  });

  it('a runbook is the same by id and by slug, with the whole parsed model', async () => {
    const bySlug = json<Detail>(await get('/api/v1/runbooks/nexus-platform-runbooks?version=1'));
    const byId = json<Detail>(await get(`/api/v1/runbooks/${seedId}?version=1`));
    expect(byId).toEqual(bySlug);
    const command = bySlug.parsed.procedures[10]!.phases[0]!.steps[0]!.commands[0]!;
    expect(command).toEqual({
      id: 'security-breach.steps.1.c1',
      text: 'kubectl delete pod <affected-pod> -n nexus-platform',
      line: 561,
      endLine: 561,
      language: 'bash',
      description: 'Isolate affected pods',
      placeholders: [{ raw: '<affected-pod>', syntax: 'angle', param: 'AFFECTED_POD', line: 561 }],
      assigns: [],
      annotations: {},
    });
    expect(bySlug.parsed.contacts).toHaveLength(4);
  });

  it('unknown runbooks and versions are 404s naming what is missing', async () => {
    const missing = await get('/api/v1/runbooks/no-such-runbook');
    expect(missing.statusCode).toBe(404);
    expect(json(missing)).toMatchObject({ error: { code: 'not_found', message: 'runbook "no-such-runbook" does not exist' } });
    const version = await get('/api/v1/runbooks/nexus-platform-runbooks?version=9');
    expect(version.statusCode).toBe(404);
    expect(json(version)).toMatchObject({ error: { message: 'runbook version "nexus-platform-runbooks@9" does not exist' } });
    expect((await get('/api/v1/runbooks/no-such-runbook/versions')).statusCode).toBe(404);
  });

  it('lists the library by slug with cursor paging; an explicit slug names a runbook', async () => {
    const res = await importAs(t.tokens.operator, { source: PLAIN, slug: 'cache-recovery' });
    expect(res.statusCode).toBe(201);
    expect(json<Imported>(res).runbook).toMatchObject({ slug: 'cache-recovery', title: 'Redis Cache Recovery' });

    const all = json<{ items: Array<{ slug: string; latestVersion: number }>; next: string | null }>(await get('/api/v1/runbooks'));
    expect(all.items.map((r) => [r.slug, r.latestVersion])).toEqual([
      ['cache-recovery', 1],
      ['nexus-platform-runbooks', 2],
    ]);
    expect(all.next).toBeNull();
    const page1 = json<{ items: Array<{ slug: string }>; next: string }>(await get('/api/v1/runbooks?limit=1'));
    expect(page1.items.map((r) => r.slug)).toEqual(['cache-recovery']);
    const page2 = json<{ items: Array<{ slug: string }>; next: string | null }>(await get(`/api/v1/runbooks?limit=1&cursor=${page1.next}`));
    expect(page2).toMatchObject({ items: [{ slug: 'nexus-platform-runbooks' }], next: null });
  });

  it('concurrent imports of one new text make one version: one 201, the others 200', async () => {
    const results = await Promise.all([1, 2, 3].map(() => importAs(t.tokens.operator, { source: HEADINGS })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    const ids = new Set(results.map((r) => json<Imported>(r).runbook.id));
    expect(ids.size).toBe(1);
    const detail = json<Detail>(await get('/api/v1/runbooks/ingress-tls-certificate-rotation'));
    expect(detail.runbook.latestVersion).toBe(1);
    // Front matter survives storage and serialisation.
    expect(detail.parsed.frontMatter).toEqual({ title: 'Ingress TLS certificate rotation', owner: 'platform-team', tags: ['tls', 'ingress', 'nginx'] });
  });

  it('viewers and responders read but cannot import', async () => {
    for (const role of ['viewer', 'responder'] as const) {
      const res = await importAs(t.tokens[role], { source: PLAIN, slug: 'sneaky' });
      expect(res.statusCode).toBe(403);
    }
    expect((await get('/api/v1/runbooks/sneaky')).statusCode).toBe(404);
    expect((await get('/api/v1/runbooks', t.tokens.viewer)).statusCode).toBe(200);
  });

  it('a runbook that cannot be imported is a 400 naming the line', async () => {
    const badAnnotation = await importAs(t.tokens.operator, { source: '# Bad\n\n### P\n\n<!-- nexus: risk=maybe -->\n```bash\nls\n```\n' });
    expect(badAnnotation.statusCode).toBe(400);
    expect(json(badAnnotation)).toEqual({
      error: {
        code: 'invalid_input',
        message: 'The runbook cannot be imported: line 5: annotation risk=maybe must be one of read, change, destructive',
        details: { line: 5 },
      },
    });
    const frontMatter = await importAs(t.tokens.operator, { source: '---\ntitle: [unclosed\n---\n# T\n\n1. **S**\n' });
    expect(frontMatter.statusCode).toBe(400);
    expect(json<{ error: { message: string } }>(frontMatter).error.message).toMatch(/^The runbook cannot be imported: line \d: front matter: /);
    const nothing = await importAs(t.tokens.operator, { source: '# Just a title\n\nAnd some words.\n' });
    expect(nothing.statusCode).toBe(400);
    expect(json<{ error: { message: string } }>(nothing).error.message).toMatch(/has no procedures/);
    const untitled = await importAs(t.tokens.operator, { source: '1. **Do it**\n' });
    expect(untitled.statusCode).toBe(400);
    expect(json<{ error: { message: string } }>(untitled).error.message).toMatch(/give a slug/);
    const badSlug = await importAs(t.tokens.operator, { source: PLAIN, slug: 'Not A Slug' });
    expect(badSlug.statusCode).toBe(400);
  });

  it('accepts a runbook above the app-wide body limit; refuses one above 2 MiB (400) and a body above 3 MiB (413)', async () => {
    const big = `# Big\n\n### Procedure\n\n1. **Look**\n\n   \`\`\`bash\n   ls\n   \`\`\`\n\n\`\`\`text\n${`${'Lots of output here. '.repeat(50)}\n`.repeat(1_200)}\`\`\`\n`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(t.config.bodyLimitBytes);
    const accepted = await importAs(t.tokens.operator, { source: big });
    expect(accepted.statusCode).toBe(201);
    expect(json<Imported>(accepted).stats).toMatchObject({ procedures: 1, commands: 1 });

    const tooLong = await importAs(t.tokens.operator, { source: 'x'.repeat(2 * 1024 * 1024 + 1) });
    expect(tooLong.statusCode).toBe(400);
    const tooBig = await importAs(t.tokens.operator, { source: 'x'.repeat(3 * 1024 * 1024 + 1) });
    expect(tooBig.statusCode).toBe(413);
  });

  it('every import attempt is in the audit log with its slug and version', async () => {
    const res = await get('/api/v1/audit?action=runbook.import&limit=100', t.tokens.admin);
    const entries = json<{ items: Array<{ actor: string; outcome: string; statusCode: number; target: string | null; details: Record<string, unknown> }> }>(res).items;
    const seedEntries = entries.filter((e) => e.details.slug === 'nexus-platform-runbooks').reverse();
    expect(seedEntries.map((e) => [e.actor, e.statusCode, e.target, e.details.version, e.details.created])).toEqual([
      ['operator-user', 201, seedId, 1, true],
      ['admin', 200, seedId, 1, false],
      ['operator-user', 201, seedId, 2, true],
    ]);
    // Refused before the body is read, so these carry who, not what.
    expect(entries.filter((e) => e.outcome === 'denied').map((e) => [e.actor, e.statusCode]).reverse()).toEqual([
      ['viewer-user', 403],
      ['responder-user', 403],
    ]);
  });
});
