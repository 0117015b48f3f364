import type { NotifyConfig } from '../platform/config.js';
import type { NamedDelivery } from './delivery-store.js';
import { channelSkipReason, contactRouteSkipReason } from './resolve.js';
import type { DeliveryState } from './schema.js';
import type { ChannelRow } from './store.js';

/**
 * Who a notification reached, in the words a person reads on a timeline at
 * 3 a.m.: names and means ("On-Call Engineer by e-mail"), never
 * `channel:<uuid>` targets or idempotency keys.
 */

/** A destination kind in words: the noun for the delivery log, the phrase for "reached X …". */
const MEANS: Record<string, { noun: string; how: string }> = {
  email: { noun: 'e-mail', how: 'by e-mail' },
  phone: { noun: 'phone', how: 'by phone' },
  sms: { noun: 'SMS', how: 'by SMS' },
  voice: { noun: 'voice call', how: 'by voice call' },
  slack: { noun: 'Slack', how: 'on Slack' },
  teams: { noun: 'Microsoft Teams', how: 'on Teams' },
  mattermost: { noun: 'Mattermost', how: 'on Mattermost' },
  discord: { noun: 'Discord', how: 'on Discord' },
  telegram: { noun: 'Telegram', how: 'on Telegram' },
  ntfy: { noun: 'ntfy', how: 'by ntfy' },
  webhook: { noun: 'webhook', how: 'by webhook' },
  none: { noun: 'nothing', how: 'by no means' },
};

export function meansOf(channel: string): { noun: string; how: string } {
  return MEANS[channel] ?? { noun: channel, how: `by ${channel}` };
}

/** The contact's or channel's name; for a destination that has neither, what asked for it ("rotation primary"). */
export function recipientOf(named: Pick<NamedDelivery, 'contactName' | 'channelName'> & { delivery: { via: string } }): string {
  return named.contactName ?? named.channelName ?? named.delivery.via.replace(':', ' ');
}

export interface DestinationOutcome {
  deliveryId: string;
  /** Who: a contact's or a channel's name. */
  recipient: string;
  contactId: string | null;
  channelId: string | null;
  /** "by e-mail", "on Slack". */
  how: string;
  state: DeliveryState;
  /** Why it was not sent (skipped or failed); null when sent or still trying without an error yet. */
  reason: string | null;
}

/** Where one notification stands. `settled` once no delivery is queued: sent, failed for good, or skipped. */
export interface NotificationOutcome {
  notificationId: string;
  incidentId: string | null;
  settled: boolean;
  destinations: DestinationOutcome[];
}

export function toOutcome(notificationId: string, rows: readonly NamedDelivery[]): NotificationOutcome {
  const destinations = rows.map((row): DestinationOutcome => {
    const { delivery } = row;
    const state = delivery.state as DeliveryState;
    return {
      deliveryId: delivery.id,
      recipient: recipientOf(row),
      contactId: delivery.contactId,
      channelId: delivery.channelId,
      how: meansOf(delivery.channel).how,
      state,
      reason: state === 'sent' ? null : delivery.lastError,
    };
  });
  return {
    notificationId,
    incidentId: rows[0]?.notification.incidentId ?? null,
    settled: destinations.every((d) => d.state !== 'queued'),
    destinations,
  };
}

/** Whether anything can be delivered at all; `missing` says what is missing when nothing can. */
export interface Deliverability {
  canDeliver: boolean;
  /** Every kind of route that cannot deliver, with why: "Slack channels: not configured: …". No names: health is public. */
  missing: string[];
}

/**
 * Can any enabled channel, or any contact's e-mail address or phone number,
 * be delivered to now? Written per route (each channel's own skip reason, each
 * contact means' configuration) so a new kind of channel or means counts
 * without changing this.
 */
export function deliverability(
  config: NotifyConfig,
  channels: readonly ChannelRow[],
  contactMeans: { email: boolean; phone: boolean },
): Deliverability {
  // By kind and reason, never by name or address: /api/health answers anyone.
  const missing = new Set<string>();
  for (const channel of channels) {
    if (!channel.enabled) continue;
    const skip = channelSkipReason(channel, config);
    if (skip === null) return { canDeliver: true, missing: [] };
    missing.add(`${meansOf(channel.kind).noun} channels: ${skip}`);
  }
  if (missing.size === 0) missing.add('no enabled channel');
  for (const means of ['email', 'phone'] as const) {
    // Reached only when no enabled channel can deliver, so no sms or voice channel can reach a phone either.
    const skip = contactRouteSkipReason(means, config, false);
    if (skip === null && contactMeans[means]) return { canDeliver: true, missing: [] };
    missing.add(`contacts' ${meansOf(means).noun}: ${skip ?? `no contact has ${means === 'email' ? 'an e-mail address' : 'a phone number'}`}`);
  }
  return { canDeliver: false, missing: [...missing] };
}
