import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs/promises';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/platform/config.js';
import type { Engine } from '../../src/platform/db/index.js';
import type { Role } from '../../src/platform/auth/roles.js';
import { createLogger } from '../../src/platform/logger.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/server.js';
import { createPostgresDatabase, pgliteTemplate } from './db.js';

export const ADMIN_PASSWORD = 'admin-password-for-tests';
export const TEST_JWT_KEY = 'test-jwt-secret-key-that-is-long-enough-0001';

export interface TestApp {
  server: RunningServer;
  config: Config;
  /** Bearer tokens of one user per role (admin is the bootstrap admin). */
  tokens: Record<Role, string>;
  userIds: Record<Role, string>;
  inject: RunningServer['app']['inject'];
  close(): Promise<void>;
}

export async function testConfig(env: Record<string, string | undefined> = {}): Promise<Config> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-test-'));
  return loadConfig({
    NEXUS_DATA_DIR: dataDir,
    JWT_SECRET_KEY: TEST_JWT_KEY,
    NEXUS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: 'silent',
    LOGIN_RATE_LIMIT_MAX: '1000',
    PORT: '0',
    ...env,
  });
}

/** Logs in and returns the bearer JWT; fails the test loudly if login fails. */
export async function login(inject: TestApp['inject'], username: string, password: string): Promise<string> {
  const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { token: string }).token;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function json<T = Record<string, unknown>>(res: LightMyRequestResponse): T {
  return res.json() as T;
}

/**
 * A NEXUS app on a fresh database of the given engine, with one user per
 * role signed in. Nothing listens unless `listen` is set: tests inject.
 */
export async function createTestApp(
  engine: Engine,
  options: { env?: Record<string, string | undefined>; start?: StartOptions } = {},
): Promise<TestApp> {
  let dropDb: (() => Promise<void>) | undefined;
  const env: Record<string, string | undefined> = { ...options.env };
  const start: StartOptions = { listen: false, logger: createLogger('silent'), ...options.start };
  if (engine === 'postgres') {
    const created = await createPostgresDatabase();
    env.DATABASE_URL = created.url;
    dropDb = created.drop;
  } else {
    start.pgliteLoadDataDir = await pgliteTemplate();
  }
  start.eventsChannel ??= `nexus:test:${randomBytes(6).toString('hex')}`;
  const config = await testConfig(env);
  const server = await startServer(config, start);
  const inject = server.app.inject.bind(server.app);
  const tokens = { admin: await login(inject, 'admin', ADMIN_PASSWORD) } as Record<Role, string>;
  const userIds = {} as Record<Role, string>;
  for (const role of ['viewer', 'responder', 'operator'] as const) {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(tokens.admin),
      payload: { username: `${role}-user`, password: `${role}-password-123`, role },
    });
    if (res.statusCode !== 201) throw new Error(`creating ${role} failed: ${res.body}`);
    userIds[role] = json<{ id: string }>(res).id;
    tokens[role] = await login(inject, `${role}-user`, `${role}-password-123`);
  }
  userIds.admin = json<{ user: { id: string } }>(await inject({ method: 'GET', url: '/api/v1/me', headers: bearer(tokens.admin) })).user.id;
  return {
    server,
    config,
    tokens,
    userIds,
    inject,
    close: async () => {
      await server.close();
      await fs.rm(config.dataDir, { recursive: true, force: true });
      await dropDb?.();
    },
  };
}
