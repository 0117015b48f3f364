/**
 * Group commit: concurrent callers' items go to the database together, one
 * statement (or one short sequence of them) for many callers, instead of a
 * round trip each. While `concurrency` groups are running, new items wait;
 * when one finishes, everything waiting (up to `maxWeight`) goes in the next
 * group. An idle server therefore runs a lone item at once, and a busy one
 * amortises each round trip over everyone who arrived during the last. With
 * `overlapWeight`, a second group starts beside a running one only once that
 * much waits.
 *
 * Items that name the same key never run in two groups at once and keep
 * their order: a key held by a running group, or by an item left waiting
 * earlier in the queue, holds back every later item that names it. (For
 * upserts this also means two groups never lock the same rows in different
 * orders, so they cannot deadlock each other.)
 *
 * If a group of several items fails as a whole, each item is run again on
 * its own, so one bad item fails alone and the others still commit.
 */
export interface GroupCommitOptions<T, R> {
  /**
   * Runs one group; resolves with one result per item, in the items' order.
   * `answer` hands an item its result before the group ends (an item that is
   * done early need not wait for slower ones); its keys stay held until the
   * group ends, and its entry in the final results is then ignored.
   */
  run(items: T[], answer: (index: number, result: R) => void): Promise<R[]>;
  /** Groups running at once (each holds one database connection). */
  concurrency: number;
  /**
   * While a group runs, the next starts beside it only once this much weight
   * waits (default 0: at once). Less waits for a group to end and goes with
   * what arrives meanwhile: many small items make fewer, larger groups, where
   * each group's fixed cost (a round trip, a commit) counts most.
   */
  overlapWeight?: number;
  /**
   * Start each group only once the event loop has polled its sockets again
   * (default false). For a database that runs inside this process (PGlite):
   * the loop is blocked while a group's statements run, so the requests that
   * arrived meanwhile are still unread when the group ends, and the next group
   * would take only the one or two read so far.
   */
  gatherReads?: boolean;
  /** Upper bound of a group's total weight; a single heavier item still runs, alone. */
  maxWeight: number;
  weight(item: T): number;
  keys(item: T): Iterable<string>;
}

interface Waiting<T, R> {
  item: T;
  keys: string[];
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T, R> {
  private queue: Array<Waiting<T, R>> = [];
  /** Total weight of `queue`. */
  private queuedWeight = 0;
  private running = 0;
  private readonly idleWaiters: Array<() => void> = [];
  /** Keys of the items in running groups, with how many items hold each. */
  private readonly held = new Map<string, number>();

  constructor(private readonly options: GroupCommitOptions<T, R>) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, keys: [...new Set(this.options.keys(item))], resolve, reject });
      this.queuedWeight += this.options.weight(item);
      this.schedulePump();
    });
  }

  /** Items waiting or running (for tests and shutdown). */
  get pending(): number {
    return this.queue.length + this.running;
  }

  /** Resolves once nothing waits or runs: at shutdown, before the database goes. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pumpScheduled = false;

  private schedulePump(): void {
    if (!this.options.gatherReads) return this.pump();
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    // Two turns: an immediate queued during the poll phase runs before the loop polls again.
    setImmediate(() =>
      setImmediate(() => {
        this.pumpScheduled = false;
        this.pump();
      }),
    );
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      if (this.running > 0 && this.queuedWeight < (this.options.overlapWeight ?? 0)) return;
      const group = this.take();
      if (group.length === 0) return; // everything waiting needs a key a running group holds
      this.running += 1;
      void this.execute(group).finally(() => {
        for (const entry of group) this.release(entry.keys);
        this.running -= 1;
        this.schedulePump();
        if (this.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  /** The next group, in arrival order, skipping (and blocking the keys of) items that must wait. */
  private take(): Array<Waiting<T, R>> {
    const group: Array<Waiting<T, R>> = [];
    const rest: Array<Waiting<T, R>> = [];
    const inGroup = new Set<string>();
    const blocked = new Set<string>();
    let weight = 0;
    for (const entry of this.queue) {
      const itemWeight = this.options.weight(entry.item);
      const clashes = entry.keys.some((k) => this.held.has(k) || inGroup.has(k) || blocked.has(k));
      const fits = group.length === 0 || weight + itemWeight <= this.options.maxWeight;
      if (clashes || !fits) {
        rest.push(entry);
        for (const k of entry.keys) blocked.add(k);
        continue;
      }
      group.push(entry);
      weight += itemWeight;
      for (const k of entry.keys) inGroup.add(k);
    }
    this.queue = rest;
    this.queuedWeight -= weight;
    for (const entry of group) for (const k of entry.keys) this.held.set(k, (this.held.get(k) ?? 0) + 1);
    return group;
  }

  private release(keys: string[]): void {
    for (const k of keys) {
      const n = (this.held.get(k) ?? 1) - 1;
      if (n === 0) this.held.delete(k);
      else this.held.set(k, n);
    }
  }

  private async execute(group: Array<Waiting<T, R>>): Promise<void> {
    const answered = new Set<number>();
    const answer = (index: number, result: R) => {
      if (answered.has(index) || !group[index]) return;
      answered.add(index);
      group[index].resolve(result);
    };
    try {
      const results = await this.options.run(
        group.map((entry) => entry.item),
        answer,
      );
      if (results.length !== group.length) throw new Error(`group commit: ${results.length} results for ${group.length} items`);
      group.forEach((_, i) => answer(i, results[i]!));
    } catch (error) {
      const open = group.filter((_, i) => !answered.has(i));
      if (open.length === 1) return open[0]!.reject(error);
      // Find the culprit: each item not yet answered again, alone.
      for (const entry of open) {
        try {
          const [result] = await this.options.run([entry.item], () => {});
          entry.resolve(result!);
        } catch (alone) {
          entry.reject(alone);
        }
      }
    }
  }
}
