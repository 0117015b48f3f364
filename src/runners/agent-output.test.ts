import { describe, expect, it } from 'vitest';
import { OutputSender } from './agent-output.js';
import type { OutputChunk } from './schema.js';

const options = { flushMs: 10, flushBytes: 1024, maxPendingBytes: 64 };

/** A NEXUS that stores batches, answering when the test says so. */
function fakeNexus() {
  const batches: OutputChunk[][] = [];
  const answers: Array<(stored: boolean | Error) => void> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = (chunks: OutputChunk[]) =>
    new Promise<boolean>((resolve, reject) => {
      batches.push(chunks.map((c) => ({ ...c })));
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      answers.push((stored) => {
        inFlight--;
        if (stored instanceof Error) reject(stored);
        else resolve(stored);
      });
    });
  const answer = async (stored: boolean | Error = true) => {
    while (answers.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    answers.shift()!(stored);
  };
  return { batches, send, answer, maxInFlight: () => maxInFlight };
}

describe('the agent’s output sender', () => {
  it('sends a lone chunk within flushMs, and what piles up during a request in the next one, in order', async () => {
    const nexus = fakeNexus();
    const sender = new OutputSender(nexus.send, async () => false, options);
    sender.push('stdout', 'one\n');
    await nexus.answer(); // the first batch left on its own, after flushMs
    expect(nexus.batches).toEqual([[{ stream: 'stdout', text: 'one\n', offset: 0 }]]);
    sender.push('stdout', 'two\n');
    sender.push('stdout', 'three\n');
    sender.push('stderr', 'oops\n');
    const closing = sender.close();
    await nexus.answer();
    await closing;
    expect(nexus.batches[1]).toEqual([
      { stream: 'stdout', text: 'two\nthree\n', offset: 4 },
      { stream: 'stderr', text: 'oops\n', offset: 14 },
    ]);
    expect(nexus.maxInFlight()).toBe(1);
  });

  it('retries a batch that failed, and stops sending once NEXUS says the lease is gone', async () => {
    const nexus = fakeNexus();
    const sender = new OutputSender(nexus.send, async () => true, options);
    sender.push('stdout', 'a');
    await nexus.answer(new Error('connection reset'));
    await nexus.answer(false);
    await sender.close();
    expect(nexus.batches).toEqual([[{ stream: 'stdout', text: 'a', offset: 0 }], [{ stream: 'stdout', text: 'a', offset: 0 }]]);
    expect(sender.leaseLost).toBe(true);
    sender.push('stdout', 'b');
    await sender.close();
    expect(nexus.batches).toHaveLength(2);
  });

  it('drops output beyond its bound while NEXUS is away, and says how much when it resumes', async () => {
    const nexus = fakeNexus();
    const sender = new OutputSender(nexus.send, async () => true, options);
    sender.push('stdout', 'x'.repeat(10));
    await new Promise((resolve) => setTimeout(resolve, 20)); // batch one is in flight, unanswered
    sender.push('stdout', 'y'.repeat(60));
    sender.push('stdout', 'z'.repeat(30)); // over the 64-byte bound: dropped
    await nexus.answer();
    await nexus.answer();
    sender.push('stdout', 'after');
    const closing = sender.close();
    await nexus.answer();
    await closing;
    expect(nexus.batches[1]).toEqual([{ stream: 'stdout', text: 'y'.repeat(60), offset: 10 }]);
    expect(nexus.batches[2]).toEqual([
      { stream: 'stdout', text: '\n[nexus runner] 30 bytes of output dropped while NEXUS could not be reached\nafter', offset: 100 },
    ]);
  });
});
