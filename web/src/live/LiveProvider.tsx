import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { SESSION_REFUSED_MESSAGE, useSession } from '../session/SessionProvider.js';
import { keysToInvalidate } from './invalidation.js';
import { openLiveConnection, type ConnectionState, type ServerEvent } from './sse.js';

type Listener = (event: ServerEvent) => void;

interface LiveContextValue {
  state: ConnectionState;
  /** True once the stream has been open at least once (so a first slow connect is not reported as a loss). */
  everConnected: boolean;
  subscribe(listener: Listener): () => void;
}

const LiveContext = createContext<LiveContextValue | null>(null);

/** Events arrive in bursts (a run's steps); one refetch per burst is enough. */
const INVALIDATE_BATCH_MS = 200;

/**
 * Keeps one event stream open while signed in, marks the affected queries
 * stale as events arrive (src/live/invalidation.ts), hands every event to
 * subscribers (useLiveEvents), and reports the connection state for the
 * shell's indicator and banner.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { session, signOut } = useSession();
  const token = session?.token ?? null;
  const [state, setState] = useState<ConnectionState>('connecting');
  const [everConnected, setEverConnected] = useState(false);
  const listeners = useRef(new Set<Listener>());
  const [subscribe] = useState(() => (listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  });

  useEffect(() => {
    if (!token) return;
    const pending = new Map<string, QueryKey>();
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let wasConnected = false;
    let lost = false;
    const flush = () => {
      flushTimer = undefined;
      for (const queryKey of pending.values()) void queryClient.invalidateQueries({ queryKey });
      pending.clear();
    };
    const connection = openLiveConnection({
      url: '/api/v1/events',
      getToken: () => token,
      isOnline: () => navigator.onLine,
      onUnauthorized: () => signOut(SESSION_REFUSED_MESSAGE),
      onReset: () => void queryClient.invalidateQueries(),
      onStateChange: (next) => {
        setState(next);
        if (next === 'connected') {
          // Back after a loss: refetch what is on screen too; requests may have failed meanwhile.
          if (lost) void queryClient.invalidateQueries();
          wasConnected = true;
          lost = false;
          setEverConnected(true);
        } else if (wasConnected) {
          lost = true;
        }
      },
      onEvent: (event) => {
        for (const listener of listeners.current) listener(event);
        for (const queryKey of keysToInvalidate(event)) pending.set(JSON.stringify(queryKey), queryKey);
        if (pending.size > 0 && flushTimer === undefined) flushTimer = setTimeout(flush, INVALIDATE_BATCH_MS);
      },
    });
    // The browser knows about the network before a dead stream does; act on it at once.
    const onNetworkChange = () => connection.reconnectNow();
    window.addEventListener('online', onNetworkChange);
    window.addEventListener('offline', onNetworkChange);
    return () => {
      window.removeEventListener('online', onNetworkChange);
      window.removeEventListener('offline', onNetworkChange);
      connection.close();
      clearTimeout(flushTimer);
    };
  }, [token, queryClient, signOut]);

  return <LiveContext.Provider value={{ state, everConnected, subscribe }}>{children}</LiveContext.Provider>;
}

function useLiveContext(): LiveContextValue {
  const value = useContext(LiveContext);
  if (!value) throw new Error('live hooks need a <LiveProvider> above them');
  return value;
}

/** The event stream's state: `connecting`, `connected`, `reconnecting` or `offline`. */
export function useLiveConnection(): { state: ConnectionState; everConnected: boolean } {
  const { state, everConnected } = useLiveContext();
  return { state, everConnected };
}

/**
 * Calls `onEvent` for every event whose type starts with one of `typePrefixes`
 * (e.g. `['run.output']`), for as long as the component is mounted. For data
 * that is appended rather than refetched: streaming command output.
 */
export function useLiveEvents(typePrefixes: readonly string[], onEvent: (event: ServerEvent) => void): void {
  const { subscribe } = useLiveContext();
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  }, [onEvent]);
  const prefixes = typePrefixes.join('\n');
  useEffect(() => {
    const wanted = prefixes.split('\n');
    return subscribe((event) => {
      if (wanted.some((prefix) => event.type.startsWith(prefix))) handler.current(event);
    });
  }, [subscribe, prefixes]);
}
