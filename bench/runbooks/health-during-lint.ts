/**
 * `/health` latency while a viewer's pathological runbook is linted (issue 14,
 * point 5: "so `/health` answers in < 50 ms while a pathological runbook is
 * linted"). 500 KB of unclosed code spans keep the Markdown parser busy for
 * seconds; lint runs in a worker thread, so the event loop stays free. The
 * lint itself ends in a 422 at NEXUS_RUNBOOK_ANALYSIS_TIMEOUT_SECONDS (or a
 * 200, if the parser got faster).
 */
export const PATHOLOGICAL_RUNBOOK = `# Slow\n\n### Slow\n\n${'`a'.repeat(250_000)}\n`;

export interface HealthDuringLint {
  /** Latency of each `GET /health` sent while the lint was in flight, one after another. */
  samples: number[];
  lintStatus: number;
  lintMs: number;
  bytes: number;
}

export async function measureHealthDuringLint(baseUrl: string, token: string, source = PATHOLOGICAL_RUNBOOK): Promise<HealthDuringLint> {
  const lintOver = (text: string) =>
    fetch(`${baseUrl}/api/v1/runbooks/lint`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ source: text }),
    }).then(async (res) => {
      await res.arrayBuffer();
      return res.status;
    });
  // A small lint first: the parser thread is warm, as on any NEXUS that has served one.
  await lintOver('# Warm\n\n### Warm\n\n1. **x**\n');
  const started = performance.now();
  let settled = false;
  const lint = lintOver(source).finally(() => (settled = true));
  const samples: number[] = [];
  while (!settled) {
    const at = performance.now();
    const res = await fetch(`${baseUrl}/health`);
    await res.arrayBuffer();
    if (!settled) samples.push(performance.now() - at);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const lintStatus = await lint;
  return { samples, lintStatus, lintMs: performance.now() - started, bytes: Buffer.byteLength(source) };
}
