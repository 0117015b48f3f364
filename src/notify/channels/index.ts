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
  /**
   * A signed link that acknowledges the incident without a login (GET shows a
   * confirmation page, POST acknowledges); only in pages, one per delivery.
   */
  ackUrl: string | null;
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

/** Receivers that explain a refusal in JSON (Telegram's `description`, Twilio's and Discord's `message`). */
function refusalDetail(text: string): string | null {
  try {
    const body = JSON.parse(text) as { description?: unknown; message?: unknown };
    const detail = typeof body.description === 'string' ? body.description : typeof body.message === 'string' ? body.message : null;
    // One short line: the caller scrubs it of the channel's URL and secrets before it is stored.
    return detail ? detail.replace(/\p{Cc}+/gu, ' ').slice(0, 200) : null;
  } catch {
    return null;
  }
}

export interface PostOptions {
  headers?: Record<string, string>;
  contentType?: string;
  signal?: AbortSignal | undefined;
}

/**
 * POSTs a body (JSON unless told otherwise). Redirects are not followed: a 3xx
 * could send the signed body (and a webhook URL's token in a Referer) to a
 * host nobody configured.
 */
export async function post(url: string, body: string, options: PostOptions = {}): Promise<void> {
  const { signal } = options;
  const timeout = AbortSignal.timeout(SEND_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': options.contentType ?? 'application/json', 'user-agent': 'nexus-notify', ...options.headers },
      redirect: 'manual',
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
  } catch (error) {
    throw new DeliveryError(networkReason(signal?.aborted ? signal.reason : error));
  }
  // Read so the connection can be reused; kept only to explain a refusal.
  const text = await response.text().catch(() => '');
  if (response.status < 200 || response.status >= 300) {
    const detail = refusalDetail(text);
    throw new DeliveryError(`receiver answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
  }
}

export async function postJson(url: string, body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<void> {
  await post(url, body, { headers, signal });
}
