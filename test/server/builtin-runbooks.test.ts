import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { BUILTIN_RUNBOOKS_DIR } from '../../src/runbooks/library/service.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { ADMIN_PASSWORD, bearer, json, login, testConfig } from '../support/app.js';
import type { Config } from '../../src/platform/config.js';

const FIXTURES = path.resolve('test/fixtures/runbooks');

interface Listed {
  slug: string;
  latestVersion: number;
  builtin: boolean;
}

/**
 * Restarts NEXUS on one embedded data directory, as an operator upgrading
 * it would, with a built-in runbook folder the test controls.
 */
describe('built-in runbooks are imported at start', () => {
  let config: Config;
  let dir: string;
  const eventsChannel = `nexus:test:${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    config = await testConfig();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-builtin-'));
    await fs.copyFile(path.join(FIXTURES, 'seed-nexus-runbooks.md'), path.join(dir, 'nexus-platform.md'));
    await fs.copyFile(path.join(FIXTURES, 'annotated.md'), path.join(dir, 'node-drain.md'));
    await fs.writeFile(path.join(dir, 'README.txt'), 'not a runbook');
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(config.dataDir, { recursive: true, force: true });
  });

  async function withServer<T>(use: (server: RunningServer, token: string) => Promise<T>): Promise<T> {
    const server = await startServer(config, { listen: false, logger: createLogger('silent'), builtinRunbooksDir: dir, eventsChannel });
    try {
      const inject = server.app.inject.bind(server.app);
      return await use(server, await login(inject, 'admin', ADMIN_PASSWORD));
    } finally {
      await server.close();
    }
  }

  const library = async (server: RunningServer, token: string) =>
    json<{ items: Listed[] }>(await server.app.inject({ method: 'GET', url: '/api/v1/runbooks', headers: bearer(token) })).items.map(
      (r) => [r.slug, r.latestVersion, r.builtin],
    );
  const systemImports = async (server: RunningServer, token: string) =>
    json<{ items: Array<{ actor: string; outcome: string; details: Record<string, unknown> }> }>(
      await server.app.inject({ method: 'GET', url: '/api/v1/audit?action=runbook.import&actor=system', headers: bearer(token) }),
    ).items.map((e) => [e.outcome, e.details.slug, e.details.version ?? null]);

  it('the first start imports every *.md as version 1, named after its file, audited as the system', async () => {
    await withServer(async (server, token) => {
      expect(await library(server, token)).toEqual([
        ['nexus-platform', 1, true],
        ['node-drain', 1, true],
      ]);
      expect(await systemImports(server, token)).toEqual([
        ['success', 'node-drain', 1],
        ['success', 'nexus-platform', 1],
      ]);
      const detail = json<{ version: { importedBy: string } }>(
        await server.app.inject({ method: 'GET', url: '/api/v1/runbooks/nexus-platform', headers: bearer(token) }),
      );
      expect(detail.version.importedBy).toBe('system');
    });
  });

  it('a restart with the same files stores nothing; a changed file becomes a new version', async () => {
    await withServer(async (server, token) => {
      expect(await library(server, token)).toEqual([
        ['nexus-platform', 1, true],
        ['node-drain', 1, true],
      ]);
      expect(await systemImports(server, token)).toHaveLength(2);
    });
    const drain = path.join(dir, 'node-drain.md');
    await fs.writeFile(drain, (await fs.readFile(drain, 'utf8')).replace('timeout=30s', 'timeout=45s'));
    await withServer(async (server, token) => {
      expect(await library(server, token)).toEqual([
        ['nexus-platform', 1, true],
        ['node-drain', 2, true],
      ]);
      expect((await systemImports(server, token))[0]).toEqual(['success', 'node-drain', 2]);
    });
  });

  it("a person's newer version of a built-in runbook is not undone by the next start", async () => {
    await withServer(async (server, token) => {
      const source = (await fs.readFile(path.join(dir, 'nexus-platform.md'), 'utf8')) + '\n## Notes\n\nLocal changes.\n';
      const res = await server.app.inject({ method: 'POST', url: '/api/v1/runbooks', headers: bearer(token), payload: { source, slug: 'nexus-platform' } });
      expect(res.statusCode).toBe(201);
    });
    await withServer(async (server, token) => {
      expect(await library(server, token)).toEqual([
        ['nexus-platform', 2, true],
        ['node-drain', 2, true],
      ]);
    });
  });

  it('a broken file is logged and audited, and NEXUS still starts with the others', async () => {
    await fs.writeFile(path.join(dir, 'broken.md'), '# Broken\n\n### P\n\n```bash timeout=5\nls\n```\n\n<!-- nexus: risk=sometimes -->\n```bash\nls\n```\n');
    await withServer(async (server, token) => {
      expect((await library(server, token)).map(([slug]) => slug)).toEqual(['nexus-platform', 'node-drain']);
      expect((await systemImports(server, token))[0]).toEqual(['error', 'broken', null]);
    });
    await fs.rm(path.join(dir, 'broken.md'));
  });
});

describe("the repository's own runbooks/", () => {
  it('is where NEXUS looks by default, and whatever is there imports cleanly', async () => {
    expect(BUILTIN_RUNBOOKS_DIR).toBe(path.resolve('runbooks'));
    const files = await fs.readdir(BUILTIN_RUNBOOKS_DIR).then(
      (names) => names.filter((n) => n.endsWith('.md')),
      () => [],
    );
    const config = await testConfig();
    const server = await startServer(config, { listen: false, logger: createLogger('silent'), eventsChannel: `nexus:test:${randomBytes(6).toString('hex')}` });
    try {
      const token = await login(server.app.inject.bind(server.app), 'admin', ADMIN_PASSWORD);
      const listed = json<{ items: Listed[] }>(await server.app.inject({ method: 'GET', url: '/api/v1/runbooks', headers: bearer(token) })).items;
      expect(listed.map((r) => r.slug).sort()).toEqual(files.map((f) => f.replace(/\.md$/, '')).sort());
      expect(listed.every((r) => r.builtin && r.latestVersion === 1)).toBe(true);
    } finally {
      await server.close();
      await fs.rm(config.dataDir, { recursive: true, force: true });
    }
  });
});
