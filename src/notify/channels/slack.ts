import { postJson, severityTag, type OutgoingMessage } from './index.js';

/** Slack's mrkdwn treats these three as control characters (api.slack.com/reference/surfaces/formatting#escaping). */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Section text is limited to 3000 characters by Slack; longer text is cut, the link still leads to the rest. */
const SECTION_LIMIT = 3000;

export interface SlackPayload {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

export function slackPayload(message: OutgoingMessage): SlackPayload {
  const tag = severityTag(message);
  const prefix = tag ? `[${tag}] ` : '';
  const title = `${prefix}${message.subject}`;
  const body = escape(message.text).slice(0, SECTION_LIMIT - title.length - 10);
  const blocks: Array<Record<string, unknown>> = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${escape(title)}*\n${body}` } },
  ];
  const context: string[] = [];
  if (message.paging.length) context.push(`Paging: ${message.paging.map(escape).join(', ')}`);
  // `|` and `>` end a Slack link; the URL was normalised (href) when the notification was recorded.
  const link = (url: string, label: string) => `<${url.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${label}>`;
  const links = [...(message.ackUrl ? [link(message.ackUrl, 'Acknowledge')] : []), ...(message.link ? [link(message.link, 'Open in NEXUS')] : [])];
  if (links.length) context.push(links.join(' · '));
  if (context.length) blocks.push({ type: 'context', elements: context.map((text) => ({ type: 'mrkdwn', text })) });
  // `text` is what notifications and clients without blocks show.
  return { text: escape(title), blocks };
}

/** Slack incoming webhook: POST {text, blocks}; answers 200 "ok". */
export async function sendSlack(url: string, message: OutgoingMessage, signal?: AbortSignal): Promise<void> {
  await postJson(url, JSON.stringify(slackPayload(message)), {}, signal);
}
