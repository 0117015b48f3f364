// The checkout's TypeScript, compiled once per change into .build/ so that `./bin/nexus` loads
// plain JavaScript: tsx transforms every file again on each start behind a loader thread, which
// about doubled the time to load the server's modules (docs/benchmarks/2026-12-07-start.md).
// The compiler is the esbuild that tsx itself uses, with tsx's options, so the code that runs is
// what tsx would have run. .build/ mirrors src/ one level under the checkout, as dist/ does, so
// paths that modules compute from their own location (migrations/, runbooks/, web/dist) hold.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const OUT = '.build';
const STAMP = '.sources-sha256';
/** A lock older than this was left by a build that died; a build takes about a second. */
const LOCK_STALE_MS = 60_000;

/** Every TypeScript file the server is made of (tests are not compiled), sorted, relative to `root`. */
function sourceFiles(root) {
  return fs
    .readdirSync(path.join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/**
 * By content, not timestamps (they lie after a checkout or a copy): the sources, the tsconfig
 * esbuild reads, this file (the options), and the Node version the output targets.
 */
function sourcesHash(root, files) {
  const hash = createHash('sha256').update(process.versions.node).update('\0');
  for (const file of ['tsconfig.json', 'bin/checkout-build.js', ...files]) {
    hash.update(file).update('\0').update(fs.readFileSync(path.join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

const stampOf = (dir) => {
  try {
    return fs.readFileSync(path.join(dir, STAMP), 'utf8').trim();
  } catch {
    return null;
  }
};

/** Another process may be building right now: it holds the lock, and this one runs tsx meanwhile. */
function takeLock(root) {
  const lock = path.join(root, `${OUT}.lock`);
  try {
    if (Date.now() - fs.statSync(lock).mtimeMs > LOCK_STALE_MS) fs.rmSync(lock, { force: true });
  } catch {
    // No lock: the common case.
  }
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return () => fs.rmSync(lock, { force: true });
  } catch {
    return null;
  }
}

async function build(root, files, hash) {
  // Resolved from tsx's own location: the same esbuild, whatever npm hoisted where.
  const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx'));
  const esbuild = fromTsx('esbuild');
  const staging = path.join(root, `${OUT}.tmp-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    await esbuild.build({
      entryPoints: files.map((file) => path.join(root, file)),
      outdir: staging,
      outbase: path.join(root, 'src'),
      format: 'esm',
      platform: 'node',
      // tsx's transform options: stack traces map to the .ts lines, class and function names survive.
      target: `node${process.versions.node}`,
      sourcemap: 'linked',
      sourcesContent: false,
      keepNames: true,
      minifyWhitespace: true,
      logLevel: 'silent',
    });
    fs.writeFileSync(path.join(staging, STAMP), `${hash}\n`);
    // Replaced whole, never file by file: a process reading the old build never sees half of a new one.
    const out = path.join(root, OUT);
    const old = path.join(root, `${OUT}.old-${process.pid}`);
    try {
      fs.renameSync(out, old);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    fs.renameSync(staging, out);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The URL of the compiled `main.js` for the checkout at `root`, building it first when its
 * sources changed; null when it cannot be had now (another process is building it, or the
 * checkout is read-only), and the caller runs the sources with tsx instead.
 */
export async function compiledCheckout(root) {
  let files;
  let hash;
  try {
    files = sourceFiles(root);
    hash = sourcesHash(root, files);
  } catch {
    return null;
  }
  const main = pathToFileURL(path.join(root, OUT, 'main.js')).href;
  if (stampOf(path.join(root, OUT)) === hash) return main;
  const release = takeLock(root);
  if (!release) return null;
  try {
    // Someone may have finished the same build between the first look and the lock.
    if (stampOf(path.join(root, OUT)) !== hash) await build(root, files, hash);
    return main;
  } catch (error) {
    process.stderr.write(`nexus: could not compile ${root}/src into ${OUT}/ (${error.message}); running the sources with tsx\n`);
    return null;
  } finally {
    release();
  }
}
