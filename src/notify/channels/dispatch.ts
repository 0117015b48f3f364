import type { ChannelKind, ChannelSettings } from '../schema.js';
import { sendDiscord } from './discord.js';
import type { EmailSender } from './email.js';
import { DeliveryError, scrub, type OutgoingMessage } from './index.js';
import { sendMattermost } from './mattermost.js';
import { sendNtfy } from './ntfy.js';
import { sendSlack } from './slack.js';
import { sendTeams } from './teams.js';
import { sendTelegram } from './telegram.js';
import { sendTwilio } from './twilio.js';
import { sendWebhook } from './webhook.js';

/** A channel as senders need it: URL and secret opened (the store opens them). */
export interface SendableChannel {
  kind: string;
  url: string | null;
  secret: string | null;
  address: string | null;
  settings: unknown;
}

export interface SendContext {
  /** For Slack channels without their own URL. */
  slackWebhookUrl: string | undefined;
  /** Null when NEXUS_SMTP_URL is unset (callers skip e-mail before getting here). */
  email: EmailSender | null;
}

/**
 * Sends one message through a channel; `to` is the phone number for sms and
 * voice. Whatever goes wrong comes back as a DeliveryError whose text holds
 * none of the channel's URL or secrets (the error may quote a receiver).
 */
export async function sendToChannel(channel: SendableChannel, to: string | null, message: OutgoingMessage, context: SendContext, signal?: AbortSignal): Promise<void> {
  const kind = channel.kind as ChannelKind;
  const settings = (channel.settings ?? {}) as ChannelSettings;
  const { url, secret } = channel;
  try {
    switch (kind) {
      case 'slack':
        return await sendSlack((url ?? context.slackWebhookUrl)!, message, signal);
      case 'webhook':
        return await sendWebhook(url!, secret, message, signal);
      case 'email':
        return await context.email!.send(channel.address!, message);
      case 'teams':
        return await sendTeams(url!, message, signal);
      case 'mattermost':
        return await sendMattermost(url!, settings, message, signal);
      case 'discord':
        return await sendDiscord(url!, message, signal);
      case 'telegram':
        return await sendTelegram(url, secret!, settings, message, signal);
      case 'ntfy':
        return await sendNtfy(url!, secret, message, signal);
      case 'sms':
      case 'voice':
        if (!to) throw new DeliveryError('no phone number to send to');
        return await sendTwilio(kind, { base: url, authToken: secret!, settings }, to, message, signal);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DeliveryError(scrub(reason, [url, secret, context.slackWebhookUrl, url ? encodeURI(url) : null]));
  }
}
