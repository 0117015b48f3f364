import fs from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import type { BackupEngine, DumpOutcome, Scratch } from './engine.js';
import { writeHashed } from './files.js';
import { appliedSchemaVersion, dumpedSchemas, EXCLUDED_SCHEMA_PATTERN, OPERATIONAL_TABLES, quoteIdent, rowCounts, type Sql } from './inventory.js';

async function readGzippedText(file: string): Promise<string> {
  const chunks: Buffer[] = [];
  await pipeline(
    fs.createReadStream(file),
    createGunzip(),
    new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        chunks.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(chunks).toString('utf8');
}

function pgliteSql(db: Pick<PGlite, 'query'>): Sql {
  return { query: async <T>(text: string, params?: unknown[]) => (await db.query<T>(text, params)).rows };
}

/**
 * PGlite: its WASM pg_dump writes plain SQL (its custom format is broken in
 * pglite-tools 0.4.8: a 7-byte file), gzip-compressed here. The dump and the
 * counts come from a clone of the data directory taken in one step under
 * PGlite's own lock, so they agree with each other and the live instance
 * keeps serving meanwhile. pglite-tools returns the dump as one in-memory
 * File: embedded installations are small, and that is its only API.
 */
export function pgliteEngine(live: PGlite): BackupEngine {
  const args = [`--exclude-schema=${EXCLUDED_SCHEMA_PATTERN}`, ...OPERATIONAL_TABLES.map((t) => `--exclude-table-data=${t}`)];
  return {
    engine: 'pglite',
    format: 'sql-gzip',
    extension: 'sql.gz',
    async dump(file, _signal, onBytes): Promise<DumpOutcome> {
      const clone = (await live.clone()) as PGlite;
      try {
        const sql = pgliteSql(clone);
        const counts = await rowCounts(sql);
        const schemaVersion = await appliedSchemaVersion(sql);
        const dumped = await pgDump({ pg: clone, args });
        const bytes = Buffer.from(await dumped.arrayBuffer());
        const written = await writeHashed(Readable.from([bytes]), file, [createGzip()], onBytes);
        return { ...written, rowCounts: counts, schemaVersion };
      } finally {
        await clone.close();
      }
    },
    async restoreScratch(file): Promise<Scratch> {
      const script = await readGzippedText(file);
      const scratch = await PGlite.create();
      try {
        await scratch.exec(script);
        await scratch.exec('RESET ALL');
      } catch (error) {
        await scratch.close();
        throw error;
      }
      return { sql: pgliteSql(scratch), dispose: () => scratch.close() };
    },
    async restoreLive(file, _signal, keep) {
      const script = await readGzippedText(file);
      await live.transaction(async (tx) => {
        const sql = pgliteSql(tx);
        const kept = await keep.save(sql);
        for (const schema of await dumpedSchemas(sql)) await tx.exec(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
        await tx.exec('CREATE SCHEMA public');
        await tx.exec(script);
        // The dump empties search_path for its session, which is also NEXUS's only session here.
        await tx.exec('RESET ALL');
        await keep.put(sql, kept);
      });
    },
  };
}
