import { createHash, randomBytes } from 'node:crypto';

/** Recognisable in logs and secret scanners, like GitHub's `ghp_`. */
export const API_TOKEN_PREFIX = 'nxs_';

export function generateApiToken(): { token: string; hash: string; prefix: string } {
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashApiToken(token), prefix: token.slice(0, API_TOKEN_PREFIX.length + 6) };
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeApiToken(token: string): boolean {
  return token.startsWith(API_TOKEN_PREFIX) && token.length === API_TOKEN_PREFIX.length + 43;
}
