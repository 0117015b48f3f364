import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { createApiClient, unwrap, type ApiClient } from '../api/client.js';
import { isExpired, type Session } from './storage.js';
import { SessionStore } from './store.js';

interface SessionContextValue {
  session: Session | null;
  /** Why the last session ended (expired, revoked), for the sign-in page to say; null after a deliberate sign-out. */
  endedReason: string | null;
  /** Throws an ApiError in words ("Invalid username or password", "Too many attempts; retry in 42 s"). */
  signIn(username: string, password: string): Promise<Session>;
  signOut(reason?: string): void;
  /** The typed API client, sending this session's token. */
  api: ApiClient;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** setTimeout fires at once beyond 2^31-1 ms (24.8 days); sessions can last 30. */
const MAX_TIMER_MS = 2_147_483_647;
export const SESSION_EXPIRED_MESSAGE = 'Your session expired. Sign in again to continue.';
export const SESSION_REFUSED_MESSAGE =
  'Your session has ended (it expired, was revoked, or your account changed). Sign in again to continue.';

export function SessionProvider({ children, storage = window.sessionStorage }: { children: ReactNode; storage?: Storage }) {
  const queryClient = useQueryClient();
  // One store and one client for the life of the page; the client reads the token from the store at each request.
  const [{ store, api }] = useState(() => {
    const sessions = new SessionStore(storage);
    const client = createApiClient({
      getToken: () => sessions.token(),
      onUnauthorized: () => {
        if (sessions.token()) sessions.end(SESSION_REFUSED_MESSAGE);
      },
    });
    return { store: sessions, api: client };
  });
  const { session, endedReason } = useSyncExternalStore(store.subscribe, store.getState);

  // Whatever ends a session (sign-out, expiry, a refused token), nothing the user could see stays in memory.
  useEffect(
    () =>
      store.subscribe(() => {
        if (!store.getState().session) queryClient.clear();
      }),
    [store, queryClient],
  );

  const signOut = useCallback((reason?: string) => store.end(reason ?? null), [store]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const result = await unwrap(api.POST('/api/v1/auth/login', { body: { username, password } }));
      const next: Session = { token: result.token, expiresAt: result.expiresAt, user: result.user };
      queryClient.clear();
      store.start(next);
      return next;
    },
    [api, queryClient, store],
  );

  // Sign out when the token expires, rather than on the first request that fails with it.
  useEffect(() => {
    if (!session) return;
    const remaining = Date.parse(session.expiresAt) - Date.now() - 30_000;
    const timer = setTimeout(
      () => {
        if (isExpired(session, Date.now())) store.end(SESSION_EXPIRED_MESSAGE);
      },
      Math.min(Math.max(remaining, 0), MAX_TIMER_MS),
    );
    return () => clearTimeout(timer);
  }, [session, store]);

  const value = useMemo(() => ({ session, endedReason, signIn, signOut, api }), [session, endedReason, signIn, signOut, api]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() needs a <SessionProvider> above it');
  return value;
}

/** The typed API client for queries and mutations: `unwrap(api.GET(…))`. */
export function useApi(): ApiClient {
  return useSession().api;
}
