import { severityTag, type OutgoingMessage } from './index.js';

/** `[P1] subject`, or the subject alone when it names its severity already (pages do). */
export function titleOf(message: Pick<OutgoingMessage, 'subject' | 'severity'>): string {
  const tag = severityTag(message);
  return `${tag ? `[${tag}] ` : ''}${message.subject}`;
}

/** `text` cut to `max` characters, "…" last when cut, never between the halves of a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * Alert text is written by whoever can send an alert: `@channel`, `@here`,
 * `@all` and `@everyone` in it must not notify a whole chat. A zero-width
 * space after the `@` keeps the word readable and inert (Mattermost, Teams).
 */
export function defuseMentions(text: string): string {
  return text.replace(/@(channel|here|all|everyone)\b/gi, '@\u200b$1');
}

/** What follows a message in chat: who else was paged, and where to act. `link` renders one link. */
export function footerLines(message: OutgoingMessage, link: (label: string, url: string) => string): string[] {
  const lines: string[] = [];
  if (message.paging.length) lines.push(`Paging: ${message.paging.join(', ')}`);
  const links = [
    ...(message.ackUrl ? [link('Acknowledge', message.ackUrl)] : []),
    ...(message.link ? [link('Open in NEXUS', message.link)] : []),
  ];
  if (links.length) lines.push(links.join(' · '));
  return lines;
}
