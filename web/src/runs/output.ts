/**
 * A command's output as the console shows it while it runs: the stored copy
 * (`GET /api/v1/runs/{id}/steps/{step}/output`) followed by the `run.output`
 * chunks that arrived live. Chunks carry the byte offset where they start
 * in everything the command wrote, so the two sources overlap without
 * duplicating: whatever lies before the end of what is already shown is
 * dropped. Offsets count UTF-8 bytes, not string characters.
 */

export interface OutputChunk {
  offset: number;
  text: string;
}

export interface StoredOutput {
  /** Redacted; head, marker and tail when the server kept only part of it. */
  output: string;
  /** Every byte the command wrote, including those the server dropped. */
  bytes: number;
}

export interface MergedOutput {
  text: string;
  /** Bytes of the command's output the text accounts for. */
  bytes: number;
  /** A chunk began past the end of what was known: events were missed; fetch the stored copy again. */
  gap: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What the console keeps on screen: the last part of a very long output. */
export const MAX_SHOWN_CHARS = 200_000;

export function mergeOutput(stored: StoredOutput | null, chunks: readonly OutputChunk[]): MergedOutput {
  let text = stored?.output ?? '';
  let end = stored?.bytes ?? 0;
  let gap = false;
  const ordered = [...chunks].sort((a, b) => a.offset - b.offset);
  for (const chunk of ordered) {
    const bytes = encoder.encode(chunk.text);
    const chunkEnd = chunk.offset + bytes.length;
    if (chunkEnd <= end) continue;
    // Before the stored copy arrives, live chunks stand alone; a hole there is not a gap yet.
    if (chunk.offset > end && (stored !== null || end > 0)) gap = true;
    text += chunk.offset >= end ? chunk.text : decoder.decode(bytes.subarray(end - chunk.offset));
    end = chunkEnd;
  }
  if (text.length > MAX_SHOWN_CHARS) text = `… [earlier output not shown] …\n${text.slice(-MAX_SHOWN_CHARS)}`;
  return { text, bytes: end, gap };
}

/** Chunks the stored copy already covers are of no further use. */
export function pruneChunks(chunks: readonly OutputChunk[], storedBytes: number): OutputChunk[] {
  return chunks.filter((chunk) => chunk.offset + encoder.encode(chunk.text).length > storedBytes);
}
