/**
 * Cleanup and Ctrl-C for a benchmark run: whatever a benchmark started or
 * created is registered here and removed again, last in first out, at the end
 * or on SIGINT/SIGTERM. After an interrupt the main flow parks at its next
 * `checkpoint()` while the handler cleans up and exits 130.
 */
const cleanups: Array<{ what: string; run: () => Promise<void> }> = [];
let interrupted = false;
/** Aborted on Ctrl-C, so a running load stops sending at once. */
export const stopAll = new AbortController();

export function onCleanup(what: string, run: () => Promise<void>): void {
  cleanups.push({ what, run });
}

/** Last in, first out: a server stops before its database is dropped or its directory removed. */
export async function cleanup(): Promise<void> {
  for (let step = cleanups.pop(); step; step = cleanups.pop()) {
    await step.run().catch((error: unknown) => console.error(`cleanup (${step?.what}) failed: ${(error as Error).message}`));
  }
}

export function isInterrupted(): boolean {
  return interrupted;
}

/** After an interrupt, the main flow stops here while the signal handler cleans up and exits. */
export async function checkpoint(): Promise<void> {
  if (interrupted) await new Promise<never>(() => {});
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping and cleaning up…`);
    stopAll.abort();
    void cleanup().finally(() => process.exit(130));
  });
}

/** `[bench/<name> hh:mm:ss] message` on stderr, so the results on stdout stay clean. */
export function benchLog(name: string): (message: string) => void {
  return (message) => console.error(`[bench/${name} ${new Date().toISOString().slice(11, 19)}] ${message}`);
}
