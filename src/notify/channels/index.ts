/**
 * What every channel sends, and how HTTP channels post it. Errors carry a
 * message that is safe to store in the delivery log and show to viewers:
 * never a URL (Slack webhook paths are credentials), never a secret.
 */

export const SEND_TIMEOUT_MS = 10_000;

export interface OutgoingMessage {
  /** The delivery row id: receivers dedupe on it (X-Nexus-Delivery). */
  deliveryId: string;
  key: string;
  incidentId: string | null;
  subject: string;
  text: string;
  severity: string | null;
  link: string | null;
  sentAt: string;
  /** People paged by the same notification, named in chat messages. */
  paging: string[];
}

/**
 * The severity tag a channel puts before the subject, unless the subject
 * carries it already (pages say `Escalated: [P1] …` themselves).
 */
export function severityTag(message: Pick<OutgoingMessage, 'subject' | 'severity'>): string | null {
  if (!message.severity) return null;
  return message.subject.includes(`[${message.severity}]`) ? null : message.severity;
}

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
}

/** Replaces every known secret in a message; for errors from libraries we do not control. */
export function scrub(message: string, secrets: ReadonlyArray<string | null | undefined>): string {
  let out = message;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out.length > 500 ? `${out.slice(0, 500)}…` : out;
}

function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return error.name === 'TimeoutError' ? `timed out after ${SEND_TIMEOUT_MS / 1000} s` : 'aborted (NEXUS is shutting down)';
  }
  // undici wraps the socket error as `cause`; its code (ECONNREFUSED, ENOTFOUND) is the useful, URL-free part.
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? `connection failed: ${cause.code}` : 'connection failed';
}

/**
 * POSTs JSON. Redirects are not followed: a 3xx could send the signed body
 * (and a Slack URL's token in a Referer) to a host nobody configured.
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<void> {
  const timeout = AbortSignal.timeout(SEND_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'nexus-notify', ...headers },
      redirect: 'manual',
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
  } catch (error) {
    throw new DeliveryError(networkReason(signal?.aborted ? signal.reason : error));
  }
  // Drain so the connection can be reused; the receiver's body is not ours to keep.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status >= 300) {
    throw new DeliveryError(`receiver answered HTTP ${response.status}`);
  }
}
