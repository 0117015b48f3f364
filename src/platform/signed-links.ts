import { createHmac, timingSafeEqual } from 'node:crypto';

/** HKDF `info` per use, as for sealing: a key of its own, so a link key signs nothing else. */
export type LinkPurpose = 'ack-links v1';

/** What a link says; every field is covered by the MAC. */
export interface LinkClaims {
  /** The thing acted on (an incident id). */
  subject: string;
  /** Which round of it (an escalation's start, ms): a link from an earlier round is told apart. */
  epochMs: number;
  /** Unique per link (a delivery id): what single use is recorded by. */
  nonce: string;
  /** Whole seconds. */
  expiresAt: Date;
}

const VERSION = 1;
const UUID_BYTES = 16;
const BODY_BYTES = 1 + UUID_BYTES + 8 + 4 + UUID_BYTES;
/** 128 bits of HMAC-SHA256: forging one still takes 2^128 guesses, and links stay short enough for an SMS. */
const MAC_BYTES = 16;

const uuidBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex');
function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Where a signer gets its keys: the current one signs, every one still valid verifies. */
export interface LinkKeySource {
  linkKeys(purpose: LinkPurpose): { sign: Buffer; verify: readonly Buffer[] };
}

/**
 * Signed links that act without a login (acknowledge from a page). A token
 * is 82 base64url characters: version, subject, epoch, expiry and nonce in
 * binary, then a truncated HMAC-SHA256 under a key derived (HKDF, its own
 * label) from the key ring's current signing key, so every replica checks
 * what another signed, and keys rotated out still check links until their
 * grace ends (ADR 0012). Links carry no key id: the ring holds a handful of
 * keys, and a link must stay short enough for an SMS.
 * Expiry and single use are the caller's to enforce; `verify` says only
 * whether this NEXUS signed it, and what it says.
 */
export class LinkSigner {
  constructor(
    private readonly keys: LinkKeySource,
    private readonly purpose: LinkPurpose,
  ) {}

  sign(claims: LinkClaims): string {
    const body = Buffer.alloc(BODY_BYTES);
    body.writeUInt8(VERSION, 0);
    uuidBytes(claims.subject).copy(body, 1);
    body.writeBigUInt64BE(BigInt(claims.epochMs), 1 + UUID_BYTES);
    body.writeUInt32BE(Math.floor(claims.expiresAt.getTime() / 1000), 1 + UUID_BYTES + 8);
    uuidBytes(claims.nonce).copy(body, 1 + UUID_BYTES + 12);
    return Buffer.concat([body, this.mac(this.keys.linkKeys(this.purpose).sign, body)]).toString('base64url');
  }

  /** The claims of a token this NEXUS signed; null for anything else (forged, altered, cut, another purpose). */
  verify(token: string): LinkClaims | null {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
    const raw = Buffer.from(token, 'base64url');
    if (raw.length !== BODY_BYTES + MAC_BYTES || raw.readUInt8(0) !== VERSION) return null;
    const body = raw.subarray(0, BODY_BYTES);
    const mac = raw.subarray(BODY_BYTES);
    if (!this.keys.linkKeys(this.purpose).verify.some((key) => timingSafeEqual(this.mac(key, body), mac))) return null;
    return {
      subject: uuidText(body.subarray(1, 1 + UUID_BYTES)),
      epochMs: Number(body.readBigUInt64BE(1 + UUID_BYTES)),
      expiresAt: new Date(body.readUInt32BE(1 + UUID_BYTES + 8) * 1000),
      nonce: uuidText(body.subarray(1 + UUID_BYTES + 12)),
    };
  }

  private mac(key: Buffer, body: Buffer): Buffer {
    return createHmac('sha256', key).update(body).digest().subarray(0, MAC_BYTES);
  }
}
