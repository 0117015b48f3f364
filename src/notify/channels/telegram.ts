import type { ChannelSettings } from '../schema.js';
import { DeliveryError, post, type OutgoingMessage } from './index.js';
import { clip, titleOf } from './text.js';

export const TELEGRAM_API = 'https://api.telegram.org';
/** sendMessage takes 4096 characters after entities are parsed; escaping only lengthens the source. */
const TEXT_LIMIT = 3500;

/** Telegram's HTML parse mode: these three must be entities outside tags (core.telegram.org/bots/api#html-style). */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Inline keyboard URL buttons must be public https links (Telegram refuses
 * the whole message otherwise, so nobody would be paged); a NEXUS without
 * one gets its links in the text instead.
 */
const buttonable = (url: string) => url.startsWith('https://');

export function telegramPayload(message: OutgoingMessage, chatId: string): Record<string, unknown> {
  const links = [
    ...(message.ackUrl ? [{ text: 'Acknowledge', url: message.ackUrl }] : []),
    ...(message.link ? [{ text: 'Open in NEXUS', url: message.link }] : []),
  ];
  const buttons = links.filter((l) => buttonable(l.url));
  const lines = [`<b>${escapeHtml(titleOf(message))}</b>`, '', escapeHtml(clip(message.text, TEXT_LIMIT))];
  if (message.paging.length) lines.push('', `Paging: ${escapeHtml(message.paging.join(', '))}`);
  for (const l of links.filter((l) => !buttonable(l.url))) lines.push('', `${l.text}: ${escapeHtml(l.url)}`);
  return {
    chat_id: chatId,
    text: lines.join('\n'),
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(buttons.length ? { reply_markup: { inline_keyboard: [buttons] } } : {}),
  };
}

/** `POST {base}/bot<token>/sendMessage`; the token is in the path, so the URL never leaves this function. */
export async function sendTelegram(base: string | null, token: string, settings: ChannelSettings, message: OutgoingMessage, signal?: AbortSignal): Promise<void> {
  if (!settings.chatId) throw new DeliveryError('the channel has no chat id');
  const url = `${(base ?? TELEGRAM_API).replace(/\/+$/, '')}/bot${token}/sendMessage`;
  await post(url, JSON.stringify(telegramPayload(message, settings.chatId)), { signal });
}
