import { randomUUID } from 'node:crypto';
import { createSigner, createVerifier, TokenError } from 'fast-jwt';
import type { SigningKeySource, VerifyingKey } from './key-ring.js';

export interface SessionClaims {
  userId: string;
  username: string;
  issuedAt: Date;
  expiresAt: Date;
  /** When the key that signed it stops verifying (a rotation's grace end); null: until the next rotation. */
  keyNotAfter: Date | null;
}

const ISSUER = 'nexus';

/**
 * How far ahead of this replica's clock a token's `iat` may be (replicas'
 * clocks differ a little). Further ahead, the token would outlive "sign out
 * everywhere", which refuses only tokens issued before it.
 */
const CLOCK_SKEW_SECONDS = 5;
/** Signers and verifiers are built once per key; a ring holds a handful, this only bounds a bug. */
const KEY_CACHE_MAX = 64;

type Verify = (token: string) => Record<string, unknown>;
type Sign = (payload: Record<string, unknown>) => string;

/** The key id in a token's header; undefined for a header that is not a JWT's. */
function headerKeyId(token: string): string | null | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot > 512) return undefined;
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8')) as { kid?: unknown };
    if (header.kid === undefined) return null;
    return typeof header.kid === 'string' && header.kid.length <= 64 ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * HS256 session tokens (fast-jwt: node:crypto HMAC, far cheaper a check than
 * jose's WebCrypto path: docs/benchmarks/2026-11-27-http.md). Signing uses
 * the key ring's current key and names it in the header (`kid`); a token is
 * checked only with the key it names, while that key still verifies (ADR
 * 0012). Tokens with no `kid` were signed with a configured JWT_SECRET_KEY
 * (before the first rotation), and are checked with those.
 */
export class SessionTokens {
  private readonly signers = new Map<string, Sign>();
  private readonly verifiers = new Map<string, Verify>();

  constructor(
    private readonly keys: SigningKeySource,
    private readonly ttlSeconds: number,
  ) {}

  async issue(userId: string, username: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = this.signer()({ sub: userId, name: username, iat, exp, jti: randomUUID() });
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a valid token, or null: callers never learn why a token failed. */
  async verify(token: string, now = Date.now()): Promise<SessionClaims | null> {
    const kid = headerKeyId(token);
    if (kid === undefined) return null;
    for (const key of await this.keys.verifyingKeys(kid)) {
      try {
        const payload = this.verifier(key)(token);
        if (typeof payload.sub !== 'string' || typeof payload.iat !== 'number' || typeof payload.exp !== 'number') {
          return null;
        }
        // Issued in the future, or living longer than sessions may: not a token this installation issues.
        if (payload.iat > now / 1000 + CLOCK_SKEW_SECONDS || payload.exp - payload.iat > this.ttlSeconds) return null;
        return {
          expiresAt: new Date(payload.exp * 1000),
          userId: payload.sub,
          username: typeof payload.name === 'string' ? payload.name : '',
          issuedAt: new Date(payload.iat * 1000),
          keyNotAfter: key.notAfter,
        };
      } catch (error) {
        // Only a bad signature is worth trying the next key for.
        if (!(error instanceof TokenError) || error.code !== TokenError.codes.invalidSignature) return null;
      }
    }
    return null;
  }

  private signer(): Sign {
    const { kid, material } = this.keys.currentSigningKey();
    const cacheKey = `${kid ?? ''}\0${material}`;
    let sign = this.signers.get(cacheKey);
    if (!sign) {
      if (this.signers.size >= KEY_CACHE_MAX) this.signers.clear();
      sign = createSigner({ key: material, algorithm: 'HS256', iss: ISSUER, ...(kid ? { kid } : {}) }) as Sign;
      this.signers.set(cacheKey, sign);
    }
    return sign;
  }

  private verifier(key: VerifyingKey): Verify {
    let verify = this.verifiers.get(key.material);
    if (!verify) {
      if (this.verifiers.size >= KEY_CACHE_MAX) this.verifiers.clear();
      verify = createVerifier({ key: key.material, algorithms: ['HS256'], allowedIss: ISSUER, cache: 10_000 }) as Verify;
      this.verifiers.set(key.material, verify);
    }
    return verify;
  }
}

/** A key source of a lone secret and its predecessor, for tests and tools that have no database. */
export function signingKeysFromSecrets(current: string, previous?: string): SigningKeySource {
  const keys = [current, ...(previous ? [previous] : [])].map((material) => ({ material, notAfter: null }));
  return {
    currentSigningKey: () => ({ kid: null, material: current }),
    verifyingKeys: async (kid) => (kid === null ? keys : []),
  };
}
