import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration from the environment', () => {
  it('has embedded defaults: 127.0.0.1:8080, PGlite under ./.nexus, subset stable', () => {
    const config = loadConfig({}, '/srv/nexus');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: path.resolve('/srv/nexus/.nexus'),
      databaseUrl: undefined,
      redisUrl: undefined,
      subset: 'stable',
      eventsChannel: 'nexus:events',
      loginRateLimit: { max: 10, windowSeconds: 60 },
    });
  });

  it('chooses the command sandbox and runner user, refusing what they cannot be', () => {
    expect(loadConfig({}).runs).toMatchObject({ sandbox: 'auto', runnerUser: undefined });
    expect(loadConfig({ NEXUS_SANDBOX: 'none', NEXUS_RUNNER_USER: 'ops-runner' }).runs).toMatchObject({ sandbox: 'none', runnerUser: 'ops-runner' });
    expect(() => loadConfig({ NEXUS_SANDBOX: 'docker' })).toThrow('NEXUS_SANDBOX: must be one of auto, bwrap, none, got "docker"');
    expect(() => loadConfig({ NEXUS_RUNNER_USER: 'root; rm -rf /' })).toThrow('NEXUS_RUNNER_USER: "root; rm -rf /" is not a user name');
  });

  it("maps alerts' severity labels to priorities, the defaults extended by NEXUS_ALERT_SEVERITY_MAP, and sets the reopen window", () => {
    expect(loadConfig({}).alerts).toEqual({
      severityMap: { critical: 'P1', page: 'P1', p1: 'P1', warning: 'P2', p2: 'P2', info: 'P3', p3: 'P3' },
      defaultSeverity: 'P3',
      reopenWindowMinutes: 30,
    });
    const custom = loadConfig({ NEXUS_ALERT_SEVERITY_MAP: 'High=p2,page=P2', NEXUS_ALERT_SEVERITY_DEFAULT: 'P2', NEXUS_ALERT_REOPEN_WINDOW_MINUTES: '0' }).alerts;
    expect(custom).toMatchObject({ defaultSeverity: 'P2', reopenWindowMinutes: 0 });
    expect(custom.severityMap).toMatchObject({ high: 'P2', page: 'P2', critical: 'P1' });
    expect(() => loadConfig({ NEXUS_ALERT_SEVERITY_MAP: 'critical=P0' })).toThrow('NEXUS_ALERT_SEVERITY_MAP: critical must map to P1, P2 or P3, got "P0"');
    expect(() => loadConfig({ NEXUS_ALERT_SEVERITY_DEFAULT: 'urgent' })).toThrow('NEXUS_ALERT_SEVERITY_DEFAULT: must be one of P1, P2, P3, got "urgent"');
  });

  it('reads server-mode settings', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://nexus@db:5432/nexus_platform',
      REDIS_URL: 'redis://cache:6379',
      JWT_SECRET_KEY: 'k'.repeat(32),
      JWT_SECRET_KEY_PREVIOUS: 'p'.repeat(40),
      NEXUS_SUBSET: 'canary',
      PORT: '9000',
    });
    expect(config).toMatchObject({ port: 9000, subset: 'canary', jwtSecretKeyPrevious: 'p'.repeat(40) });
  });

  it.each([
    ['PORT', '-1', 'PORT: expected a whole number, got "-1"'],
    ['REDIS_URL', 'http://cache', 'REDIS_URL: scheme must be one of redis, rediss, got "http"'],
    ['DATABASE_URL', 'not a url at all', 'DATABASE_URL: is not a valid URL'],
    ['NEXUS_SUBSET', 'Canary!', 'NEXUS_SUBSET: must be a lowercase label like "stable" or "canary", got "Canary!"'],
    ['NEXUS_ADMIN_PASSWORD', 'short', 'NEXUS_ADMIN_PASSWORD: must be at least 12 characters long'],
    ['TRUST_PROXY', 'maybe', 'TRUST_PROXY: expected true or false, got "maybe"'],
    ['JWT_SECRET_KEY_PREVIOUS', 'x'.repeat(40), 'JWT_SECRET_KEY_PREVIOUS: is set but JWT_SECRET_KEY is not'],
    ['NEXUS_K8S_SECRET', 'Nexus Secrets', 'NEXUS_K8S_SECRET: must be a Kubernetes object name like "nexus-secrets", got "Nexus Secrets"'],
    ['NEXUS_SECRETS_GRACE_SECONDS', '31d', 'NEXUS_SECRETS_GRACE_SECONDS: expected a whole number, got "31d"'],
  ])('a bad %s (%s) is a ConfigError naming it', (name, value, message) => {
    let caught: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(name);
    expect((caught as ConfigError).message).toBe(message);
  });

  it('links in notifications use NEXUS_PUBLIC_URL, else the address NEXUS listens on', () => {
    expect(loadConfig({}).publicUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '9000' }).publicUrl).toBe('http://127.0.0.1:9000');
    expect(loadConfig({ HOST: '::1' }).publicUrl).toBe('http://[::1]:8080');
    expect(loadConfig({ NEXUS_PUBLIC_URL: 'https://nexus.example.com/ops/' }).publicUrl).toBe('https://nexus.example.com/ops');
    expect(() => loadConfig({ NEXUS_PUBLIC_URL: 'https://u:p@nexus.example.com' })).toThrow(/NEXUS_PUBLIC_URL.*credentials/);
    expect(() => loadConfig({ NEXUS_PUBLIC_URL: 'https://nexus.example.com/?a=1' })).toThrow(/NEXUS_PUBLIC_URL/);
    expect(() => loadConfig({ NEXUS_PUBLIC_URL: 'ftp://nexus.example.com' })).toThrow(ConfigError);
  });

  it('never echoes a connection string, which may carry a password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:hunter2@[bad' })).toThrow('DATABASE_URL: is not a valid URL');
  });
  it('keeps records for sane defaults: audit longest, incidents and post-mortems for ever', () => {
    expect(loadConfig({}).care).toEqual({
      longQuerySeconds: 60,
      retention: { alertsDays: 30, runsDays: 90, deliveriesDays: 90, timelineDays: 365, incidentsDays: null, auditDays: 730, batchSize: 1000, batchPauseMs: 10 },
    });
    const custom = loadConfig({ NEXUS_RETENTION_ALERTS_DAYS: '7', NEXUS_RETENTION_INCIDENTS_DAYS: '400', NEXUS_RETENTION_AUDIT_DAYS: 'never', NEXUS_RETENTION_RUNS_DAYS: 'NEVER' });
    expect(custom.care.retention).toMatchObject({ alertsDays: 7, incidentsDays: 400, auditDays: null, runsDays: null });
  });

  it.each([
    [{ NEXUS_RETENTION_ALERTS_DAYS: 'a month' }, 'NEXUS_RETENTION_ALERTS_DAYS: expected a number of days or "never", got "a month"'],
    [{ NEXUS_RETENTION_RUNS_DAYS: '0' }, 'NEXUS_RETENTION_RUNS_DAYS: must be between 1 and 36500, got 0'],
    [{ NEXUS_RETENTION_TIMELINE_DAYS: '-5' }, 'NEXUS_RETENTION_TIMELINE_DAYS: expected a number of days or "never", got "-5"'],
    [{ NEXUS_RETENTION_BATCH_SIZE: '5' }, 'NEXUS_RETENTION_BATCH_SIZE: must be between 10 and 100000, got 5'],
    [{ NEXUS_DB_LONG_QUERY_SECONDS: '1.5' }, 'NEXUS_DB_LONG_QUERY_SECONDS: expected a whole number, got "1.5"'],
    [
      { NEXUS_RETENTION_AUDIT_DAYS: '100' },
      'NEXUS_RETENTION_AUDIT_DAYS: audit entries must be kept at least as long as anything pruned, but NEXUS_RETENTION_TIMELINE_DAYS keeps 365 days and audit only 100',
    ],
    [
      { NEXUS_RETENTION_INCIDENTS_DAYS: '1000' },
      'NEXUS_RETENTION_AUDIT_DAYS: audit entries must be kept at least as long as anything pruned, but NEXUS_RETENTION_INCIDENTS_DAYS keeps 1000 days and audit only 730',
    ],
  ])('a bad retention setting %o is a ConfigError saying what is wrong', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
    expect(() => loadConfig(env)).toThrow(ConfigError);
  });
});
