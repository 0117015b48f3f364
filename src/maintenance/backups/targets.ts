import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { BackupsConfig } from '../../platform/config.js';
import { InputError, NotFoundError } from '../../platform/errors.js';

/**
 * Where backups are kept. Keys are relative to the configured prefix and
 * always one of `backups/<id>.json` or `database/<id>.<ext>` (the seed's
 * layout); the service builds them from validated ids only, and each target
 * checks again that a key cannot leave its root.
 */
export interface BackupTarget {
  kind: 'directory' | 's3';
  /** Where, for people: a directory or `s3://bucket/prefix`. Never credentials. */
  location: string;
  putFile(key: string, file: string, sizeBytes: number): Promise<void>;
  putText(key: string, text: string): Promise<void>;
  /** Copies the object to a local file. */
  download(key: string, file: string): Promise<void>;
  getText(key: string): Promise<string>;
  /** Keys under `folder/` (`backups` or `database`). */
  list(folder: 'backups' | 'database'): Promise<string[]>;
  delete(key: string): Promise<void>;
}

const KEY = /^(?:backups|database)\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checkKey(key: string): void {
  if (!KEY.test(key) || key.includes('..')) throw new InputError(`Not a backup object key: ${JSON.stringify(key)}`);
}

export function directoryTarget(root: string, prefix: string): BackupTarget {
  const base = path.resolve(root, prefix);
  const resolve = (key: string) => {
    checkKey(key);
    const file = path.resolve(base, key);
    if (!file.startsWith(base + path.sep)) throw new InputError(`Not a backup object key: ${JSON.stringify(key)}`);
    return file;
  };
  const ensureDir = (file: string) => fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  return {
    kind: 'directory',
    location: base,
    async putFile(key, file) {
      const dest = resolve(key);
      await ensureDir(dest);
      // Write beside, then rename: a reader never sees half a dump under its final name.
      const partial = `${dest}.partial`;
      await pipeline(fs.createReadStream(file), fs.createWriteStream(partial, { mode: 0o600 }));
      await fsp.rename(partial, dest);
    },
    async putText(key, text) {
      const dest = resolve(key);
      await ensureDir(dest);
      await fsp.writeFile(`${dest}.partial`, text, { mode: 0o600 });
      await fsp.rename(`${dest}.partial`, dest);
    },
    async download(key, file) {
      const source = resolve(key);
      try {
        await pipeline(fs.createReadStream(source), fs.createWriteStream(file, { mode: 0o600 }));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError('backup object', key);
        throw error;
      }
    },
    async getText(key) {
      try {
        return await fsp.readFile(resolve(key), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError('backup object', key);
        throw error;
      }
    },
    async list(folder) {
      try {
        const names = await fsp.readdir(path.join(base, folder));
        return names.filter((n) => !n.endsWith('.partial')).map((n) => `${folder}/${n}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    },
    async delete(key) {
      await fsp.rm(resolve(key), { force: true });
    },
  };
}

export function s3Target(config: NonNullable<BackupsConfig['s3']>, prefix: string): BackupTarget {
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    // The SDK's default (since 3.729) streams uploads aws-chunked with a CRC trailer, which
    // several S3-compatible servers (s3rver, older MinIO) store verbatim; integrity is our SHA-256's job.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const objectKey = (key: string) => {
    checkKey(key);
    return prefix ? `${prefix}/${key}` : key;
  };
  const notFound = (error: unknown, key: string) =>
    error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey' ? new NotFoundError('backup object', key) : error;
  return {
    kind: 's3',
    location: `s3://${config.bucket}${prefix ? `/${prefix}` : ''}`,
    async putFile(key, file, sizeBytes) {
      // A stream with its length: the SDK sends it without buffering (one PUT, so up to S3's 5 GB per object).
      await client.send(new PutObjectCommand({ Bucket: config.bucket, Key: objectKey(key), Body: fs.createReadStream(file), ContentLength: sizeBytes }));
    },
    async putText(key, text) {
      await client.send(new PutObjectCommand({ Bucket: config.bucket, Key: objectKey(key), Body: text, ContentType: 'application/json' }));
    },
    async download(key, file) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: objectKey(key) }));
        await pipeline(object.Body as Readable, fs.createWriteStream(file, { mode: 0o600 }));
      } catch (error) {
        throw notFound(error, key);
      }
    },
    async getText(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: objectKey(key) }));
        return await object.Body!.transformToString('utf8');
      } catch (error) {
        throw notFound(error, key);
      }
    },
    async list(folder) {
      const keys: string[] = [];
      const start = prefix ? `${prefix}/${folder}/` : `${folder}/`;
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: start, ContinuationToken: token }));
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(prefix ? prefix.length + 1 : 0));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: objectKey(key) }));
    },
  };
}

export function targetFor(config: BackupsConfig): BackupTarget {
  return config.target === 's3' && config.s3 ? s3Target(config.s3, config.prefix) : directoryTarget(config.directory, config.prefix);
}
