import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import pg from 'pg';
import { UnavailableError } from '../../platform/errors.js';
import type { BackupEngine, DumpOutcome, Scratch } from './engine.js';
import { writeHashed } from './files.js';
import { appliedSchemaVersion, EXCLUDED_SCHEMA_PATTERN, OPERATIONAL_TABLES, rowCounts, type Sql } from './inventory.js';

const STDERR_LIMIT = 4096;

/**
 * The client tools must be at least the server's major version; the newest
 * installed one is taken (Debian keeps them under /usr/lib/postgresql/<major>/bin).
 */
export function findPgTool(name: 'pg_dump' | 'pg_restore'): string {
  const candidates: string[] = [];
  try {
    const majors = fs.readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...majors.map((v) => `/usr/lib/postgresql/${v}/bin/${name}`));
  } catch {
    // Not Debian's layout: the usual bin directories below.
  }
  candidates.push(...['/usr/local/bin', '/usr/bin', '/opt/homebrew/bin', '/usr/local/pgsql/bin'].map((d) => path.join(d, name)));
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new UnavailableError(`${name} is not installed: backups of PostgreSQL need the PostgreSQL client tools (e.g. apt-get install postgresql-client)`);
  return found;
}

/** The URL without its password, which goes to the tools through PGPASSWORD instead (argv is visible to every user in `ps`). */
function splitCredentials(databaseUrl: string, database?: string): { url: string; env: Record<string, string> } {
  const parsed = new URL(databaseUrl);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  if (database) parsed.pathname = `/${database}`;
  return { url: parsed.toString(), env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', ...(password ? { PGPASSWORD: password } : {}) } };
}

function run(tool: 'pg_dump' | 'pg_restore', args: string[], env: Record<string, string>, signal: AbortSignal, stdout?: (stream: Readable) => Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(findPgTool(tool), args, { env, stdio: ['ignore', stdout ? 'pipe' : 'ignore', 'pipe'], signal });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk.toString('utf8');
    });
    const consumed = stdout ? stdout(child.stdout!) : Promise.resolve();
    let exit: number | null = null;
    child.on('error', reject);
    child.on('close', (code) => {
      exit = code;
      consumed.then(
        () => (exit === 0 ? resolve() : reject(new Error(`${tool} exited with ${exit}: ${stderr.trim().slice(0, STDERR_LIMIT)}`))),
        (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
      );
    });
  });
}

function clientSql(client: pg.Client | pg.Pool): Sql {
  return { query: async <T>(text: string, params?: unknown[]) => (await client.query(text, params as unknown[])).rows as T[] };
}

/**
 * PostgreSQL: `pg_dump --format=custom` (compressed by pg_dump itself) streamed
 * to the file, `pg_restore` back. Row counts are taken in the transaction whose
 * snapshot pg_dump imports (`--snapshot`), so they describe exactly the dumped rows.
 */
export function postgresEngine(databaseUrl: string): BackupEngine {
  const excludes = [`--exclude-schema=${EXCLUDED_SCHEMA_PATTERN}`, ...OPERATIONAL_TABLES.map((t) => `--exclude-table-data=${t}`)];
  const restoreArgs = ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--no-password'];
  return {
    engine: 'postgres',
    format: 'pg_dump-custom',
    extension: 'dump',
    async dump(file, signal, onBytes): Promise<DumpOutcome> {
      const client = new pg.Client({ connectionString: databaseUrl, application_name: 'nexus-backup' });
      await client.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        const [{ snapshot }] = (await client.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot')).rows as [{ snapshot: string }];
        const sql = clientSql(client);
        const counts = await rowCounts(sql);
        const schemaVersion = await appliedSchemaVersion(sql);
        const { url, env } = splitCredentials(databaseUrl);
        let written = { sizeBytes: 0, sha256: '' };
        await run('pg_dump', ['--format=custom', `--snapshot=${snapshot}`, '--no-password', ...excludes, `--dbname=${url}`], env, signal, async (stdout) => {
          written = await writeHashed(stdout, file, [], onBytes);
        });
        await client.query('COMMIT');
        return { ...written, rowCounts: counts, schemaVersion };
      } finally {
        await client.end().catch(() => {});
      }
    },
    async restoreScratch(file, signal): Promise<Scratch> {
      const name = `nexus_verify_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: databaseUrl, application_name: 'nexus-backup' });
      await admin.connect();
      const drop = async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
        await admin.end().catch(() => {});
      };
      let scratch: pg.Client | undefined;
      try {
        try {
          await admin.query(`CREATE DATABASE ${name}`);
        } catch (error) {
          throw new UnavailableError(`Could not create the scratch database a verification restores into (the database user needs CREATEDB): ${(error as Error).message}`);
        }
        const { url, env } = splitCredentials(databaseUrl, name);
        await run('pg_restore', [...restoreArgs, `--dbname=${url}`, file], env, signal);
        const scratchUrl = new URL(databaseUrl);
        scratchUrl.pathname = `/${name}`;
        scratch = new pg.Client({ connectionString: scratchUrl.toString(), application_name: 'nexus-backup' });
        await scratch.connect();
      } catch (error) {
        await drop();
        throw error;
      }
      const connected = scratch;
      return {
        sql: clientSql(connected),
        dispose: async () => {
          await connected.end().catch(() => {});
          await drop();
        },
      };
    },
    async restoreLive(file, signal, keep) {
      const pool = new pg.Client({ connectionString: databaseUrl, application_name: 'nexus-restore' });
      await pool.connect();
      try {
        const sql = clientSql(pool);
        const kept = await keep.save(sql);
        // A destroyed database may have lost `public` too; pg_restore does not create it.
        await pool.query('CREATE SCHEMA IF NOT EXISTS public');
        const { url, env } = splitCredentials(databaseUrl);
        await run('pg_restore', [...restoreArgs, '--clean', '--if-exists', `--dbname=${url}`, file], env, signal);
        await keep.put(sql, kept);
      } finally {
        await pool.end().catch(() => {});
      }
    },
  };
}
