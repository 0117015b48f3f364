import { randomUUID } from 'node:crypto';
import { createSigner, createVerifier, TokenError } from 'fast-jwt';

export interface SessionClaims {
  userId: string;
  username: string;
  issuedAt: Date;
  expiresAt: Date;
}

const ISSUER = 'nexus';

/**
 * How far ahead of this replica's clock a token's `iat` may be (replicas'
 * clocks differ a little). Further ahead, the token would outlive "sign out
 * everywhere", which refuses only tokens issued before it.
 */
const CLOCK_SKEW_SECONDS = 5;

type Verify = (token: string) => Record<string, unknown>;

/**
 * HS256 session tokens (fast-jwt: node:crypto HMAC, far cheaper a check than
 * jose's WebCrypto path: docs/benchmarks/2026-11-27-http.md). Signing always uses the
 * current key; verification also accepts the previous one, so rotating
 * JWT_SECRET_KEY logs no one out until JWT_SECRET_KEY_PREVIOUS is removed.
 */
export class SessionTokens {
  private readonly verifiers: Verify[];
  private readonly signer: (payload: Record<string, unknown>) => string;

  constructor(
    currentKey: string,
    previousKey: string | undefined,
    private readonly ttlSeconds: number,
  ) {
    this.signer = createSigner({ key: currentKey, algorithm: 'HS256', iss: ISSUER });
    const verifier = (key: string) =>
      createVerifier({ key, algorithms: ['HS256'], allowedIss: ISSUER, cache: 10_000 }) as Verify;
    this.verifiers = previousKey ? [verifier(currentKey), verifier(previousKey)] : [verifier(currentKey)];
  }

  async issue(userId: string, username: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = this.signer({ sub: userId, name: username, iat, exp, jti: randomUUID() });
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a valid token, or null: callers never learn why a token failed. */
  async verify(token: string, now = Date.now()): Promise<SessionClaims | null> {
    for (const verify of this.verifiers) {
      try {
        const payload = verify(token);
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
        };
      } catch (error) {
        // Only a bad signature is worth trying the previous key for.
        if (!(error instanceof TokenError) || error.code !== TokenError.codes.invalidSignature) return null;
      }
    }
    return null;
  }
}
