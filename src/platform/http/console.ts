import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/**
 * The web console (`web/`, built by Vite into `web/dist`) served by the API
 * process itself, so one `npm start` gives both. Every path that is not the
 * API, health or metrics belongs to the console: a file if `web/dist` has
 * it, otherwise `index.html`, whose router then renders the page (deep links
 * and reloads of `/incidents/…` work).
 */

/** The repository's `web/dist`: three levels up from src/platform/http (and from dist/platform/http). */
export const CONSOLE_DIST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

export interface ConsoleOptions {
  /** Where the built console is (default: CONSOLE_DIST_DIR). */
  distDir?: string;
}

/** These stay JSON: an unknown API path is a 404 in the API's error shape, never the console's HTML. */
const SERVER_PATHS = /^\/(api|health|metrics)(\/|$)/;
/** Vite puts every hashed (content-addressed) file here; only these may be cached for good. */
const HASHED_ASSETS = '/assets/';
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Mantine writes its theme variables into a <style> element and positions
 * some elements with style attributes, hence 'unsafe-inline' for styles
 * only. Scripts come from this origin alone: nothing inline, nothing eval'd.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>NEXUS console not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1>The NEXUS web console is not built yet</h1>
<p>The API is running: see <a href="/api/docs">/api/docs</a> and <a href="/health">/health</a>.</p>
<p>To get the console, run this in the NEXUS checkout, then reload this page:</p>
<pre><code>npm run web:build</code></pre>
<p><code>npm start</code> builds it by itself when it is missing or older than its sources.
For development with hot reload, <code>npm run dev</code> serves it on <a href="http://127.0.0.1:5173/">http://127.0.0.1:5173/</a>.</p>
</body>
</html>
`;

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * The file in `root` that a URL path names, or null. Dot-segments (`..`,
 * `.vite/manifest.json`) never name a file: nothing outside the build, and
 * nothing hidden in it, is served.
 */
async function fileIn(root: string, urlPath: string): Promise<string | null> {
  const segments = urlPath.split('/').filter((segment) => segment !== '');
  if (segments.length === 0 || segments.some((segment) => segment.startsWith('.') || segment.includes('\\'))) return null;
  const relative = segments.join('/');
  return (await isFile(path.join(root, relative))) ? relative : null;
}

function withSecurityHeaders(reply: FastifyReply): FastifyReply {
  return reply.headers(SECURITY_HEADERS);
}

export const consoleRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, options) => {
  const root = options.distDir ?? CONSOLE_DIST_DIR;
  // No `root` here: @fastify/static would warn at start when web/dist is missing, which is a
  // supported state (the page below says how to build it). Each sendFile names the root.
  await app.register(fastifyStatic, { serve: false, preCompressed: true });

  app.get(
    '/*',
    { schema: { hide: true }, config: { access: 'public' } },
    async (request, reply) => {
      const urlPath = '/' + (request.params as { '*': string })['*'];
      if (SERVER_PATHS.test(urlPath)) return reply.callNotFound();
      // Checked per request, so a console built while the server runs is served without a restart.
      if (!(await isFile(path.join(root, 'index.html')))) {
        return withSecurityHeaders(reply)
          .status(503)
          .header('cache-control', 'no-cache')
          .type('text/html; charset=utf-8')
          .send(NOT_BUILT_PAGE);
      }
      withSecurityHeaders(reply).header('vary', 'accept-encoding');
      if (urlPath.startsWith(HASHED_ASSETS)) {
        // A name that is not there is a 404, not index.html: a stale chunk must fail loudly, not parse HTML as JS.
        const asset = await fileIn(root, urlPath);
        if (!asset) return reply.callNotFound();
        return reply.sendFile(asset, root, { maxAge: ONE_YEAR_MS, immutable: true });
      }
      // Unhashed files (index.html, color-scheme.js, favicon) are revalidated with their ETag on every load.
      const file = (await fileIn(root, urlPath)) ?? 'index.html';
      return reply.header('cache-control', 'no-cache').sendFile(file, root, { cacheControl: false });
    },
  );
};
