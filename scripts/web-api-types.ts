/**
 * `npm run web:api`: writes web/src/api/schema.d.ts, the console's types for
 * the whole HTTP API, from the OpenAPI document the server builds out of its
 * route schemas. The server is built in-process on a throwaway embedded
 * database and never listens. test/web/api-types.test.ts fails while the
 * committed file differs from what this would write.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { startServer } from '../src/server.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const API_TYPES_FILE = path.join(repoRoot, 'web/src/api/schema.d.ts');

const HEADER = `/**
 * The NEXUS HTTP API as TypeScript types, generated from the server's OpenAPI
 * document (the route schemas) by \`npm run web:api\`. Do not edit by hand:
 * change the schemas and regenerate; test/web/api-types.test.ts fails while
 * this file is stale.
 */

`;

/** The console's API types for an OpenAPI document (what `app.swagger()` returns). */
export async function renderApiTypes(document: unknown): Promise<string> {
  const ast = await openapiTS(document as OpenAPI3, { alphabetize: true, silent: true });
  return HEADER + astToString(ast);
}

/** The OpenAPI document of the server as this checkout builds it. */
export async function currentOpenApiDocument(): Promise<unknown> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-openapi-'));
  try {
    const config = loadConfig({
      NEXUS_DATA_DIR: dataDir,
      JWT_SECRET_KEY: randomBytes(48).toString('base64url'),
      NEXUS_ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
      NEXUS_LOCAL_RUNNER: 'false',
      LOG_LEVEL: 'silent',
      PORT: '0',
    });
    const server = await startServer(config, { listen: false, builtinRunbooksDir: null, logger: createLogger('silent') });
    try {
      return server.app.swagger();
    } finally {
      await server.close();
    }
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log('Building the API in-process to read its OpenAPI document…');
  const document = await currentOpenApiDocument();
  const types = await renderApiTypes(document);
  const previous = await fs.readFile(API_TYPES_FILE, 'utf8').catch(() => null);
  const relative = path.relative(repoRoot, API_TYPES_FILE);
  if (previous === types) {
    console.log(`${relative} is up to date (${Date.now() - started} ms)`);
    return;
  }
  await fs.writeFile(API_TYPES_FILE, types);
  const paths = Object.keys((document as { paths?: object }).paths ?? {}).length;
  console.log(`Wrote ${relative}: ${paths} paths (${Date.now() - started} ms)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
