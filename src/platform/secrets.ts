import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** HKDF `info` per use: a key of its own for each, so one leaked key opens nothing else (and signs no session). */
export type SealPurpose = 'run-secrets v1' | 'channel-secrets v1';

function deriveKey(serverSecret: string, purpose: SealPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', serverSecret, 'nexus', purpose, 32));
}

/**
 * Seals secrets at rest with AES-256-GCM (run parameters, notification
 * channel URLs and keys). The key derives from the server's JWT key, which
 * every replica already shares (and embedded mode keeps in its data
 * directory), so any replica can open what another sealed. `context` (the
 * row id and field name) is bound in as associated data, so a sealed value
 * cannot be moved to another row. After a key rotation the previous key still
 * opens old values; a value no key opens is null to the caller.
 */
export class SecretSealer {
  private readonly keys: Buffer[];

  constructor(serverSecret: string, previousSecret: string | undefined, purpose: SealPurpose) {
    this.keys = [deriveKey(serverSecret, purpose), ...(previousSecret ? [deriveKey(previousSecret, purpose)] : [])];
  }

  seal(context: readonly string[], value: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!, iv);
    cipher.setAAD(Buffer.from(context.join('\0')));
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** null when no key opens it (rotated away, or tampered with). */
  open(context: readonly string[], sealed: string): string | null {
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) return null;
    for (const key of this.keys) {
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
}
