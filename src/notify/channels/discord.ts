import { post, type OutgoingMessage } from './index.js';
import { clip, footerLines, titleOf } from './text.js';

/** Discord's limits: content 2000, embed title 256, description 4096 characters. */
const CONTENT_LIMIT = 2000;
const TITLE_LIMIT = 256;
const DESCRIPTION_LIMIT = 4096;
const COLOURS: Record<string, number> = { P1: 0xd32f2f, P2: 0xf57c00, P3: 0x1976d2 };

const link = (label: string, url: string) => `[${label}](${url.replace(/\)/g, '%29')})`;

/**
 * A Discord webhook message: the headline as `content` (what notifications
 * show), the body in an embed linking to the incident. `allowed_mentions`
 * with nothing to parse: no text in an alert can ping @everyone, a role or a
 * user, whatever it says.
 */
export function discordPayload(message: OutgoingMessage): Record<string, unknown> {
  const title = titleOf(message);
  const footer = footerLines(message, link).join('\n');
  const description = `${clip(message.text, DESCRIPTION_LIMIT - footer.length - 2)}${footer ? `\n\n${footer}` : ''}`;
  return {
    content: clip(title, CONTENT_LIMIT),
    embeds: [
      {
        title: clip(title, TITLE_LIMIT),
        description,
        ...(message.link ? { url: message.link } : {}),
        color: COLOURS[message.severity ?? ''] ?? 0x757575,
        timestamp: message.sentAt,
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

export async function sendDiscord(url: string, message: OutgoingMessage, signal?: AbortSignal): Promise<void> {
  await post(url, JSON.stringify(discordPayload(message)), { signal });
}
