import { createSigner } from 'fast-jwt';
import { bearer, type TestApp } from '../support/app.js';

export interface RotationView {
  id: string;
  mode: 'grace' | 'revoke';
  graceSeconds: number | null;
  verifiesUntil: string | null;
  keyId: string;
  keysRetired: number;
  sessionsRevoked: number;
  tokensRevoked: number;
  kubernetesSecret: boolean;
  actor: string;
}

export async function rotate(t: Pick<TestApp, 'inject'>, token: string, body: Record<string, unknown> = {}) {
  const res = await t.inject({ method: 'POST', url: '/api/v1/secrets/rotate', headers: bearer(token), payload: body });
  return { status: res.statusCode, body: res.json() as RotationView & { error?: { code: string; message: string } }, raw: res.body };
}

export async function meStatus(t: Pick<TestApp, 'inject'>, token: string): Promise<number> {
  return (await t.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).statusCode;
}

/** A session token as an attacker holding `key` would make it: any user, any key id. */
export function forge(key: string, userId: string, kid?: string, nowMs = Date.now()): string {
  const sign = createSigner({ key, algorithm: 'HS256', iss: 'nexus', ...(kid ? { kid } : {}) });
  const iat = Math.floor(nowMs / 1000);
  return sign({ sub: userId, name: 'admin', iat, exp: iat + 3600, jti: 'forged' }) as string;
}

/** The key ring's rows as stored (ids, wraps, dates): what "nothing changed" compares. */
export async function ringRows(t: TestApp): Promise<string> {
  const rows = await t.server.db.query('SELECT id, use, legacy, wraps, not_after, revoked_at FROM key_ring ORDER BY id');
  return JSON.stringify(rows);
}

/** The real time, plus whatever the test skipped ahead (grace periods end without waiting). */
export function manualClock(): { clock: () => Date; advance(seconds: number): void } {
  let offset = 0;
  return { clock: () => new Date(Date.now() + offset), advance: (seconds) => (offset += seconds * 1000) };
}
