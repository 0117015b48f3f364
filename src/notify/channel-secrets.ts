import type { SecretSealer } from '../platform/secrets.js';

/** Marks a sealed value; anything else in the column is a value written before sealing existed. */
export const SEALED_PREFIX = 'sealed:v1:';

/** A channel's URL or HMAC key that no current key opens (JWT_SECRET_KEY rotated past it): it must be set again. */
export function isUnreadable(value: string | null): boolean {
  return value !== null && value.startsWith(SEALED_PREFIX);
}

export const UNREADABLE_REASON = 'the channel URL or secret cannot be decrypted with JWT_SECRET_KEY or JWT_SECRET_KEY_PREVIOUS; set it again';

type SealedFields = { url?: string | null | undefined; secret?: string | null | undefined };

/**
 * Channel URLs (a Slack incoming webhook URL is a credential) and HMAC keys
 * are sealed at rest, bound to the channel id and field. The store seals on
 * write and opens on read, so nothing above it handles ciphertext.
 */
export class ChannelSecrets {
  constructor(private readonly sealer: SecretSealer) {}

  seal<T extends SealedFields>(id: string, fields: T): T {
    const out = { ...fields };
    for (const field of ['url', 'secret'] as const) {
      const value = fields[field];
      if (typeof value === 'string') out[field] = `${SEALED_PREFIX}${this.sealer.seal([id, field], value)}`;
    }
    return out;
  }

  /** Opens both fields; one no key opens stays sealed, which `isUnreadable` tells the sender and the API. */
  open<T extends { id: string; url: string | null; secret: string | null }>(row: T): T {
    return { ...row, url: this.openField(row.id, 'url', row.url), secret: this.openField(row.id, 'secret', row.secret) };
  }

  private openField(id: string, field: 'url' | 'secret', value: string | null): string | null {
    if (value === null || !value.startsWith(SEALED_PREFIX)) return value;
    return this.sealer.open([id, field], value.slice(SEALED_PREFIX.length)) ?? value;
  }
}
