import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { BackupEngine } from './engine.js';
import { CorruptBackupError } from './errors.js';

/** `backups/<id>.json`: what a backup holds, written after its dump. */
export const ManifestSchema = Type.Object(
  {
    id: Type.String({ pattern: '^\\d{8}T\\d{6}Z-[0-9a-f]{8}$' }),
    createdAt: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z$' }),
    nexusVersion: Type.String({ maxLength: 100 }),
    engine: Type.Union([Type.Literal('postgres'), Type.Literal('pglite')]),
    format: Type.Union([Type.Literal('pg_dump-custom'), Type.Literal('sql-gzip')]),
    /** The dump's key in the target: `database/<id>.dump` or `database/<id>.sql.gz`. */
    database: Type.String({ pattern: '^database/\\d{8}T\\d{6}Z-[0-9a-f]{8}\\.(?:dump|sql\\.gz)$' }),
    sizeBytes: Type.Integer({ minimum: 0 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    schemaVersion: Type.String({ maxLength: 200 }),
    rowCounts: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_]+\\.[A-Za-z0-9_]+$' }), Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type Manifest = Static<typeof ManifestSchema>;

/** A manifest is data from storage someone else may write to: its shape is checked, and it must be the backup asked for. */
export function parseManifest(text: string, id: string, engine: Pick<BackupEngine, 'engine' | 'format' | 'extension'>): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CorruptBackupError(id, 'its manifest is not JSON');
  }
  if (!Value.Check(ManifestSchema, value)) throw new CorruptBackupError(id, 'its manifest is not a NEXUS backup manifest');
  const manifest = value as Manifest;
  if (manifest.id !== id || manifest.database !== `database/${id}.${engine.extension}`) throw new CorruptBackupError(id, 'its manifest names another backup');
  if (manifest.engine !== engine.engine || manifest.format !== engine.format) {
    throw new CorruptBackupError(id, `it is a ${manifest.engine} backup (${manifest.format}); this NEXUS runs on ${engine.engine}`);
  }
  return manifest;
}
