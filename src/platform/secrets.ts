import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** HKDF `info` per use: a key of its own for each, so one leaked key opens nothing else (and signs no session). */
export type SealPurpose = 'run-secrets v1' | 'channel-secrets v1';
export const SEAL_PURPOSES: readonly SealPurpose[] = ['run-secrets v1', 'channel-secrets v1'];

/** A 32-byte key for one purpose, derived from a secret (HKDF-SHA256, salt `nexus`). */
export function deriveKey(secret: string | Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'nexus', purpose, 32));
}

/** AES-256-GCM with `context` bound in as associated data: base64url of IV, tag, ciphertext. */
export function sealWith(key: Buffer, context: readonly string[], value: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context.join('\0')));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** What the first key that opens it reads; null when none does (another key, or tampered with). */
export function openWith(keys: readonly Buffer[], context: readonly string[], sealed: string): string | null {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) return null;
  for (const key of keys) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context.join('\0')));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      // wrong key: try the next one
    }
  }
  return null;
}

/**
 * The keys of one sealing purpose: the one new values are sealed with, and
 * every key an older value may have been sealed with. The key ring
 * (src/platform/auth/key-ring.ts) keeps them; a signing-key rotation leaves
 * them alone, so sealed values never need re-sealing (ADR 0012).
 */
export interface SealingKeys {
  seal: Buffer;
  open: readonly Buffer[];
}

/** Where a sealer gets its keys: looked up at each use, so a replica that learns a key later needs no rebuild. */
export interface SealingKeySource {
  sealingKeys(purpose: SealPurpose): SealingKeys;
}

/** The keys of a lone secret and its predecessor, as NEXUS derived them before the key ring (and for tests). */
export function keysFromSecrets(secret: string, previous?: string): SealingKeySource {
  return {
    sealingKeys: (purpose) => {
      const seal = deriveKey(secret, purpose);
      return { seal, open: [seal, ...(previous ? [deriveKey(previous, purpose)] : [])] };
    },
  };
}

/**
 * Seals secrets at rest with AES-256-GCM (run parameters, notification
 * channel URLs and keys) under the key ring's data key for the purpose,
 * which every replica reads from the database, so any replica can open what
 * another sealed. `context` (the row id and field name) is bound in as
 * associated data, so a sealed value cannot be moved to another row. A value
 * no key opens is null to the caller.
 */
export class SecretSealer {
  constructor(
    private readonly keys: SealingKeySource,
    private readonly purpose: SealPurpose,
  ) {}

  seal(context: readonly string[], value: string): string {
    return sealWith(this.keys.sealingKeys(this.purpose).seal, context, value);
  }

  /** null when no key opens it (lost with the configured key, or tampered with). */
  open(context: readonly string[], sealed: string): string | null {
    return openWith(this.keys.sealingKeys(this.purpose).open, context, sealed);
  }
}
