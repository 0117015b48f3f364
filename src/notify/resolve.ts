import { isUnreadable, UNREADABLE_REASON } from './channel-secrets.js';
import type { NotifyConfig } from '../platform/config.js';
import { toE164 } from './channels/twilio.js';
import { PHONE_CHANNEL_KINDS, type ChannelKind } from './schema.js';
import type { TargetRef } from './escalation.js';
import type { OnCallService } from './oncall-service.js';
import type { ChannelRow, ContactRow, DirectoryStore } from './store.js';

/**
 * From "page contact X, rotation R, channel C" to the concrete destinations a
 * message goes to. A destination's `target` is its identity in the delivery
 * log: the same address reached through two targets is one delivery.
 */

/** A channel kind, `phone` (a phone nothing reaches: logged as skipped) or `none`. */
export type DestinationChannel = ChannelKind | 'phone' | 'none';

export interface Destination {
  target: string;
  channel: DestinationChannel;
  channelId: string | null;
  contactId: string | null;
  address: string | null;
  via: string;
  /** Set when nothing will be sent, with the reason the delivery log shows. */
  skip: string | null;
}

export const NOT_CONFIGURED_SMTP = 'not configured: NEXUS_SMTP_URL is not set';
export const NOT_CONFIGURED_SLACK = 'not configured: the channel has no webhook URL and NEXUS_SLACK_WEBHOOK_URL is not set';
export const NO_PHONE_PROVIDER = 'not configured: no sms or voice channel is enabled to text or call phones';
export const PROVIDER_AS_TARGET = 'an sms or voice channel reaches the phones of the contacts paged with it; it is not a destination of its own';

/** The channel texting (sms) and the one calling (voice) phones: the first enabled of each kind, by name. */
export type PhoneProviders = ChannelRow[];

export interface ResolveDeps {
  directory: DirectoryStore;
  oncall: OnCallService;
  config: NotifyConfig;
}

/**
 * Whether a contact's e-mail address or phone number can be delivered to
 * right now; null means yes. Phones need an enabled sms or voice channel.
 */
export function contactRouteSkipReason(means: 'email' | 'phone', config: NotifyConfig, hasPhoneProvider: boolean): string | null {
  if (means === 'email') return config.smtpUrl ? null : NOT_CONFIGURED_SMTP;
  return hasPhoneProvider ? null : NO_PHONE_PROVIDER;
}

function phoneDestinations(contact: ContactRow & { phone: string }, via: string, config: NotifyConfig, providers: PhoneProviders): Destination[] {
  const base = { contactId: contact.id, via };
  const digits = contact.phone.replace(/\D/g, '');
  if (providers.length === 0) {
    // Recorded rather than dropped, so the log says plainly that nobody was called.
    return [{ ...base, target: `phone:${digits}`, channel: 'phone', channelId: null, address: null, skip: contactRouteSkipReason('phone', config, false) }];
  }
  const e164 = toE164(contact.phone);
  return providers.map((provider) => ({
    ...base,
    target: `${provider.kind}:${digits}`,
    channel: provider.kind as DestinationChannel,
    channelId: provider.id,
    address: e164,
    skip: e164 ? null : `the phone number ${contact.phone} is not in E.164 form (+ and 7 to 15 digits, no leading 0)`,
  }));
}

function contactDestinations(contact: ContactRow, via: string, config: NotifyConfig, providers: PhoneProviders): Destination[] {
  const base = { channelId: null, contactId: contact.id, via };
  const out: Destination[] = [];
  if (contact.email) {
    const skip = contactRouteSkipReason('email', config, providers.length > 0);
    out.push({ ...base, target: `email:${contact.email.toLowerCase()}`, channel: 'email', address: contact.email, skip });
  }
  if (contact.phone) out.push(...phoneDestinations({ ...contact, phone: contact.phone }, via, config, providers));
  if (out.length === 0) {
    out.push({ ...base, target: `contact:${contact.id}`, channel: 'none', address: null, skip: 'the contact has no e-mail address or phone number' });
  }
  return out;
}

/** Whether a channel can deliver right now; null means yes. */
export function channelSkipReason(channel: ChannelRow, config: NotifyConfig): string | null {
  if (!channel.enabled) return 'channel is disabled';
  if (isUnreadable(channel.url) || isUnreadable(channel.secret)) return UNREADABLE_REASON;
  if (channel.kind === 'slack' && !channel.url && !config.slackWebhookUrl) return NOT_CONFIGURED_SLACK;
  if (channel.kind === 'email' && !config.smtpUrl) return NOT_CONFIGURED_SMTP;
  return null;
}

const isPhoneKind = (kind: string) => (PHONE_CHANNEL_KINDS as readonly string[]).includes(kind);

function channelDestination(channel: ChannelRow, config: NotifyConfig): Destination {
  return {
    target: `channel:${channel.id}`,
    channel: channel.kind as DestinationChannel,
    channelId: channel.id,
    contactId: null,
    address: null,
    via: `channel:${channel.name}`,
    skip: isPhoneKind(channel.kind) ? PROVIDER_AS_TARGET : channelSkipReason(channel, config),
  };
}

function missing(target: TargetRef): Destination {
  return {
    target: `${target.type}:${target.id}`,
    channel: 'none',
    channelId: null,
    contactId: null,
    address: null,
    via: `${target.type}:${target.id}`,
    skip: `${target.type} does not exist`,
  };
}

async function rotationDestinations(deps: ResolveDeps, target: TargetRef, at: Date, providers: () => Promise<PhoneProviders>): Promise<Destination[]> {
  const now = await deps.oncall.onCallAt(target.id, at).catch(() => null);
  if (!now) return [missing(target)];
  const via = `rotation:${now.rotation.name}`;
  if (!now.contact) {
    return [{ ...missing(target), via, skip: 'nobody is on call (the rotation has not started)' }];
  }
  return contactDestinations(now.contact, via, deps.config, now.contact.phone ? await providers() : []);
}

/** Destinations for the targets at `at`, first occurrence winning, in target order. */
export async function resolveTargets(deps: ResolveDeps, targets: readonly TargetRef[], at: Date): Promise<Destination[]> {
  const ids = (type: TargetRef['type']) => [...new Set(targets.filter((t) => t.type === type).map((t) => t.id))];
  const [contacts, channels] = await Promise.all([
    deps.directory.contactsByIds(ids('contact')),
    deps.directory.channelsByIds(ids('channel')),
  ]);
  const contactById = new Map(contacts.map((c) => [c.id, c]));
  const channelById = new Map(channels.map((c) => [c.id, c]));
  // Read once, and only when someone paged has a phone.
  let phoneProviders: Promise<PhoneProviders> | null = null;
  const providers = () => (phoneProviders ??= deps.directory.phoneProviders(PHONE_CHANNEL_KINDS));
  const out = new Map<string, Destination>();
  for (const target of targets) {
    let found: Destination[];
    if (target.type === 'contact') {
      const contact = contactById.get(target.id);
      found = contact ? contactDestinations(contact, `contact:${contact.name}`, deps.config, contact.phone ? await providers() : []) : [missing(target)];
    } else if (target.type === 'channel') {
      const channel = channelById.get(target.id);
      found = channel ? [channelDestination(channel, deps.config)] : [missing(target)];
    } else {
      found = await rotationDestinations(deps, target, at, providers);
    }
    for (const destination of found) if (!out.has(destination.target)) out.set(destination.target, destination);
  }
  return [...out.values()];
}
