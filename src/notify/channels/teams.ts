import { post, type OutgoingMessage } from './index.js';
import { clip, defuseMentions, titleOf } from './text.js';

/** Teams cards hold about 28 KB; the text is cut well before, the link leads to the rest. */
const TEXT_LIMIT = 4000;

/**
 * A Teams incoming webhook (or a Workflows "post to a channel when a webhook
 * request is received" flow): a message carrying one Adaptive Card, the
 * shape both accept. The acknowledge link is an Action.OpenUrl button:
 * Teams opens it in a browser, where the confirmation page asks once more.
 */
export function teamsPayload(message: OutgoingMessage): Record<string, unknown> {
  const body: Array<Record<string, unknown>> = [
    { type: 'TextBlock', text: defuseMentions(titleOf(message)), weight: 'Bolder', size: 'Medium', wrap: true, ...(message.severity === 'P1' ? { color: 'Attention' } : {}) },
    { type: 'TextBlock', text: defuseMentions(clip(message.text, TEXT_LIMIT)), wrap: true },
  ];
  if (message.paging.length) body.push({ type: 'TextBlock', text: `Paging: ${message.paging.join(', ')}`, isSubtle: true, wrap: true });
  const actions = [
    ...(message.ackUrl ? [{ type: 'Action.OpenUrl', title: 'Acknowledge', url: message.ackUrl }] : []),
    ...(message.link ? [{ type: 'Action.OpenUrl', title: 'Open in NEXUS', url: message.link }] : []),
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(actions.length ? { actions } : {}),
        },
      },
    ],
  };
}

export async function sendTeams(url: string, message: OutgoingMessage, signal?: AbortSignal): Promise<void> {
  await post(url, JSON.stringify(teamsPayload(message)), { signal });
}
