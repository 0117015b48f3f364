import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/web-build.js';
import { DASHBOARD_MODULE, INITIAL_ROUTE_BUDGET_BYTES, initialRouteChunks, measureInitialRoute, type InitialRouteSize } from '../../scripts/web-bundle-size.js';

/**
 * Issue 5: the dashboard's first load stays under 300 KB of compressed
 * JavaScript, and every other page is a chunk of its own. Sizes of a build
 * are deterministic, so this is an exact check, not a timing.
 */
describe('the console bundle', () => {
  let outDir: string;
  let size: InitialRouteSize;
  let manifest: Record<string, { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] }>;

  beforeAll(async () => {
    // A build of its own, so a web/dist that someone is serving is left alone.
    outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-web-build-'));
    await buildConsole({ outDir, logLevel: 'silent' });
    size = await measureInitialRoute(outDir);
    manifest = JSON.parse(await fs.readFile(path.join(outDir, '.vite', 'manifest.json'), 'utf8'));
  }, 300_000);
  afterAll(async () => {
    if (outDir) await fs.rm(outDir, { recursive: true, force: true });
  });

  it('loads the dashboard with less than 300 KB of gzipped JavaScript', () => {
    expect(size.files.length).toBeGreaterThan(1);
    expect(size.totalGzipBytes).toBeGreaterThan(50_000);
    expect(size.totalGzipBytes, `${size.totalGzipBytes} bytes gzip; run npm run web:size for the breakdown`).toBeLessThan(
      INITIAL_ROUTE_BUDGET_BYTES,
    );
  });

  it('loads every other page as its own chunk, only when visited', () => {
    const initial = new Set(initialRouteChunks(manifest));
    expect(initial.has(DASHBOARD_MODULE)).toBe(true);
    const entry = Object.values(manifest).find((chunk) => chunk.isEntry)!;
    const lazyPages = (entry.dynamicImports ?? []).filter((key) => key.endsWith('Page.tsx'));
    expect(lazyPages.sort()).toEqual(
      [
        'src/admin/SecretsPage.tsx',
        'src/admin/TokensPage.tsx',
        'src/admin/UsersPage.tsx',
        'src/alerts/AlertsPage.tsx',
        'src/audit/AuditPage.tsx',
        'src/backups/BackupsPage.tsx',
        DASHBOARD_MODULE,
        'src/deployments/DeploymentPage.tsx',
        'src/deployments/DeploymentsPage.tsx',
        'src/incidents/HistoryPage.tsx',
        'src/incidents/IncidentPage.tsx',
        'src/incidents/PostmortemsPage.tsx',
        'src/oncall/OncallPage.tsx',
        'src/runbooks/RunbookPage.tsx',
        'src/runbooks/RunbooksPage.tsx',
        'src/schedules/SchedulesPage.tsx',
        'src/session/SignInPage.tsx',
        'src/shell/NotFoundPage.tsx',
      ].sort(),
    );
    for (const page of lazyPages.filter((key) => key !== DASHBOARD_MODULE)) expect(initial.has(page), page).toBe(false);
  });

  it('ships every text asset precompressed for the server to send as is', async () => {
    for (const file of size.files.map((f) => f.file)) {
      await expect(fs.stat(path.join(outDir, `${file}.br`))).resolves.toBeTruthy();
      await expect(fs.stat(path.join(outDir, `${file}.gz`))).resolves.toBeTruthy();
    }
    await expect(fs.stat(path.join(outDir, 'index.html.gz'))).resolves.toBeTruthy();
  });
});
