import type { FastifyReply } from 'fastify';
import { COMPRESS_THRESHOLD_BYTES, compressBody, negotiateEncoding, type ContentEncoding } from './compression.js';

/** Callers that will share one run, and the promise they all wait on. */
interface Batch {
  load: () => Promise<unknown>;
  resolve: (body: unknown) => void;
  reject: (error: unknown) => void;
  promise: Promise<unknown>;
}

/** One answer's bytes, and each compressed form of them, made once when a caller first asks for it. */
class SharedBody {
  private readonly compressed = new Map<ContentEncoding, Buffer>();

  constructor(
    readonly bytes: Buffer,
    /** The version of the data the bytes were read at, for reads that have one. */
    public version: string | null,
  ) {}

  encoded(encoding: ContentEncoding): Buffer {
    let body = this.compressed.get(encoding);
    if (!body) {
      body = compressBody(this.bytes, encoding);
      this.compressed.set(encoding, body);
    }
    return body;
  }
}

/** How many keys' last answers are kept to be reused when a run reads the same bytes again. */
const REMEMBERED_ANSWERS = 64;

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

  /** The last answer of recently read keys: a run that reads the same bytes again reuses its compressed forms. */
  private readonly lastAnswers = new Map<string, SharedBody>();

  /** Answers `reply` with `load()`'s result as JSON, serialised by the route's response schema. */
  json(reply: FastifyReply, key: string, load: () => Promise<unknown>): Promise<FastifyReply> {
    return this.send(reply, this.read(key, async () => this.remember(key, Buffer.from(reply.serialize(await load()) as string), null)));
  }

  /**
   * Like `json`, for data with a version that changes with every write (see
   * `table_versions`): `load` is told the version this key's last answer was
   * read at, and returns no value when the data is still at it; the run then
   * answers with that answer's bytes, as fresh as a new read.
   */
  versionedJson(
    reply: FastifyReply,
    key: string,
    load: (knownVersion: string | null) => Promise<{ version: string; value: unknown }>,
  ): Promise<FastifyReply> {
    return this.send(
      reply,
      this.read(key, async () => {
        const last = this.lastAnswers.get(key);
        const { version, value } = await load(last?.version ?? null);
        if (last && version === last.version && (value === null || value === undefined)) return last;
        return this.remember(key, Buffer.from(reply.serialize(value) as string), version);
      }),
    );
  }

  /** Sends a run's answer, compressed when the caller accepts br or gzip and it is worth it. */
  private async send(reply: FastifyReply, answer: Promise<SharedBody>): Promise<FastifyReply> {
    const body = await answer;
    reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
    const encoding = body.bytes.length >= COMPRESS_THRESHOLD_BYTES ? negotiateEncoding(reply.request.headers['accept-encoding']) : null;
    if (encoding === null) return reply.send(body.bytes);
    return reply.header('content-encoding', encoding).send(body.encoded(encoding));
  }

  /** The key's last answer if it had exactly these bytes (its compressed forms are then already made), else a new one. */
  private remember(key: string, bytes: Buffer, version: string | null): SharedBody {
    const last = this.lastAnswers.get(key);
    if (last?.bytes.equals(bytes)) {
      last.version = version;
      return last;
    }
    const body = new SharedBody(bytes, version);
    this.lastAnswers.delete(key); // re-inserted last: the map's order is least recently read first
    this.lastAnswers.set(key, body);
    if (this.lastAnswers.size > REMEMBERED_ANSWERS) this.lastAnswers.delete(this.lastAnswers.keys().next().value!);
    return body;
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
