import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const webDir = path.dirname(fileURLToPath(import.meta.url));
/** Where `npm run dev` finds the API (the server started by `tsx watch`). */
const apiUrl = process.env.NEXUS_API_URL ?? 'http://127.0.0.1:8080';
const DEV_SERVER_PORT = 5173;

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);
const COMPRESSIBLE = /\.(js|css|html|svg|json)$/;

/**
 * Writes `.br` and `.gz` beside every text file of the build, at the highest
 * levels: the server sends them as they are (@fastify/static preCompressed),
 * so compression costs nothing per request and is as small as it gets.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'nexus-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async writeBundle(_options, bundle) {
      const files = [...Object.keys(bundle), 'color-scheme.js', 'favicon.svg'].filter((file) => COMPRESSIBLE.test(file) && !file.startsWith('.'));
      await Promise.all(
        files.map(async (file) => {
          const source = await fs.readFile(path.join(outDir, file)).catch(() => null);
          if (!source) return;
          await fs.writeFile(path.join(outDir, `${file}.gz`), await gzip(source, { level: 9 }));
          await fs.writeFile(
            path.join(outDir, `${file}.br`),
            await brotli(source, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: source.length } }),
          );
        }),
      );
    },
  };
}

export default defineConfig({
  root: webDir,
  base: '/',
  // npm run dev shares the terminal with the API's log; do not wipe it.
  clearScreen: false,
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // scripts/web-bundle-size.ts reads it to find what the dashboard loads first.
    manifest: true,
    target: 'es2022',
    // Our own measurement (npm run web:size) reports the figure that matters; Vite's costs build time.
    reportCompressedSize: false,
  },
  server: {
    host: '127.0.0.1',
    port: DEV_SERVER_PORT,
    strictPort: true,
    proxy: {
      '/api': { target: apiUrl },
      '/health': { target: apiUrl },
      '/metrics': { target: apiUrl },
    },
  },
});
