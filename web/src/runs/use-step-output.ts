import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RunStep } from '../api/types.js';
import { useLiveEvents } from '../live/LiveProvider.js';
import type { ServerEvent } from '../live/sse.js';
import { mergeOutput, pruneChunks, type MergedOutput, type OutputChunk } from './output.js';
import { useStoredOutput } from './queries.js';

/** `run.output` event data (src/runbooks/runs/events.ts OutputEvent). */
interface OutputEventData {
  runId: string;
  commandId: string;
  attempt: number;
  chunk: string;
  offset: number;
}

function outputEvent(event: ServerEvent): OutputEventData | null {
  const data = event.data as Partial<OutputEventData> | null;
  if (!data || typeof data.runId !== 'string' || typeof data.commandId !== 'string') return null;
  if (typeof data.chunk !== 'string' || typeof data.offset !== 'number' || typeof data.attempt !== 'number') return null;
  return data as OutputEventData;
}

/**
 * The output of one command of a run, growing as it is produced: the stored
 * copy once, then every `run.output` chunk for this command and attempt,
 * merged by byte offset (output.ts). Missed chunks (a gap) fetch the stored
 * copy again. `enabled` is false until the step has started.
 */
export function useStepOutput(runId: string, step: Pick<RunStep, 'commandId' | 'attempt'>, enabled: boolean): MergedOutput & { isPending: boolean; error: unknown } {
  const { commandId, attempt } = step;
  const stored = useStoredOutput(runId, commandId, attempt, enabled);
  const [live, setLive] = useState<{ attempt: number; chunks: OutputChunk[] }>({ attempt, chunks: [] });

  const onEvent = useCallback(
    (event: ServerEvent) => {
      const data = outputEvent(event);
      if (!data || data.runId !== runId || data.commandId !== commandId || data.attempt < attempt) return;
      setLive((current) => {
        // A newer attempt starts from nothing.
        const base = current.attempt === data.attempt ? current.chunks : [];
        return { attempt: data.attempt, chunks: [...base, { offset: data.offset, text: data.chunk }] };
      });
    },
    [runId, commandId, attempt],
  );
  useLiveEvents(['run.output'], onEvent);

  const merged = useMemo(() => {
    const data = stored.data && stored.data.attempt === attempt ? { output: stored.data.output, bytes: stored.data.bytes } : null;
    const chunks = live.attempt === attempt ? live.chunks : [];
    return mergeOutput(data, data ? pruneChunks(chunks, data.bytes) : chunks);
  }, [stored.data, live, attempt]);
  const { refetch } = stored;
  useEffect(() => {
    if (merged.gap && enabled) void refetch();
  }, [merged.gap, enabled, refetch]);
  return { ...merged, isPending: enabled && stored.isPending, error: stored.error };
}
