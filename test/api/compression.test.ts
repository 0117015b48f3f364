import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

const decoders: Record<string, (bytes: Buffer) => Buffer> = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync, deflate: zlib.inflateSync };

describe('response compression', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => t?.close());

  it('a large answer is compressed in the encoding the client prefers, and decodes to the plain answer', async () => {
    const plain = await t.inject({ method: 'GET', url: '/api/docs/json' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const [accept, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip, deflate', 'gzip'],
      ['deflate', 'deflate'],
      ['br;q=0.1, gzip;q=0.9', 'gzip'],
    ] as const) {
      const res = await t.inject({ method: 'GET', url: '/api/docs/json', headers: { 'accept-encoding': accept } });
      expect(res.headers['content-encoding'], accept).toBe(encoding);
      expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
      expect(decoders[encoding]!(res.rawPayload).toString('utf8')).toBe(plain.body);
    }
  });

  it('small answers, unknown encodings and refused ones go uncompressed', async () => {
    const health = await t.inject({ method: 'GET', url: '/health', headers: { 'accept-encoding': 'br' } });
    expect(health.headers['content-encoding']).toBeUndefined();
    for (const accept of ['compress', 'identity', 'br;q=0, gzip;q=0, deflate;q=0']) {
      const res = await t.inject({ method: 'GET', url: '/api/docs/json', headers: { 'accept-encoding': accept } });
      expect(res.headers['content-encoding'] ?? 'identity', accept).toBe('identity');
      expect(JSON.parse(res.body)).toHaveProperty('openapi');
    }
  });
});
