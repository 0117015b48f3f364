import type { User } from '../api/types.js';

/**
 * The signed-in session, kept in sessionStorage: it survives a reload and
 * stays in its tab, and it is gone when the tab closes, so a shared
 * machine does not keep an operator signed in. (The server issues a
 * bearer JWT that lives JWT_TTL_SECONDS, 12 h by default, and has no
 * refresh endpoint; the console signs out when it expires.)
 */
export interface Session {
  token: string;
  /** ISO time the token stops being valid. */
  expiresAt: string;
  user: User;
}

/** The part of the Web Storage API this needs, so tests can pass a Map-backed stand-in. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const SESSION_STORAGE_KEY = 'nexus.session';
/** A token this close to expiry is treated as expired: a request sent with it would fail on the way. */
const EXPIRY_MARGIN_MS = 30_000;

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const { token, expiresAt, user } = value as Record<string, unknown>;
  return (
    typeof token === 'string' &&
    token !== '' &&
    typeof expiresAt === 'string' &&
    !Number.isNaN(Date.parse(expiresAt)) &&
    typeof user === 'object' &&
    user !== null &&
    typeof (user as Record<string, unknown>).username === 'string' &&
    typeof (user as Record<string, unknown>).role === 'string'
  );
}

export function isExpired(session: Session, now: number): boolean {
  return Date.parse(session.expiresAt) - EXPIRY_MARGIN_MS <= now;
}

/** The stored session, or null when there is none, it is unreadable, or it has expired. */
export function readSession(store: KeyValueStore, now: number): Session | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(store.getItem(SESSION_STORAGE_KEY) ?? 'null');
  } catch {
    parsed = null;
  }
  if (!isSession(parsed) || isExpired(parsed, now)) {
    store.removeItem(SESSION_STORAGE_KEY);
    return null;
  }
  return parsed;
}

export function writeSession(store: KeyValueStore, session: Session): void {
  store.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
}

export function forgetSession(store: KeyValueStore): void {
  store.removeItem(SESSION_STORAGE_KEY);
}

/**
 * Where to go after signing in: only a path on this origin, so a crafted
 * `/signin?next=https://evil.example` link cannot send someone elsewhere.
 */
export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/signin')) return '/';
  return next;
}
