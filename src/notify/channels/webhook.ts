import { createHmac } from 'node:crypto';
import { postJson, type OutgoingMessage } from './index.js';

export const SIGNATURE_HEADER = 'x-nexus-signature';
export const DELIVERY_HEADER = 'x-nexus-delivery';

/** The documented body; built once so the signature covers exactly the bytes sent. */
export function webhookBody(message: OutgoingMessage): string {
  const { key, incidentId, subject, text, severity, link, ackUrl, sentAt } = message;
  return JSON.stringify({ key, incidentId, subject, text, severity, link, ackUrl, sentAt });
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the GitHub-style header receivers know how to check. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function sendWebhook(url: string, secret: string | null, message: OutgoingMessage, signal?: AbortSignal): Promise<void> {
  const body = webhookBody(message);
  const headers: Record<string, string> = { [DELIVERY_HEADER]: message.deliveryId };
  if (secret) headers[SIGNATURE_HEADER] = signBody(secret, body);
  await postJson(url, body, headers, signal);
}
