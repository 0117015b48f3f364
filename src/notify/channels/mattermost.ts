import type { ChannelSettings } from '../schema.js';
import { post, type OutgoingMessage } from './index.js';
import { clip, defuseMentions, footerLines, titleOf } from './text.js';

/** Mattermost posts hold 16,383 characters by default; the text is cut well before. */
const TEXT_LIMIT = 4000;
const COLOURS: Record<string, string> = { P1: '#d32f2f', P2: '#f57c00', P3: '#1976d2' };

/** Markdown link; `)` and spaces in the URL would end it early. */
const link = (label: string, url: string) => `[${label}](${url.replace(/\)/g, '%29').replace(/ /g, '%20')})`;

/**
 * A Mattermost incoming webhook: `text` is the headline (what notifications
 * show), one attachment holds the body with a severity colour and the
 * acknowledge and console links. `channel` and `username` override the
 * webhook's own when set (the server may refuse the username override).
 */
export function mattermostPayload(message: OutgoingMessage, settings: ChannelSettings): Record<string, unknown> {
  const title = defuseMentions(titleOf(message));
  const text = [defuseMentions(clip(message.text, TEXT_LIMIT)), ...footerLines(message, link)].join('\n\n');
  return {
    text: `**${title}**`,
    attachments: [{ fallback: title, color: COLOURS[message.severity ?? ''] ?? '#757575', text }],
    ...(settings.channel ? { channel: settings.channel } : {}),
    ...(settings.username ? { username: settings.username } : {}),
  };
}

export async function sendMattermost(url: string, settings: ChannelSettings, message: OutgoingMessage, signal?: AbortSignal): Promise<void> {
  await post(url, JSON.stringify(mattermostPayload(message, settings)), { signal });
}
