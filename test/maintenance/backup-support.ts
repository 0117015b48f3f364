import fs from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../../src/platform/db/index.js';
import { bearer, json, type TestApp } from '../support/app.js';

export interface TableState {
  rows: number;
  hash: string;
}

/** Every table NEXUS keeps (the job queue and the operational tables aside, as the backups do), with a row count and a hash of its content. */
export async function tableStates(db: Database, auditUpTo?: number): Promise<Record<string, TableState>> {
  const tables = await db.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname NOT LIKE 'pgboss%'
        AND n.nspname || '.' || c.relname NOT IN ('public.backups', 'public.maintenance_mode')
      ORDER BY 1`,
  );
  const out: Record<string, TableState> = {};
  for (const { name } of tables) {
    const [schema, table] = name.split('.') as [string, string];
    const where = name === 'public.audit_log' && auditUpTo !== undefined ? `WHERE t.id <= ${Number(auditUpTo)}` : '';
    const [row] = await db.query<{ rows: string | number; hash: string | null }>(
      `SELECT count(*) AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS hash FROM "${schema}"."${table}" t ${where}`,
    );
    out[name] = { rows: Number(row!.rows), hash: row!.hash ?? '' };
  }
  return out;
}

/**
 * The tables once background work (paging, timeline) has written what the
 * seeded data set off: two reads a moment apart that agree. Waits for a
 * condition; asserts nothing about time.
 */
export async function settledStates(db: Database): Promise<Record<string, TableState>> {
  let previous = await tableStates(db);
  for (let attempt = 0; attempt < 60; attempt++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await tableStates(db);
    if (JSON.stringify(now) === JSON.stringify(previous)) return now;
    previous = now;
  }
  throw new Error('background work never settled');
}

export function printComparison(title: string, before: Record<string, TableState>, after: Record<string, TableState>): void {
  const lines = [`${title}`, `${'table'.padEnd(40)} ${'before'.padStart(8)} ${'after'.padStart(8)}  content`];
  for (const name of Object.keys(before)) {
    const a = after[name];
    lines.push(`${name.padEnd(40)} ${String(before[name]!.rows).padStart(8)} ${String(a?.rows ?? '-').padStart(8)}  ${a?.hash === before[name]!.hash ? 'same' : 'DIFFERENT'}`);
  }
  console.log(lines.join('\n'));
}

const RUNBOOK = `# Restore drill library

## Emergency Procedures

### Database Corruption

**Severity**: P1

#### Resolution Steps

1. **Check status**

   \`\`\`bash
   # Show the pods
   kubectl get pods -n nexus-platform
   \`\`\`
`;

/** Data of every kind a person makes: a runbook, users, incidents, alerts. */
export async function seedData(t: TestApp): Promise<void> {
  const ok = (res: { statusCode: number; body: string }, what: string) => {
    if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  };
  ok(await t.inject({ method: 'POST', url: '/api/v1/runbooks', headers: bearer(t.tokens.admin), payload: { source: RUNBOOK, slug: 'restore-drill' } }), 'runbook');
  ok(await t.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(t.tokens.admin), payload: { username: 'kept-user', password: 'kept-user-password-1', role: 'responder' } }), 'user');
  for (let i = 0; i < 4; i++) {
    ok(await t.inject({ method: 'POST', url: '/api/v1/incidents', headers: bearer(t.tokens.responder), payload: { title: `Disk ${i} it's full \n INSERT INTO public.users VALUES (`, severity: 'P2', service: 'db' } }), 'incident');
  }
  for (let i = 0; i < 6; i++) {
    ok(await t.inject({ method: 'POST', url: '/api/v1/alerts', headers: bearer(t.tokens.responder), payload: { labels: { alertname: `Restore${i}`, host: `h${i % 2}` }, annotations: { summary: 'ünïcode ✓' } } }), 'alert');
  }
  await t.server.incidents.changes.idle();
}

export async function maxAuditId(db: Database): Promise<number> {
  const [row] = await db.query<{ id: string | number | null }>('SELECT max(id) AS id FROM audit_log');
  return Number(row?.id ?? 0);
}

export function backupDir(t: TestApp): string {
  return path.join(t.config.dataDir, 'backups');
}

export async function createBackup(t: TestApp): Promise<{ id: string; sizeBytes: number; rowCounts: Record<string, number> }> {
  const res = await t.inject({ method: 'POST', url: '/api/v1/backups', headers: bearer(t.tokens.operator) });
  if (res.statusCode !== 201) throw new Error(`backup: ${res.statusCode} ${res.body}`);
  return json(res);
}

export async function dumpFile(t: TestApp, id: string): Promise<string> {
  const dir = path.join(backupDir(t), 'database');
  const name = (await fs.readdir(dir)).find((n) => n.startsWith(id));
  if (!name) throw new Error(`no dump for ${id}`);
  return path.join(dir, name);
}
