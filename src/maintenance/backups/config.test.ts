import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../platform/config.js';

const base = { NEXUS_DATA_DIR: '/var/lib/nexus' };

describe('backup configuration', () => {
  it('defaults to a directory under the data directory, 7 daily and 4 weekly', () => {
    expect(loadConfig(base, '/').backups).toMatchObject({ target: 'directory', directory: '/var/lib/nexus/backups', prefix: '', keepDaily: 7, keepWeekly: 4, s3: undefined });
  });

  it('refuses a prefix that could climb out of its place', () => {
    for (const prefix of ['../etc', 'a/../../b', 'a/./b', 'a b', 'a\\b', '..']) {
      expect(() => loadConfig({ ...base, NEXUS_BACKUP_PREFIX: prefix }, '/'), prefix).toThrow(ConfigError);
    }
    expect(loadConfig({ ...base, NEXUS_BACKUP_PREFIX: '/prod/nexus/' }, '/').backups.prefix).toBe('prod/nexus');
  });

  it('needs a bucket for S3, and both halves of a key pair, without echoing the secret', () => {
    expect(() => loadConfig({ ...base, NEXUS_BACKUP_TARGET: 's3' }, '/')).toThrow(/NEXUS_BACKUP_S3_BUCKET: is required/);
    let error: unknown;
    try {
      loadConfig({ ...base, NEXUS_BACKUP_TARGET: 's3', NEXUS_BACKUP_S3_BUCKET: 'b-1', NEXUS_BACKUP_S3_SECRET_ACCESS_KEY: 'very-secret-value' }, '/');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/NEXUS_BACKUP_S3_ACCESS_KEY_ID/);
    expect((error as Error).message).not.toContain('very-secret-value');
    const s3 = loadConfig({ ...base, NEXUS_BACKUP_TARGET: 's3', NEXUS_BACKUP_S3_BUCKET: 'b-1', NEXUS_BACKUP_S3_ENDPOINT: 'http://127.0.0.1:4568', NEXUS_BACKUP_S3_ACCESS_KEY_ID: 'k', NEXUS_BACKUP_S3_SECRET_ACCESS_KEY: 's' }, '/').backups.s3;
    expect(s3).toEqual({ bucket: 'b-1', region: 'us-east-1', endpoint: 'http://127.0.0.1:4568', credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
  });
});
