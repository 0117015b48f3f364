import { hash, verify } from '@node-rs/argon2';
import { InputError } from '../errors.js';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** argon2id at OWASP's recommended floor (19 MiB, 2 passes); what a hash costs: docs/benchmarks/2026-11-27-http.md. */
// `Algorithm` is an ambient const enum (unusable under isolatedModules); 2 is Argon2id.
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export async function hashPassword(password: string): Promise<string> {
  checkPasswordPolicy(password);
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so response time does not reveal which usernames exist. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hash('nexus-timing-equaliser', OPTIONS);
  await verifyPassword(await dummyHash, password);
}

export function checkPasswordPolicy(password: string, field = 'password'): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new InputError(`${field} must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new InputError(`${field} must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  }
}
