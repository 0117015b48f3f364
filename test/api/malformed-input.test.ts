import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredRoute } from '../../src/platform/auth/access.js';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * Sends hostile and broken input to every route, as an admin (so the role
 * check passes and the input reaches validation), and checks three things:
 * the answer is a 4xx in the standard error shape with a message, never a
 * 5xx; and the stored data is exactly as it was.
 */

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
}

const HOSTILE_STRINGS = [
  "'; DROP TABLE users; --",
  '$(rm -rf ~)',
  '`reboot`',
  '; reboot',
  '../../etc/passwd',
  '\u0000nul',
  '%00',
  'x'.repeat(100_000),
];

/** Values of the wrong type for a field of the given schema. */
function wrongValues(schema: JsonSchema): unknown[] {
  const types = new Set(
    schema.anyOf ? schema.anyOf.flatMap((s) => (Array.isArray(s.type) ? s.type : [s.type])) : [schema.type].flat(),
  );
  const values: unknown[] = [{ nested: { deeper: true } }, [1, 2, 3]];
  if (!types.has('string')) values.push('not-a-number-or-bool', ...HOSTILE_STRINGS.slice(0, 2));
  if (!types.has('boolean')) values.push(true);
  if (!types.has('number') && !types.has('integer')) values.push(12345);
  if (types.has('integer') || types.has('number')) {
    values.push(1e308 * 10, 2 ** 64, -(2 ** 64), 1.5, -1, '12');
  }
  return values;
}

interface Probe {
  label: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Hostile strings may be valid free text: then a 2xx that stores them verbatim is right. */
  mayAccept?: boolean;
}

function bodyProbes(route: RegisteredRoute, path: string): Probe[] {
  const schema = (route.schema as { body?: JsonSchema } | undefined)?.body;
  const base = { method: route.method, url: path };
  const probes: Probe[] = [
    { ...base, label: 'a JSON string instead of an object', body: '"just a string"' },
    { ...base, label: 'a JSON array instead of an object', body: '[]' },
    { ...base, label: 'syntactically broken JSON', body: '{"a": ' },
    { ...base, label: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
    { ...base, label: 'nesting 10,000 deep', body: '['.repeat(10_000) + ']'.repeat(10_000) },
    { ...base, label: 'a 2 MB body', body: JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) }) },
    { ...base, label: 'a __proto__ key', body: '{"__proto__": {"admin": true}}' },
    { ...base, label: 'a text/plain body', body: 'hello', headers: { 'content-type': 'text/plain' } },
  ];
  if (!schema?.properties) return probes;
  probes.push({ ...base, label: 'an unknown field', body: JSON.stringify({ definitelyNotAField: 1 }) });
  for (const [field, fieldSchema] of Object.entries(schema.properties)) {
    for (const value of wrongValues(fieldSchema)) {
      probes.push({ ...base, label: `${field} = ${JSON.stringify(value)?.slice(0, 40)}`, body: JSON.stringify({ [field]: value }) });
    }
    // Not text: PostgreSQL's jsonb refuses it and other columns would store U+FFFD (a lost audit entry, a changed value).
    probes.push({ ...base, label: `${field} = a lone UTF-16 surrogate`, body: `{${JSON.stringify(field)}: "lone \\ud800 surrogate"}` });
    for (const value of HOSTILE_STRINGS) {
      probes.push({
        ...base,
        label: `${field} = hostile ${JSON.stringify(value.slice(0, 20))}`,
        body: JSON.stringify({ [field]: value }),
        mayAccept: true,
      });
    }
  }
  return probes;
}

/** Cursors this API never issued, that still decode: their parts are of the right JSON type but not of the right kind. */
const FORGED_CURSORS = ['["x","y"]', '["\\u0000","\\u0000"]', '["2024-01-01T00:00:00Z","not-a-uuid"]', '["+275760-09-13T00:00:00Z","x"]', '["x"]', '[1e400]', '[-1]', '[1.5]'];

