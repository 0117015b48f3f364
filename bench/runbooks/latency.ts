/**
 * Dispatch and output latency of runbook steps, one step at a time.
 *
 * Each command is `date +%s%N`: the first (and only) thing it does is print
 * the machine's wall clock in nanoseconds. So, on one machine clock:
 *
 * - dispatch = that timestamp − the wall-clock time just before the bench
 *   sent `POST /api/v1/runs/:id/steps/:cmd/run` (request → process running;
 *   it includes bash starting and forking `date`, a millisecond or two);
 * - output = the time the bench's SSE client (the CLI's own, NexusClient.openEvents)
 *   parsed the `run.output` chunk − that timestamp (bytes written → delivered);
 * - also reported, to show where dispatch goes: request → the `run.step`
 *   `queued` event, queued → `running` (the lease), running → the command's
 *   timestamp (spawn); from the events' `at` (the server's clock, ms resolution).
 *
 * Steps run strictly one after another (the next is requested when the
 * previous has ended), so no step waits in the queue behind another.
 */
import type { NexusClient, ServerEvent } from '../../src/cli/client.js';

export interface Sample {
  dispatchMs: number;
  outputMs: number;
  /** The parts of dispatch, from the server's event times (ms resolution): request → queued → leased (running) → process. */
  queuedEventMs: number;
  leaseMs: number;
  spawnMs: number;
}

/** Wall clock in ms with sub-ms precision (Date.now() has whole ms only). */
export const wallMs = () => performance.timeOrigin + performance.now();

/** A procedure per runner of `count` one-command steps, each pinned to that runner by its label. */
export function latencyRunbook(procedures: Array<{ title: string; runnerLabel: string }>, count: number): string {
  const sections = procedures.map(({ title, runnerLabel }) => {
    const steps = Array.from(
      { length: count },
      (_, i) => `${i + 1}. **Step ${i + 1}**\n   <!-- nexus: runner=${runnerLabel} -->\n   \`\`\`bash\n   date +%s%N\n   \`\`\`\n`,
    );
    return `### ${title}\n\n#### Steps\n\n${steps.join('\n')}`;
  });
  return `# Bench Latency\n\n## Procedures\n\n${sections.join('\n')}`;
}

interface Pending {
  commandId: string;
  requestedAt: number;
  stampMs?: number;
  arrivalMs?: number;
  queuedAtMs?: number;
  runningAtMs?: number;
  ended?: string;
  wake(): void;
}

const ENDED = new Set(['succeeded', 'failed', 'timed-out', 'cancelled', 'lost', 'skipped']);
const STEP_TIMEOUT_MS = 15_000;

/** Reads the run's events and times the one step in flight. */
export class StepClock {
  private current: Pending | null = null;

  constructor(private readonly runId: string) {}

  onEvent(event: ServerEvent, arrivalMs: number): void {
    const payload = event.data as { type?: string; at?: string; data?: { runId?: string; commandId?: string; chunk?: string; state?: string } };
    const data = payload.data;
    const current = this.current;
    if (!current || data?.runId !== this.runId || data.commandId !== current.commandId) return;
    if (payload.type === 'run.output' && current.stampMs === undefined) {
      const ns = /^(\d{16,20})/.exec(data.chunk ?? '')?.[1];
      if (ns) {
        // Via BigInt: nanoseconds since 1970 do not fit a double exactly; microseconds do.
        current.stampMs = Number(BigInt(ns) / 1000n) / 1000;
        current.arrivalMs = arrivalMs;
      }
    } else if (payload.type === 'run.step' && data.state === 'queued' && payload.at) {
      current.queuedAtMs = Date.parse(payload.at);
    } else if (payload.type === 'run.step' && data.state === 'running' && payload.at) {
      current.runningAtMs = Date.parse(payload.at);
    } else if (payload.type === 'run.step' && data.state && ENDED.has(data.state)) {
      current.ended = data.state;
    }
    current.wake();
  }

  /** Requests one command and resolves once it ended and its timestamp arrived. */
  async measure(client: NexusClient, commandId: string): Promise<Sample> {
    let wake = () => {};
    const pending: Pending = { commandId, requestedAt: 0, wake: () => wake() };
    this.current = pending;
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    pending.requestedAt = wallMs();
    await client.requestStep(this.runId, commandId);
    while (!(pending.ended && pending.stampMs !== undefined)) {
      if (pending.ended && pending.ended !== 'succeeded') throw new Error(`${commandId} ended ${pending.ended}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${commandId}: no end or no timestamp within ${STEP_TIMEOUT_MS / 1000} s (ended: ${pending.ended ?? 'no'})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.current = null;
    return {
      dispatchMs: pending.stampMs - pending.requestedAt,
      outputMs: pending.arrivalMs! - pending.stampMs,
      queuedEventMs: (pending.queuedAtMs ?? NaN) - pending.requestedAt,
      leaseMs: (pending.runningAtMs ?? NaN) - (pending.queuedAtMs ?? NaN),
      spawnMs: pending.stampMs - (pending.runningAtMs ?? NaN),
    };
  }
}

export interface RunnerResult {
  samples: Sample[];
  warmup: number;
}

/**
 * Starts a run of `procedure` and measures its commands in order: the
 * first `warmup` are not counted (JIT, connection pools, the runner's first
 * lease), the rest are.
 */
export async function measureRunner(client: NexusClient, runbook: string, procedure: string, warmup: number): Promise<RunnerResult> {
  const run = await client.createRun({ runbook, procedure });
  const clock = new StepClock(run.id);
  const stop = new AbortController();
  const stream = await client.openEvents('run.', { signal: stop.signal });
  const reading = (async () => {
    for await (const event of stream) clock.onEvent(event, wallMs());
  })().catch(() => {});
  try {
    const samples: Sample[] = [];
    for (const [i, step] of run.steps.entries()) {
      const sample = await clock.measure(client, step.commandId);
      if (i >= warmup) samples.push(sample);
    }
    return { samples, warmup };
  } finally {
    stop.abort();
    await reading;
  }
}

export function percentile(values: number[], q: number): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
