/**
 * `npm run web:size`: how much JavaScript the dashboard's first load costs,
 * compressed, against the 300 KB budget of issue 5.
 *
 * The files are read from Vite's manifest, not guessed from names: the
 * entry chunk (index.html's script) with every chunk it imports statically,
 * plus the dashboard page's chunk with its static imports. That is exactly
 * what the browser must fetch before the dashboard can render; other pages'
 * chunks load only when visited.
 *
 *   npm run web:size                 build, then measure web/dist
 *   npm run web:size -- --no-build   measure the existing web/dist
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { buildConsole, WEB_DIST_DIR } from './web-build.js';

/** Issue 5: "First load of the dashboard under 300 KB of compressed JavaScript". KB as 1000 bytes, the stricter reading. */
export const INITIAL_ROUTE_BUDGET_BYTES = 300_000;
/** The dashboard page module, as the manifest names it (relative to web/). */
export const DASHBOARD_MODULE = 'src/dashboard/DashboardPage.tsx';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface SizedFile {
  file: string;
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

export interface InitialRouteSize {
  files: SizedFile[];
  totalBytes: number;
  totalGzipBytes: number;
  totalBrotliBytes: number;
  /** The stylesheet(s) the same load needs; reported, not budgeted. */
  css: SizedFile[];
}

/** Manifest keys of the chunks the dashboard's first load needs, entry first. */
export function initialRouteChunks(manifest: Manifest, pageModule = DASHBOARD_MODULE): string[] {
  const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry);
  if (!entry) throw new Error('the Vite manifest has no entry chunk');
  if (!manifest[pageModule]) throw new Error(`the Vite manifest has no chunk for ${pageModule}`);
  const needed: string[] = [];
  const visit = (key: string) => {
    if (needed.includes(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the Vite manifest refers to a missing chunk ${key}`);
    needed.push(key);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entry);
  visit(pageModule);
  return needed;
}

async function sized(distDir: string, file: string): Promise<SizedFile> {
  const content = await fs.readFile(path.join(distDir, file));
  return {
    file,
    bytes: content.length,
    // Level 9, as the build's precompressed .gz files that the server sends.
    gzipBytes: zlib.gzipSync(content, { level: 9 }).length,
    brotliBytes: zlib.brotliCompressSync(content, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

export async function measureInitialRoute(distDir = WEB_DIST_DIR): Promise<InitialRouteSize> {
  const manifest = JSON.parse(await fs.readFile(path.join(distDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const chunks = initialRouteChunks(manifest);
  const files = await Promise.all(chunks.map((key) => sized(distDir, manifest[key]!.file)));
  const cssFiles = [...new Set(chunks.flatMap((key) => manifest[key]!.css ?? []))];
  const css = await Promise.all(cssFiles.map((file) => sized(distDir, file)));
  const sum = (pick: (file: SizedFile) => number) => files.reduce((total, file) => total + pick(file), 0);
  return {
    files,
    totalBytes: sum((f) => f.bytes),
    totalGzipBytes: sum((f) => f.gzipBytes),
    totalBrotliBytes: sum((f) => f.brotliBytes),
    css,
  };
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) {
    console.log('Building the console…');
    await buildConsole({ logLevel: 'warn' });
  }
  const size = await measureInitialRoute();
  const width = Math.max(...size.files.map((f) => f.file.length), 10);
  console.log(`\nJavaScript the dashboard loads first (entry + static imports + ${DASHBOARD_MODULE}):\n`);
  console.log(`${'file'.padEnd(width)}  ${'raw'.padStart(10)}  ${'gzip -9'.padStart(10)}  ${'brotli'.padStart(10)}`);
  for (const f of size.files) {
    console.log(`${f.file.padEnd(width)}  ${kb(f.bytes).padStart(10)}  ${kb(f.gzipBytes).padStart(10)}  ${kb(f.brotliBytes).padStart(10)}`);
  }
  console.log(`${'total'.padEnd(width)}  ${kb(size.totalBytes).padStart(10)}  ${kb(size.totalGzipBytes).padStart(10)}  ${kb(size.totalBrotliBytes).padStart(10)}`);
  for (const f of size.css) console.log(`(stylesheet ${f.file}: ${kb(f.gzipBytes)} gzip, not counted)`);
  const within = size.totalGzipBytes < INITIAL_ROUTE_BUDGET_BYTES;
  console.log(`\n${within ? 'OK' : 'OVER BUDGET'}: ${kb(size.totalGzipBytes)} gzip of ${kb(INITIAL_ROUTE_BUDGET_BYTES)} allowed`);
  if (!within) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
