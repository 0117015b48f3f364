import { isUnreadable, UNREADABLE_REASON } from './channel-secrets.js';
import type { NotifyConfig } from '../platform/config.js';
import type { TargetRef } from './escalation.js';
import type { OnCallService } from './oncall-service.js';
import type { ChannelRow, ContactRow, DirectoryStore } from './store.js';

/**
 * From "page contact X, rotation R, channel C" to the concrete destinations a
 * message goes to. A destination's `target` is its identity in the delivery
 * log: the same address reached through two targets is one delivery.
 */

export type DestinationChannel = 'email' | 'slack' | 'webhook' | 'phone' | 'none';

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

export interface ResolveDeps {
  directory: DirectoryStore;
  oncall: OnCallService;
  config: NotifyConfig;
}

export const NOT_SUPPORTED_PHONE = 'not supported: NEXUS has no SMS or voice provider';

/** Whether a contact's e-mail address or phone number can be delivered to right now; null means yes. */
export function contactRouteSkipReason(means: 'email' | 'phone', config: NotifyConfig): string | null {
  if (means === 'email') return config.smtpUrl ? null : NOT_CONFIGURED_SMTP;
  return NOT_SUPPORTED_PHONE;
}

function contactDestinations(contact: ContactRow, via: string, config: NotifyConfig): Destination[] {
  const base = { channelId: null, contactId: contact.id, via };
  const out: Destination[] = [];
  if (contact.email) {
    const skip = contactRouteSkipReason('email', config);
    out.push({ ...base, target: `email:${contact.email.toLowerCase()}`, channel: 'email', address: contact.email, skip });
  }
  if (contact.phone) {
    // Recorded rather than dropped, so the log says plainly that nobody was called.
    const skip = contactRouteSkipReason('phone', config);
    out.push({ ...base, target: `phone:${contact.phone.replace(/\D/g, '')}`, channel: 'phone', address: null, skip });
  }
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

function channelDestination(channel: ChannelRow, config: NotifyConfig): Destination {
  return {
    target: `channel:${channel.id}`,
    channel: channel.kind as DestinationChannel,
    channelId: channel.id,
    contactId: null,
    address: null,
    via: `channel:${channel.name}`,
    skip: channelSkipReason(channel, config),
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

async function rotationDestinations(deps: ResolveDeps, target: TargetRef, at: Date): Promise<Destination[]> {
  const now = await deps.oncall.onCallAt(target.id, at).catch(() => null);
  if (!now) return [missing(target)];
  const via = `rotation:${now.rotation.name}`;
  if (!now.contact) {
    return [{ ...missing(target), via, skip: 'nobody is on call (the rotation has not started)' }];
  }
  return contactDestinations(now.contact, via, deps.config);
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
  const out = new Map<string, Destination>();
  for (const target of targets) {
    let found: Destination[];
    if (target.type === 'contact') {
      const contact = contactById.get(target.id);
      found = contact ? contactDestinations(contact, `contact:${contact.name}`, deps.config) : [missing(target)];
    } else if (target.type === 'channel') {
      const channel = channelById.get(target.id);
      found = channel ? [channelDestination(channel, deps.config)] : [missing(target)];
    } else {
      found = await rotationDestinations(deps, target, at);
    }
    for (const destination of found) if (!out.has(destination.target)) out.set(destination.target, destination);
  }
  return [...out.values()];
}
