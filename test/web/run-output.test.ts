import { describe, expect, it } from 'vitest';
import { MAX_SHOWN_CHARS, mergeOutput, pruneChunks } from '../../web/src/runs/output.js';

/**
 * The console's streamed command output (web/src/runs/output.ts): the
 * stored copy and the live `run.output` chunks overlap by byte offset, and
 * the page must show each byte once, in order, whichever arrived first.
 */
describe('merging stored output with live chunks', () => {
  it('appends chunks past the stored copy and drops what it already has', () => {
    const stored = { output: 'checking\n', bytes: 9 };
    const chunks = [
      { offset: 0, text: 'checking\n' },
      { offset: 9, text: 'done\n' },
    ];
    expect(mergeOutput(stored, chunks)).toEqual({ text: 'checking\ndone\n', bytes: 14, gap: false });
    expect(pruneChunks(chunks, 9)).toEqual([{ offset: 9, text: 'done\n' }]);
  });

  it('shows live chunks alone until the stored copy arrives, in offset order', () => {
    expect(mergeOutput(null, [{ offset: 4, text: 'two\n' }, { offset: 0, text: 'one\n' }])).toEqual({ text: 'one\ntwo\n', bytes: 8, gap: false });
  });

  it('keeps only the unseen part of a chunk that overlaps, counting UTF-8 bytes', () => {
    // "é" is two bytes: the stored copy ends after "café" (5 bytes), the chunk repeats it.
    expect(mergeOutput({ output: 'café', bytes: 5 }, [{ offset: 0, text: 'café ok' }])).toEqual({ text: 'café ok', bytes: 8, gap: false });
  });

  it('reports a gap when a chunk starts past everything known, so the stored copy is fetched again', () => {
    expect(mergeOutput({ output: 'a\n', bytes: 2 }, [{ offset: 10, text: 'z\n' }]).gap).toBe(true);
    expect(mergeOutput(null, [{ offset: 10, text: 'z\n' }]).gap).toBe(false);
  });

  it('continues after a truncated stored copy from the byte count, not the marker text', () => {
    const stored = { output: 'head\n… [100 bytes truncated] …\ntail\n', bytes: 1000 };
    expect(mergeOutput(stored, [{ offset: 990, text: 'old' }, { offset: 1000, text: 'new\n' }]).text).toBe(`${stored.output}new\n`);
  });

  it('keeps the end of very long output on screen', () => {
    const long = 'x'.repeat(MAX_SHOWN_CHARS + 10);
    const merged = mergeOutput({ output: long, bytes: long.length }, []);
    expect(merged.text.startsWith('… [earlier output not shown] …\n')).toBe(true);
    expect(merged.text.endsWith('x'.repeat(100))).toBe(true);
    expect(merged.bytes).toBe(long.length);
  });
});
