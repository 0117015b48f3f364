import { post, type OutgoingMessage } from './index.js';
import { clip, titleOf } from './text.js';

/** Above 4096 bytes ntfy turns the message into an attachment; characters here are at most 3 bytes. */
const MESSAGE_LIMIT = 1300;
/** ntfy priorities: 5 urgent (overrides do-not-disturb on Android), 4 high, 3 default. */
const PRIORITY: Record<string, number> = { P1: 5, P2: 4, P3: 3 };
const TAG: Record<string, string> = { P1: 'rotating_light', P2: 'warning', P3: 'information_source' };
export const NTFY_TOPIC = /^[-_A-Za-z0-9]{1,64}$/;

/** `https://ntfy.example.com/nexus-oncall` → the server (JSON publishing posts there) and the topic. */
export function ntfyTarget(topicUrl: string): { server: string; topic: string } | null {
  const url = URL.parse(topicUrl);
  if (!url) return null;
  const path = url.pathname.replace(/\/+$/, '');
  const slash = path.lastIndexOf('/');
  const topic = path.slice(slash + 1);
  if (!NTFY_TOPIC.test(topic) || url.search) return null;
  return { server: `${url.origin}${path.slice(0, slash)}/`, topic };
}

/**
 * ntfy's JSON publishing (docs.ntfy.sh/publish/#publish-as-json), so titles
 * in any script survive (headers would need RFC 2047). The acknowledge
 * action is an `http` action: the phone POSTs the signed link itself, so
 * acknowledging takes one tap in the notification, no browser.
 */
export function ntfyPayload(message: OutgoingMessage, topic: string): Record<string, unknown> {
  const severity = message.severity ?? '';
  const actions = [
    ...(message.ackUrl ? [{ action: 'http', label: 'Acknowledge', url: message.ackUrl, method: 'POST', clear: true }] : []),
    ...(message.link ? [{ action: 'view', label: 'Open in NEXUS', url: message.link }] : []),
  ];
  const paging = message.paging.length ? `\n\nPaging: ${message.paging.join(', ')}` : '';
  return {
    topic,
    title: titleOf(message),
    message: clip(message.text, MESSAGE_LIMIT) + paging,
    priority: PRIORITY[severity] ?? 3,
    tags: [TAG[severity] ?? 'bell', ...(severity ? [severity] : [])],
    ...(message.link ? { click: message.link } : {}),
    ...(actions.length ? { actions } : {}),
  };
}

export async function sendNtfy(topicUrl: string, token: string | null, message: OutgoingMessage, signal?: AbortSignal): Promise<void> {
  const target = ntfyTarget(topicUrl)!;
  await post(target.server, JSON.stringify(ntfyPayload(message, target.topic)), {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal,
  });
}
