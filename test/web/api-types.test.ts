import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TYPES_FILE, renderApiTypes } from '../../scripts/web-api-types.js';
import { createTestApp, type TestApp } from '../support/app.js';

describe("the console's API types", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => t?.close());

  it('are exactly what the server OpenAPI document gives (run `npm run web:api` after changing a route schema)', async () => {
    const expected = await renderApiTypes(t.server.app.swagger());
    const committed = await fs.readFile(API_TYPES_FILE, 'utf8');
    // One clear line instead of a diff of thousands of lines when a schema changed.
    expect(committed === expected, 'web/src/api/schema.d.ts is stale: run `npm run web:api` and commit the result').toBe(true);
  });

  it('cover the routes the console depends on', async () => {
    const committed = await fs.readFile(API_TYPES_FILE, 'utf8');
    for (const route of ['"/api/v1/auth/login"', '"/api/v1/me"', '"/api/v1/incidents"', '"/api/v1/alerts"', '"/api/v1/runs"', '"/api/v1/events"']) {
      expect(committed).toContain(`${route}: {`);
    }
  });
});
