import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

interface Item {
  name: string;
  keys?: string[];
  weight?: number;
}

/** A GroupCommit whose groups wait until the test lets them finish, recording what ran together. */
function harness(options: { concurrency: number; maxWeight?: number; overlapWeight?: number; poison?: string }) {
  const groups: string[][] = [];
  const gates: Array<() => void> = [];
  const commit = new GroupCommit<Item, string>({
    concurrency: options.concurrency,
    maxWeight: options.maxWeight ?? 100,
    ...(options.overlapWeight === undefined ? {} : { overlapWeight: options.overlapWeight }),
    weight: (item) => item.weight ?? 1,
    keys: (item) => item.keys ?? [],
    run: async (items) => {
      groups.push(items.map((i) => i.name));
      await new Promise<void>((resolve) => gates.push(resolve));
      if (items.some((i) => i.name === options.poison)) throw new Error(`poisoned by ${options.poison}`);
      return items.map((i) => `done ${i.name}`);
    },
  });
  /** Lets the oldest running group finish. */
  const release = async () => {
    gates.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  const settle = async () => {
    while (commit.pending > 0) await release();
  };
  return { commit, groups, release, settle };
}

describe('group commit', () => {
  it('runs a lone item at once, and groups what arrives while it runs', async () => {
    const { commit, groups, release, settle } = harness({ concurrency: 1 });
    const a = commit.submit({ name: 'a' });
    const b = commit.submit({ name: 'b' });
    const c = commit.submit({ name: 'c' });
    expect(groups).toEqual([['a']]);
    await release();
    expect(groups).toEqual([['a'], ['b', 'c']]);
    await settle();
    expect(await Promise.all([a, b, c])).toEqual(['done a', 'done b', 'done c']);
  });

  it('never runs two items of one key at once, and keeps their order', async () => {
    const { commit, groups, release, settle } = harness({ concurrency: 2 });
    const results: string[] = [];
    const track = (p: Promise<string>) => p.then((r) => results.push(r));
    track(commit.submit({ name: 'a', keys: ['k1'] }));
    // A free slot, but k1 is held: b waits. c has its own key and takes the slot.
    track(commit.submit({ name: 'b', keys: ['k1'] }));
    track(commit.submit({ name: 'c', keys: ['k2'] }));
    expect(groups).toEqual([['a'], ['c']]);
    // d names k1 (behind b) and k3; e names only k3 but must not pass d.
    track(commit.submit({ name: 'd', keys: ['k1', 'k3'] }));
    track(commit.submit({ name: 'e', keys: ['k3'] }));
    await release(); // a finishes: b may go, d may not go beside b (k1), so e may not pass d
    expect(groups).toEqual([['a'], ['c'], ['b']]);
    await settle();
    expect(groups.slice(3)).toEqual([['d'], ['e']]);
    expect(results.indexOf('done b')).toBeLessThan(results.indexOf('done d'));
    expect(results.indexOf('done d')).toBeLessThan(results.indexOf('done e'));
  });

  it('caps a group by weight; an item heavier than the cap still runs, alone', async () => {
    const { commit, groups, settle } = harness({ concurrency: 1, maxWeight: 10 });
    const all = [
      commit.submit({ name: 'first', weight: 1 }),
      commit.submit({ name: 'x', weight: 6 }),
      commit.submit({ name: 'y', weight: 4 }),
      commit.submit({ name: 'z', weight: 1 }),
      commit.submit({ name: 'huge', weight: 50 }),
    ];
    await settle();
    await Promise.all(all);
    expect(groups).toEqual([['first'], ['x', 'y'], ['z'], ['huge']]);
  });

  it('starts a group beside a running one only once the overlap weight waits; light items wait and go together', async () => {
    const { commit, groups, release, settle } = harness({ concurrency: 2, overlapWeight: 5 });
    const all = [commit.submit({ name: 'a' }), commit.submit({ name: 'b' }), commit.submit({ name: 'c' })];
    // b and c (weight 2) wait for a instead of starting a second group of their own.
    expect(groups).toEqual([['a']]);
    all.push(commit.submit({ name: 'd', weight: 3 }));
    // Now 5 waits: the second group starts beside the first.
    expect(groups).toEqual([['a'], ['b', 'c', 'd']]);
    all.push(commit.submit({ name: 'e' }));
    await release();
    // a ended, but b-c-d still runs and e alone is too light to run beside it.
    expect(groups).toEqual([['a'], ['b', 'c', 'd']]);
    await release();
    expect(groups).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
    await settle();
    expect(await Promise.all(all)).toEqual(['done a', 'done b', 'done c', 'done d', 'done e']);
  });

  it('idle() resolves once nothing waits or runs, at once when nothing does', async () => {
    const { commit, release } = harness({ concurrency: 1 });
    await commit.idle();
    const items = [commit.submit({ name: 'a' }), commit.submit({ name: 'b' })];
    let idle = false;
    const waiting = commit.idle().then(() => (idle = true));
    await release();
    expect(idle).toBe(false); // b runs now
    await release();
    await waiting;
    expect(await Promise.all(items)).toEqual(['done a', 'done b']);
  });

  it('when a group fails, runs each item alone: only the bad one fails', async () => {
    const { commit, groups, release, settle } = harness({ concurrency: 1, poison: 'bad' });
    const first = commit.submit({ name: 'first' });
    const rest = ['ok1', 'bad', 'ok2'].map((name) => commit.submit({ name }).then((r) => r, (e: Error) => e.message));
    await release();
    await settle();
    expect(await first).toBe('done first');
    expect(await Promise.all(rest)).toEqual(['done ok1', 'poisoned by bad', 'done ok2']);
    expect(groups).toEqual([['first'], ['ok1', 'bad', 'ok2'], ['ok1'], ['bad'], ['ok2']]);
  });

  it('answers an item early when the run says so; its keys stay held until the group ends', async () => {
    let finish!: () => void;
    const commit = new GroupCommit<Item, string>({
      concurrency: 2,
      maxWeight: 100,
      weight: () => 1,
      keys: (item) => item.keys ?? [],
      run: async (items, answer) => {
        items.forEach((item, i) => {
          if (item.name.startsWith('quick')) answer(i, `early ${item.name}`);
        });
        if (items.some((i) => i.name === 'slow')) await new Promise<void>((resolve) => (finish = resolve));
        return items.map((i) => `late ${i.name}`);
      },
    });
    const slow = commit.submit({ name: 'slow', keys: ['s'] });
    const quick = commit.submit({ name: 'quick', keys: ['q'] });
    await new Promise((resolve) => setImmediate(resolve));
    // quick ran in the second slot and was answered at once; slow is still running.
    expect(await quick).toBe('early quick');
    const order: string[] = [];
    const second = commit.submit({ name: 'quick2', keys: ['s'] }).then((r) => order.push(r));
    void slow.then((r) => order.push(r));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]); // 's' is held by the running group
    finish();
    await second;
    expect(order).toEqual(['late slow', 'early quick2']);
  });

  describe('requests that arrive while the event loop is blocked (an in-process database)', () => {
    /**
     * Five clients each send one request while this process is busy in a
     * synchronous stretch (as it is while PGlite runs a statement); the server
     * submits one item per request it reads. Returns the groups that ran.
     */
    async function groupsAfterABlockedLoop(gatherReads: boolean): Promise<string[][]> {
      const groups: string[][] = [];
      const commit = new GroupCommit<Item, string>({
        concurrency: 1,
        maxWeight: 100,
        gatherReads,
        weight: () => 1,
        keys: () => [],
        run: async (items) => {
          groups.push(items.map((i) => i.name));
          await Promise.resolve();
          return items.map((i) => i.name);
        },
      });
      const answered: Array<Promise<string>> = [];
      let accepted = 0;
      const server = net.createServer((socket) => {
        accepted += 1;
        socket.on('data', (data) => answered.push(commit.submit({ name: data.toString() })));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as net.AddressInfo;
      try {
        const clients = await Promise.all(
          Array.from({ length: 5 }, () => new Promise<net.Socket>((resolve) => { const c = net.connect(port, '127.0.0.1', () => resolve(c)); })),
        );
        // The server has accepted all five before the loop blocks.
        while (accepted < 5) await new Promise((resolve) => setImmediate(resolve));
        clients.forEach((client, i) => client.write(`r${i}`));
        const until = Date.now() + 30;
        while (Date.now() < until); // the blocked stretch: the requests wait in the kernel, unread
        while (answered.length < 5) await new Promise((resolve) => setImmediate(resolve));
        await Promise.all(answered);
        for (const client of clients) client.destroy();
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      return groups;
    }

    it('with gatherReads, every request read in the same poll goes in one group', async () => {
      expect((await groupsAfterABlockedLoop(true)).map((g) => g.length)).toEqual([5]);
    });

    it('without it, the first request read starts a group alone (why PGlite needs the option)', async () => {
      const groups = await groupsAfterABlockedLoop(false);
      expect(groups[0]).toHaveLength(1);
      expect(groups.flat().sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    });
  });
});