function queryProbes(route: RegisteredRoute, path: string): Probe[] {
  const schema = (route.schema as { querystring?: JsonSchema & { properties?: Record<string, JsonSchema & { format?: string }> } } | undefined)?.querystring;
  if (!schema?.properties) return [];
  const probes: Probe[] = [{ label: 'an unknown query parameter', method: route.method, url: `${path}?nope=1` }];
  if (schema.properties.cursor) {
    for (const key of FORGED_CURSORS) {
      // A cursor that is merely past the end is a valid question ("nothing after this"): a 200 with no items is fine.
      probes.push({ label: `cursor ${key}`, method: route.method, url: `${path}?cursor=${Buffer.from(key).toString('base64url')}`, mayAccept: true });
    }
  }
  for (const [field, fieldSchema] of Object.entries(schema.properties)) {
    if (fieldSchema.format !== 'date-time') continue;
    for (const value of ['9999-12-31T23:59:59Z', '0099-06-15T00:00:00Z', '0001-01-01T00:00:00Z']) {
      probes.push({ label: `query ${field}=${value}`, method: route.method, url: `${path}?${field}=${value}`, mayAccept: true });
    }
  }
  for (const [field, fieldSchema] of Object.entries(schema.properties)) {
    const values = ["' OR 1=1 --", '1e309', '-1', '99999999999999999999', '%ff%fe', 'a'.repeat(5000)];
    for (const value of values) {
      probes.push({
        label: `query ${field}=${value.slice(0, 20)}`,
        method: route.method,
        url: `${path}?${field}=${encodeURIComponent(value).replace(/%25ff%25fe/, '%ff%fe')}`,
        // A probe that is a valid value of a patterned field (`1e309` is a fine DNS label) may be accepted.
        mayAccept:
          fieldSchema.type === 'string' &&
          !('format' in fieldSchema) &&
          (!('pattern' in fieldSchema) || new RegExp(String(fieldSchema.pattern)).test(value)),
      });
    }
  }
  return probes;
}

function paramProbes(route: RegisteredRoute): Probe[] {
  if (!route.url.includes(':')) return [];
  return ['not-a-uuid', "1' OR '1'='1", '%00', '..%2F..%2Fetc', '123456789012345678901234567890'].map((value) => ({
    label: `path parameter ${value}`,
    method: route.method,
    url: route.url.replace(/:[A-Za-z]+/g, value),
    ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: '{}' }),
  }));
}

async function snapshot(t: TestApp): Promise<string> {
  // Everything but the audit log, which rightly records each rejected attempt.
  const users = await t.server.db.query('SELECT * FROM users ORDER BY id');
  const tokens = await t.server.db.query('SELECT * FROM api_tokens ORDER BY id');
  return JSON.stringify({ users, tokens });
}

describe('malformed input never causes a 5xx or changes stored data', () => {
  let t: TestApp;
  let victimId: string;
  const results: string[] = [];

  beforeAll(async () => {
    t = await createTestApp('pglite', { env: { LOGIN_RATE_LIMIT_MAX: '100000' } });
    // Path ids point at a user no other check depends on: accepted probes may change it.
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${t.tokens.admin}` },
      payload: { username: 'victim', password: 'victim-password-1', role: 'viewer' },
    });
    victimId = (res.json() as { id: string }).id;
  });
  afterAll(async () => t?.close());

  it('answers every probe of every route with a clear 4xx', async () => {
    const routes = t.server.routes.filter(
      (r) => r.method !== 'HEAD' && !r.url.startsWith('/api/docs') && r.url !== '/api/v1/events',
    );
    let probed = 0;
    for (const route of routes) {
      const path = route.url.replace(/:[A-Za-z]+/g, victimId);
      const probes =
        route.method === 'GET' ? [...queryProbes(route, path), ...paramProbes(route)] : [...bodyProbes(route, path), ...paramProbes(route)];
      for (const probe of probes) {
        const before = await snapshot(t);
        const res = await t.inject({
          method: probe.method as 'GET',
          url: probe.url,
          headers: {
            authorization: `Bearer ${t.tokens.admin}`,
            ...(probe.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...probe.headers,
          },
          ...(probe.body !== undefined ? { payload: probe.body } : {}),
        });
        probed++;
        const where = `${route.method} ${route.url} with ${probe.label}`;
        if (res.statusCode >= 500) {
          results.push(`${where}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          continue;
        }
        if (res.statusCode < 400) {
          if (!probe.mayAccept) results.push(`${where}: accepted with ${res.statusCode}`);
          // Accepted hostile text is stored verbatim, which the snapshot would show; skip that check.
          continue;
        }
        const body = res.json() as { error?: { code?: unknown; message?: unknown } };
        if (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string' || body.error.message.length < 8) {
          results.push(`${where}: ${res.statusCode} without a useful error body: ${res.body.slice(0, 200)}`);
        }
        if (/\bat [\w.<>]+ \(|node_modules/.test(res.body)) results.push(`${where}: stack trace in body`);
        if ((await snapshot(t)) !== before) results.push(`${where}: stored data changed`);
      }
    }
    expect(results).toEqual([]);
    expect(probed).toBeGreaterThan(300);
    // Thousands of probes, each with a before/after snapshot: it grows with every route added.
  }, 300_000);

  it('still serves normally afterwards', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${t.tokens.viewer}` } });
    expect(res.statusCode).toBe(200);
  });
});
