import type { ChannelSettings } from '../schema.js';
import { DeliveryError, post, type OutgoingMessage } from './index.js';
import { clip, titleOf } from './text.js';

export const TWILIO_API = 'https://api.twilio.com';
/** Twilio concatenates up to 1600 characters; a page should stay a few segments. */
const SMS_LIMIT = 600;
/** The `Twiml` parameter holds at most 4000 characters. */
const SPOKEN_LIMIT = 300;

/** E.164: `+`, a non-zero country code digit, at most 15 digits (ITU-T E.164 §6). */
const E164 = /^\+[1-9][0-9]{6,14}$/;

/** A contact's phone (`+1 (415) 555-0100`) as E.164 (`+14155550100`), or null when it cannot be one. */
export function toE164(phone: string): string | null {
  const compact = phone.replace(/[\s().-]/g, '');
  return E164.test(compact) ? compact : null;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function smsBody(message: OutgoingMessage): string {
  const lines = [`NEXUS ${clip(titleOf(message), SMS_LIMIT)}`];
  if (message.ackUrl) lines.push(`Acknowledge: ${message.ackUrl}`);
  if (message.link) lines.push(message.link);
  return lines.join('\n');
}

/**
 * What the call says. With an acknowledge link, a <Gather> waits for one key
 * and POSTs it (`Digits`) to the link: pressing 1 acknowledges, the signed
 * link being the credential. The text is spoken twice, as pagers do.
 */
export function voiceTwiml(message: OutgoingMessage): string {
  const spoken = escapeXml(`NEXUS incident. ${clip(titleOf(message), SPOKEN_LIMIT)}.`);
  if (!message.ackUrl) return `<Response><Say loop="2">${spoken}</Say></Response>`;
  return (
    '<Response>' +
    `<Gather numDigits="1" timeout="10" method="POST" action="${escapeXml(message.ackUrl)}">` +
    `<Say loop="2">${spoken} Press 1 to acknowledge.</Say>` +
    '</Gather>' +
    '<Say>Not acknowledged. Goodbye.</Say>' +
    '</Response>'
  );
}

export interface TwilioAccount {
  base: string | null;
  authToken: string;
  settings: ChannelSettings;
}

/**
 * Twilio's REST API (and compatible ones: SignalWire, Telnyx's Twilio
 * compatibility, a local fake), form-encoded with HTTP basic auth
 * `AccountSid:AuthToken`. The API base is configurable.
 */
export async function sendTwilio(kind: 'sms' | 'voice', account: TwilioAccount, to: string, message: OutgoingMessage, signal?: AbortSignal): Promise<void> {
  const { accountSid, from } = account.settings;
  if (!accountSid || !from) throw new DeliveryError('the channel has no account SID or caller id');
  const resource = kind === 'sms' ? 'Messages.json' : 'Calls.json';
  const url = `${(account.base ?? TWILIO_API).replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/${resource}`;
  const form = new URLSearchParams({ To: to, From: from, ...(kind === 'sms' ? { Body: smsBody(message) } : { Twiml: voiceTwiml(message) }) });
  await post(url, form.toString(), {
    contentType: 'application/x-www-form-urlencoded',
    headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${account.authToken}`).toString('base64')}` },
    signal,
  });
}
