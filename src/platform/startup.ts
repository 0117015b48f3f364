import type { Logger } from './logger.js';

export interface StartupPhase {
  phase: string;
  ms: number;
}

/**
 * Where a start's time goes: each `phase(name)` closes the phase that began
 * when the previous one ended. The first phase begins at process start
 * (`performance.timeOrigin`) when the timer is made with `fromProcessStart`,
 * so "code" covers Node booting and loading NEXUS's modules.
 */
export interface StartupTimer {
  phase(name: string): void;
  phases(): StartupPhase[];
  /** One `startup` line at info: the total and every phase, for operators and bench/start. */
  report(logger: Logger): void;
}

export function createStartupTimer(options: { fromProcessStart?: boolean } = {}): StartupTimer {
  const began = options.fromProcessStart ? 0 : performance.now();
  let last = began;
  const done: StartupPhase[] = [];
  return {
    phase(name) {
      const now = performance.now();
      done.push({ phase: name, ms: round(now - last) });
      last = now;
    },
    phases: () => [...done],
    report(logger) {
      const phases = Object.fromEntries(done.map(({ phase, ms }) => [phase, ms]));
      logger.info({ startup: { totalMs: round(last - began), phases } }, 'startup');
    },
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
