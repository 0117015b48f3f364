/**
 * Builds the web console (web/ → web/dist) with Vite.
 *
 *   npm run web:build                     always build
 *   tsx scripts/web-build.ts --if-stale   build only when web/dist is missing or its sources changed
 *                                         (the `prestart` step of `npm start`)
 *
 * "Changed" is decided by content, not timestamps: a SHA-256 over every
 * source file (and package-lock.json, since dependencies shape the bundle)
 * is kept in web/dist/.sources-sha256. Timestamps lie after a checkout,
 * a copy or an unpack.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIR = path.join(repoRoot, 'web');
export const WEB_DIST_DIR = path.join(WEB_DIR, 'dist');
const STAMP_FILE = '.sources-sha256';
/** What the bundle is made of: the web sources, their config, and the locked dependency versions. */
const SOURCES = ['web/index.html', 'web/vite.config.ts', 'web/public', 'web/src', 'package-lock.json'];

async function filesUnder(relative: string): Promise<string[]> {
  const absolute = path.join(repoRoot, relative);
  const stat = await fs.stat(absolute).catch(() => null);
  if (!stat) return [];
  if (stat.isFile()) return [relative];
  const entries = await fs.readdir(absolute, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(repoRoot, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** A hash of every file the build reads, names included (a rename changes the bundle too). */
export async function sourcesHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const source of SOURCES) {
    for (const file of await filesUnder(source)) {
      hash.update(file.split(path.sep).join('/')).update('\0');
      hash.update(await fs.readFile(path.join(repoRoot, file))).update('\0');
    }
  }
  return hash.digest('hex');
}

/** Why web/dist needs building, or null when it matches its sources. */
export async function staleReason(distDir = WEB_DIST_DIR): Promise<string | null> {
  const built = await fs.readFile(path.join(distDir, STAMP_FILE), 'utf8').catch(() => null);
  const hasIndex = await fs.stat(path.join(distDir, 'index.html')).then(
    (stat) => stat.isFile(),
    () => false,
  );
  if (!hasIndex) return 'web/dist is missing';
  if (built === null) return 'web/dist has no record of the sources it was built from';
  return built.trim() === (await sourcesHash()) ? null : 'its sources changed since the last build';
}

export interface BuildOptions {
  outDir?: string;
  /** Vite's own progress lines ("transforming…", "built in 3.5s"); 'silent' in tests. */
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
}

/** Runs `vite build` in this process and stamps the result with its sources' hash. */
export async function buildConsole(options: BuildOptions = {}): Promise<void> {
  const outDir = options.outDir ?? WEB_DIST_DIR;
  const hash = await sourcesHash();
  const { build } = await import('vite');
  await build({
    configFile: path.join(WEB_DIR, 'vite.config.ts'),
    logLevel: options.logLevel ?? 'info',
    build: { outDir, emptyOutDir: true },
  });
  await fs.writeFile(path.join(outDir, STAMP_FILE), `${hash}\n`);
}

async function viteInstalled(): Promise<boolean> {
  try {
    await import('vite');
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const ifStale = process.argv.includes('--if-stale');
  const reason = await staleReason();
  if (ifStale && reason === null) {
    console.log('web console: web/dist is up to date');
    return;
  }
  if (!(await viteInstalled())) {
    // `npm ci --omit=dev` leaves the build tools out. The API still starts; `/` says how to get the console.
    console.warn('web console: not built, Vite is not installed (run `npm ci`, then `npm run web:build`); starting without it');
    return;
  }
  console.log(`web console: building with Vite, because ${reason ?? 'a build was asked for'}…`);
  const started = Date.now();
  await buildConsole();
  console.log(`web console: built in ${((Date.now() - started) / 1000).toFixed(1)} s into ${path.relative(process.cwd(), WEB_DIST_DIR) || '.'}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error('web console: build failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
