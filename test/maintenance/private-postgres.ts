import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const BIN = '/usr/lib/postgresql/15/bin';

/**
 * A throwaway PostgreSQL cluster of our own, for server settings the shared
 * one on :5432 lacks (pg_stat_statements in shared_preload_libraries needs a
 * restart, and that server belongs to everyone's tests). Listens only on a
 * Unix socket in its own directory; runs as `postgres`, which initdb and
 * postgres require when we are root.
 */
export interface PrivatePostgres {
  url: string;
  stop(): Promise<void>;
}

/** Why a private cluster cannot be started here, or null when it can. */
export function privatePostgresUnavailable(): string | null {
  if (!existsSync(path.join(BIN, 'postgres'))) return `no PostgreSQL server binaries in ${BIN}`;
  if (process.getuid?.() !== 0) return 'not root: cannot start a cluster as the postgres user';
  return null;
}

export async function startPrivatePostgres(settings: Record<string, string>): Promise<PrivatePostgres> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-pg-'));
  execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  execFileSync('runuser', ['-u', 'postgres', '--', path.join(BIN, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8'], { stdio: 'ignore' });
  const port = String(20_000 + Math.floor(Math.random() * 20_000));
  const args = ['-D', data, '-p', port, '-k', dir, '-c', 'listen_addresses=', ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child: ChildProcess = spawn('runuser', ['-u', 'postgres', '--', path.join(BIN, 'postgres'), ...args], { stdio: 'ignore' });
  const url = `postgresql://postgres@/postgres?host=${encodeURIComponent(dir)}&port=${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // pg_ctl rather than a signal to runuser: the server itself gets the fast shutdown.
      execFileSync('runuser', ['-u', 'postgres', '--', path.join(BIN, 'pg_ctl'), 'stop', '-D', data, '-m', 'fast', '-w'], { stdio: 'ignore' });
      await exited;
    }
    await fs.rm(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; ; attempt += 1) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return { url, stop };
    } catch (error) {
      await client.end().catch(() => {});
      if (attempt >= 100 || child.exitCode !== null) {
        await stop();
        throw new Error(`private PostgreSQL did not start: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
