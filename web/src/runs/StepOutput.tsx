import { Button, Loader, Text } from '@mantine/core';
import { useEffect, useId, useRef, useState } from 'react';
import type { RunStep } from '../api/types.js';
import { errorMessage } from '../api/client.js';
import { useStepOutput } from './use-step-output.js';
import './runs.css';

/** Within this many pixels of the bottom counts as following the output. */
const FOLLOW_SLACK_PX = 24;

/**
 * A command's output, streaming while it runs. Shown open from the moment
 * the command starts (and kept open); a finished one opens on request,
 * unless `openByDefault` (the run's latest command, or a failed one).
 * While the reader stays at the bottom, new output scrolls into view.
 */
export function StepOutput({ runId, step, openByDefault = false }: { runId: string; step: RunStep; openByDefault?: boolean }) {
  const started = step.state === 'running' || step.startedAt !== null || step.outputBytes > 0;
  const [open, setOpen] = useState(step.state === 'running' || openByDefault);
  const [seenState, setSeenState] = useState(step.state);
  // Adjusting state to a prop change during render (React's documented pattern): a command that starts opens its output.
  if (seenState !== step.state) {
    setSeenState(step.state);
    if (step.state === 'running') setOpen(true);
  }
  const output = useStepOutput(runId, step, started && open);
  const id = useId();
  const pre = useRef<HTMLPreElement>(null);
  const following = useRef(true);

  useEffect(() => {
    const element = pre.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [output.text]);

  if (!started) return null;
  const running = step.state === 'running';
  return (
    <div>
      <Button variant="subtle" size="compact-xs" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {open ? 'Hide output' : `Show output (${step.outputBytes} bytes)`}
      </Button>
      {open && (
        <div id={id}>
          {output.isPending && <Loader size="xs" aria-label="Loading the output" />}
          {output.error !== null && <Text size="xs" c="var(--mantine-color-error)">{errorMessage(output.error)}</Text>}
          <pre
            ref={pre}
            className="output-block"
            tabIndex={0}
            role="log"
            aria-live="off"
            aria-label={`Output of ${step.commandId}`}
            data-testid="step-output"
            data-command-id={step.commandId}
            data-bytes={output.bytes}
            onScroll={(event) => {
              const element = event.currentTarget;
              following.current = element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_SLACK_PX;
            }}
          >
            {output.text || (running ? 'Waiting for output…' : '(no output)')}
          </pre>
        </div>
      )}
    </div>
  );
}
