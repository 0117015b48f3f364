import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

function deriveKey(serverSecret: string): Buffer {
  // A key of its own, so a leaked run secret key does not sign sessions (and vice versa).
  return Buffer.from(hkdfSync('sha256', serverSecret, 'nexus', 'run-secrets v1', 32));
}

/**
 * Seals secret parameter values for `run_secrets` with AES-256-GCM. The key
 * derives from the server's JWT key, which every replica already shares (and
 * embedded mode keeps in its data directory), so any replica can hand the
 * values to the runner that leases the step. The run id and name are bound in
 * as associated data, so a sealed value cannot be moved to another run.
 * After a key rotation the previous key still opens old values; a value no
 * key opens is reported as missing, and the step asks for it again.
 */
export class SecretSealer {
  private readonly keys: Buffer[];

  constructor(serverSecret: string, previousSecret?: string) {
    this.keys = [deriveKey(serverSecret), ...(previousSecret ? [deriveKey(previousSecret)] : [])];
  }

  seal(runId: string, name: string, value: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!, iv);
    cipher.setAAD(Buffer.from(`${runId}\0${name}`));
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** null when no key opens it (rotated away, or tampered with). */
  open(runId: string, name: string, sealed: string): string | null {
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) return null;
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(`${runId}\0${name}`));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        // wrong key: try the next one
      }
    }
    return null;
  }
}
