import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface Written {
  sizeBytes: number;
  sha256: string;
}

/** A pass-through that hashes and counts what flows through it, so a dump is read once. */
export class Hashing extends Transform {
  private readonly hash = createHash('sha256');
  private bytes = 0;
  constructor(private readonly onBytes?: (bytes: number) => void) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.onBytes?.(this.bytes);
    this.push(chunk);
    callback();
  }
  result(): Written {
    return { sizeBytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

/** Streams `source` (through `transforms`) into `file`, hashing the bytes written. Never holds the whole stream. */
export async function writeHashed(source: Readable, file: string, transforms: Transform[] = [], onBytes?: (bytes: number) => void): Promise<Written> {
  const hashing = new Hashing(onBytes);
  await pipeline([source, ...transforms, hashing, fs.createWriteStream(file, { mode: 0o600 })]);
  return hashing.result();
}

export async function hashFile(file: string): Promise<Written> {
  const hashing = new Hashing();
  // Drained into nothing: only the digest is wanted.
  await pipeline(fs.createReadStream(file), hashing, new Writable({ write: (_chunk, _encoding, done) => done() }));
  return hashing.result();
}
