import { forgetSession, readSession, writeSession, type KeyValueStore, type Session } from './storage.js';

export interface SessionState {
  session: Session | null;
  /** Why the last session ended (expired, refused), for the sign-in page; null after a deliberate sign-out. */
  endedReason: string | null;
}

/**
 * The session outside React, so the API client (which lives as long as the
 * page) reads the current token without holding a component's state, and
 * React subscribes with useSyncExternalStore.
 */
export class SessionStore {
  private state: SessionState;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: KeyValueStore,
    now: number = Date.now(),
  ) {
    this.state = { session: readSession(storage, now), endedReason: null };
  }

  readonly getState = (): SessionState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  token(): string | null {
    return this.state.session?.token ?? null;
  }

  start(session: Session): void {
    writeSession(this.storage, session);
    this.set({ session, endedReason: null });
  }

  end(reason: string | null): void {
    forgetSession(this.storage);
    this.set({ session: null, endedReason: reason });
  }

  private set(next: SessionState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
