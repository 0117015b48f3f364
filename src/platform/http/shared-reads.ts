import type { FastifyReply } from 'fastify';

interface Waiting {
  load: () => Promise<string>;
  resolve: (body: string) => void;
  reject: (error: unknown) => void;
  promise: Promise<string>;
}

interface KeyState {
  running: boolean;
  /** Callers that arrived while a run was going: they share the run after it. */
  next: Waiting | null;
}

/**
 * Shared reads (request coalescing): identical GETs that arrive while the
 * same read is running wait for the next run of it and share its result,
 * serialised once. A run never serves a caller that arrived after it started,
 * so every answer was read after its request arrived: unlike a cache, nobody
 * sees data older than their request (a write a client finished before asking
 * is always in its answer). What it saves: N consoles refetching the same list
 * on one event cost one query and one serialisation instead of N, and a
 * list under load costs about two queries in flight whatever the request rate.
 *
 * The key must name everything the answer depends on: the route, its query,
 * and whatever of the caller changes the answer (none, for a list only one
 * role may read and that every caller of it sees whole).
 */
export class SharedReads {
  private readonly keys = new Map<string, KeyState>();

  /** Answers `reply` with `load()`'s result as JSON, serialised by the route's response schema. */
  async json(reply: FastifyReply, key: string, load: () => Promise<unknown>): Promise<FastifyReply> {
    const body = await this.read(key, async () => reply.serialize(await load()) as string);
    // A string with a JSON content type is sent as it is: serialised once, by the route's own serializer above.
    return reply.type('application/json; charset=utf-8').send(body);
  }

  /** Keys with a run going (for tests). */
  get active(): number {
    return this.keys.size;
  }

  read(key: string, load: () => Promise<string>): Promise<string> {
    let state = this.keys.get(key);
    if (!state) {
      state = { running: false, next: null };
      this.keys.set(key, state);
    }
    if (!state.running) return this.start(key, state, load);
    if (!state.next) {
      let resolve!: (body: string) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<string>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      state.next = { load, resolve, reject, promise };
    }
    return state.next.promise;
  }

  private start(key: string, state: KeyState, load: () => Promise<string>): Promise<string> {
    state.running = true;
    const run = load();
    const after = () => {
      state.running = false;
      const next = state.next;
      state.next = null;
      if (next) this.start(key, state, next.load).then(next.resolve, next.reject);
      else this.keys.delete(key);
    };
    run.then(after, after);
    return run;
  }
}
