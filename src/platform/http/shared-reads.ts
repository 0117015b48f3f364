import type { FastifyReply } from 'fastify';

/** Callers that will share one run, and the promise they all wait on. */
interface Batch {
  load: () => Promise<unknown>;
  resolve: (body: unknown) => void;
  reject: (error: unknown) => void;
  promise: Promise<unknown>;
}

/** A key has a state while a run of it is scheduled or going; the state goes when the last run ends. */
interface KeyState {
  /** Callers gathering for the next run: it starts once the loop turns (if nothing runs) or after the run going. */
  gathering: Batch | null;
}

function batchOf(load: () => Promise<unknown>): Batch {
  let resolve!: (body: unknown) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { load, resolve, reject, promise };
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
 * A run starts one event-loop turn after its first caller (setImmediate), not
 * at once: requests that arrived in the same batch of socket reads all
 * share it, instead of the first running alone and the rest waiting for the
 * next run. Each of them still arrived before the read was sent.
 *
 * The key must name everything the answer depends on: the route, its query,
 * and whatever of the caller changes the answer (none, for a list only one
 * role may read and that every caller of it sees whole).
 */
export class SharedReads {
  private readonly keys = new Map<string, KeyState>();

  /** Answers `reply` with `load()`'s result as JSON, serialised by the route's response schema. */
  async json(reply: FastifyReply, key: string, load: () => Promise<unknown>): Promise<FastifyReply> {
    // Serialised once by the route's own serializer, and encoded once: every caller is sent the same bytes.
    const body = await this.read(key, async () => Buffer.from(reply.serialize(await load()) as string));
    return reply.type('application/json; charset=utf-8').send(body);
  }

  /** Keys with a run going (for tests). */
  get active(): number {
    return this.keys.size;
  }

  /** `key` must always be read with the same kind of `load` (its callers share whatever it returns). */
  read<T>(key: string, load: () => Promise<T>): Promise<T> {
    const state = this.keys.get(key);
    if (state) {
      // A run is scheduled or going: join the callers gathering for the next one.
      state.gathering ??= batchOf(load);
      return state.gathering.promise as Promise<T>;
    }
    const batch = batchOf(load);
    const fresh: KeyState = { gathering: batch };
    this.keys.set(key, fresh);
    setImmediate(() => this.run(key, fresh));
    return batch.promise as Promise<T>;
  }

  private run(key: string, state: KeyState): void {
    const batch = state.gathering!;
    state.gathering = null;
    // Whoever gathered during this run arrived before the next one starts: it goes at once.
    const after = () => {
      if (state.gathering) this.run(key, state);
      else this.keys.delete(key);
    };
    let run: Promise<unknown>;
    try {
      run = batch.load();
    } catch (error) {
      run = Promise.reject(error);
    }
    run.then(batch.resolve, batch.reject);
    run.then(after, after);
  }
}
