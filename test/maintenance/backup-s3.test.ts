import { Writable } from 'node:stream';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';
import { createBackup, seedData } from './backup-support.js';

const BUCKET = 'nexus-backups';
// s3rver accepts only its own key pair; the secret must still never show anywhere.
const SECRET = 'S3RVER';

describe('backups to S3-compatible storage (s3rver on 127.0.0.1)', () => {
  let t: TestApp;
  let s3: S3rver;
  let dir: string;
  let client: S3Client;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-s3rver-'));
    s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
    const { port } = await s3.run();
    const endpoint = `http://127.0.0.1:${port}`;
    client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: SECRET } });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logs.push(chunk.toString('utf8'));
        callback();
      },
    });
    t = await createTestApp('postgres', {
      env: {
        NEXUS_NOTIFY_DELIVERY: 'false',
        NEXUS_BACKUP_TARGET: 's3',
        NEXUS_BACKUP_S3_BUCKET: BUCKET,
        NEXUS_BACKUP_S3_ENDPOINT: endpoint,
        NEXUS_BACKUP_S3_ACCESS_KEY_ID: 'S3RVER',
        NEXUS_BACKUP_S3_SECRET_ACCESS_KEY: SECRET,
        NEXUS_BACKUP_PREFIX: 'prod/nexus',
        NEXUS_BACKUP_KEEP_DAILY: '1',
        NEXUS_BACKUP_KEEP_WEEKLY: '1',
      },
      start: { logger: createLogger('debug', sink) },
    });
    await seedData(t);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await s3?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const keys = async () => ((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key).sort();

  it("stores the dump under database/ and the manifest under backups/ below the prefix (the seed's layout), and verifies from there", async () => {
    const backup = await createBackup(t);
    expect(await keys()).toEqual([`prod/nexus/backups/${backup.id}.json`, `prod/nexus/database/${backup.id}.dump`]);
    const verify = await t.inject({ method: 'POST', url: '/api/v1/backups/latest/verify', headers: bearer(t.tokens.operator) });
    expect(verify.statusCode, verify.body).toBe(200);
    expect(json<{ id: string; ok: boolean }>(verify), verify.body).toMatchObject({ id: backup.id, ok: true });
    const listed = json<{ items: Array<{ location: string; target: string }> }>(await t.inject({ method: 'GET', url: '/api/v1/backups', headers: bearer(t.tokens.viewer) }));
    expect(listed.items[0]).toMatchObject({ target: 's3', location: `s3://${BUCKET}/prod/nexus` });
  }, 120_000);

  it('retention deletes what it does not keep from the bucket and the catalog', async () => {
    const before = json<{ items: Array<{ id: string }> }>(await t.inject({ method: 'GET', url: '/api/v1/backups', headers: bearer(t.tokens.viewer) })).items;
    const newest = await createBackup(t);
    const res = await t.inject({ method: 'POST', url: '/api/v1/backups/retention', headers: bearer(t.tokens.admin) });
    expect(res.statusCode, res.body).toBe(200);
    // One day, one week kept: only the newest of today survives.
    expect(json(res)).toEqual({ kept: [newest.id], deleted: before.map((b) => b.id) });
    expect(await keys()).toEqual([`prod/nexus/backups/${newest.id}.json`, `prod/nexus/database/${newest.id}.dump`]);
    const operator = await t.inject({ method: 'POST', url: '/api/v1/backups/retention', headers: bearer(t.tokens.operator) });
    expect(operator.statusCode).toBe(403);
  }, 120_000);

  it('the secret access key is in no response, audit entry, metric or log line', async () => {
    const bodies: string[] = [];
    for (const url of ['/api/v1/backups', '/api/v1/backups/latest', '/api/v1/audit?limit=200', '/api/health', '/api/v1/maintenance-mode']) {
      bodies.push((await t.inject({ method: 'GET', url, headers: bearer(t.tokens.admin) })).body);
    }
    bodies.push((await t.inject({ method: 'GET', url: '/metrics' })).body);
    bodies.push((await t.inject({ method: 'POST', url: '/api/v1/backups/latest/verify', headers: bearer(t.tokens.operator) })).body);
    expect(logs.length).toBeGreaterThan(0);
    for (const text of [...bodies, ...logs]) {
      expect(text).not.toContain(`secretAccessKey":"${SECRET}`);
      expect(text).not.toContain(`SECRET_ACCESS_KEY=${SECRET}`);
    }
    // The configured value is redacted from runbook command output like NEXUS's other secrets.
    expect(t.config.runs.redactValues).toContain(SECRET);
  }, 120_000);
});
