import { describe, expect, it } from 'vitest';
import { SharedReads } from './shared-reads.js';

/** A read the test finishes by hand, recording what state it saw when it started. */
function controlledStore() {
  let version = 0;
  const runs: Array<{ saw: number; finish: (fail?: Error) => void }> = [];
  const load = () =>
    new Promise<string>((resolve, reject) => {
      const saw = version;
      runs.push({ saw, finish: (fail) => (fail ? reject(fail) : resolve(`v${saw}`)) });
    });
  return { runs, load, write: () => (version += 1) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('shared reads', () => {
  it('callers that arrive during a run share the next run, never the one already going', async () => {
    const reads = new SharedReads();
    const store = controlledStore();
    const first = reads.read('k', store.load);
    await tick(); // run 1 starts
    store.write(); // committed after run 1 started: run 1 cannot see it
    const second = reads.read('k', store.load);
    const third = reads.read('k', store.load);
    expect(store.runs).toHaveLength(1);
    store.runs[0]!.finish();
    await tick();
    expect(store.runs).toHaveLength(2); // one run for both waiting callers
    store.runs[1]!.finish();
    expect(await first).toBe('v0');
    expect(await second).toBe('v1');
    expect(await third).toBe('v1');
    await tick();
    expect(reads.active).toBe(0);
  });

  it('callers that arrive in the same turn share one run, started after the last of them arrived', async () => {
    const reads = new SharedReads();
    const store = controlledStore();
    const first = reads.read('k', store.load);
    store.write(); // between two callers of one turn: the run starts after both, so both see it
    const second = reads.read('k', store.load);
    expect(store.runs).toHaveLength(0);
    await tick();
    expect(store.runs).toHaveLength(1);
    store.runs[0]!.finish();
    expect([await first, await second]).toEqual(['v1', 'v1']);
    await tick();
    expect(reads.active).toBe(0);
  });

  it('a load that throws at once fails its callers, and the key is free again', async () => {
    const reads = new SharedReads();
    const failing = reads.read('k', () => {
      throw new Error('bad query');
    });
    await expect(failing).rejects.toThrow('bad query');
    await tick();
    expect(reads.active).toBe(0);
    const store = controlledStore();
    const again = reads.read('k', store.load);
    await tick();
    store.runs[0]!.finish();
    expect(await again).toBe('v0');
  });

  it('every answer was read after its caller arrived, under a stream of writes and reads', async () => {
    const reads = new SharedReads();
    const store = controlledStore();
    const checks: Array<Promise<void>> = [];
    for (let i = 0; i < 40; i++) {
      const writtenBefore = store.write();
      checks.push(reads.read('k', store.load).then((body) => expect(Number(body.slice(1))).toBeGreaterThanOrEqual(writtenBefore)));
      if (i % 3 === 0) store.runs.find((r, n) => n === store.runs.length - 1)?.finish();
      await tick();
    }
    while (reads.active > 0) {
      store.runs.at(-1)!.finish();
      await tick();
    }
    await Promise.all(checks);
    expect(store.runs.length).toBeLessThan(40);
  });

  it('a failed run fails the callers of that run only; the next run goes ahead', async () => {
    const reads = new SharedReads();
    const store = controlledStore();
    const first = reads.read('k', store.load).catch((e: Error) => e.message);
    await tick();
    const second = reads.read('k', store.load);
    store.runs[0]!.finish(new Error('database down'));
    await tick();
    store.runs[1]!.finish();
    expect(await first).toBe('database down');
    expect(await second).toBe('v0');
  });

  it('different keys never share', async () => {
    const reads = new SharedReads();
    const store = controlledStore();
    const a = reads.read('a', store.load);
    const b = reads.read('b', store.load);
    await tick();
    expect(store.runs).toHaveLength(2);
    store.runs.forEach((r) => r.finish());
    expect([await a, await b]).toEqual(['v0', 'v0']);
  });
});
