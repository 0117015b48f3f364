const GATE_TIMEOUT_MS = 10_000;
const MESSAGE_MAX = 300;

/** What a gate's webhook receives: enough to decide without calling NEXUS back. */
export interface GatePayload {
  deployment: { id: string; service: string; version: string; stableVersion: string; canaryWeight: number };
  step: { index: number; kind: 'gate' };
}

/**
 * Where a gate sends, as people may see it: scheme, host and port only. A
 * webhook URL often carries its credential in the path or query
 * (`/hooks/<token>`, `?key=`), so neither is shown in the API, the timeline
 * or the logs.
 */
export function gateOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * Asks a gate's webhook whether the deployment may go on (like Flagger's
 * confirm-promotion hooks): any 2xx is yes; anything else, or no answer,
 * holds. null when confirmed, else why it holds. Redirects are not followed:
 * a 3xx is not a confirmation.
 */
export async function askGate(url: string, payload: GatePayload): Promise<string | null> {
  const origin = gateOrigin(url);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'nexus-deployments' },
      body: JSON.stringify(payload),
      redirect: 'manual',
      signal: AbortSignal.timeout(GATE_TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (res.status >= 200 && res.status <= 299) return null;
    return `${origin} answered ${res.status}`;
  } catch (error) {
    // fetch's messages name the URL; only the origin may be shown.
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return `${origin} did not answer (${cause})`.slice(0, MESSAGE_MAX);
  }
}
