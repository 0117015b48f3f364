import { describe, expect, it } from 'vitest';
import { limiter } from './routes.js';

describe('the lint route limiter', () => {
  it('runs at most two lints at once, in arrival order, and finishes them all', async () => {
    const limit = limiter(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const releases: Array<() => void> = [];
    const tasks = [0, 1, 2, 3, 4].map((k) =>
      limit(async () => {
        started.push(k);
        peak = Math.max(peak, ++running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return k;
      }),
    );
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    for (let round = 0; round < 5; round++) {
      await tick();
      releases.shift()?.();
      // A caller arriving while a slot is being handed over must still wait its turn.
      if (round === 1) tasks.push(limit(async () => (started.push(5), 5)));
    }
    for (let round = 0; round < 5; round++) {
      await tick();
      releases.shift()?.();
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
