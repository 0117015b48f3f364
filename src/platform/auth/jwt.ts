import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';

export interface SessionClaims {
  userId: string;
  username: string;
  issuedAt: Date;
}

const ISSUER = 'nexus';

/**
 * HS256 session tokens. Signing always uses the current key; verification
 * also accepts the previous one, so rotating JWT_SECRET_KEY logs no one out
 * until JWT_SECRET_KEY_PREVIOUS is removed.
 */
export class SessionTokens {
  private readonly current: Uint8Array;
  private readonly previous: Uint8Array | undefined;

  constructor(
    currentKey: string,
    previousKey: string | undefined,
    private readonly ttlSeconds: number,
  ) {
    this.current = new TextEncoder().encode(currentKey);
    this.previous = previousKey ? new TextEncoder().encode(previousKey) : undefined;
  }

  async issue(userId: string, username: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = await new SignJWT({ name: username })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.current);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a valid token, or null: callers never learn why a token failed. */
  async verify(token: string): Promise<SessionClaims | null> {
    for (const key of this.previous ? [this.current, this.previous] : [this.current]) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
        if (typeof payload.sub !== 'string' || typeof payload.iat !== 'number') return null;
        return {
          userId: payload.sub,
          username: typeof payload.name === 'string' ? payload.name : '',
          issuedAt: new Date(payload.iat * 1000),
        };
      } catch (error) {
        // Only a bad signature is worth trying the previous key for.
        if (!(error instanceof errors.JWSSignatureVerificationFailed)) return null;
      }
    }
    return null;
  }
}
