import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../platform/clock.js';
import { ConflictError, InputError, NotFoundError } from '../platform/errors.js';
import type { NotifyConfig } from '../platform/config.js';
import type { EventBus } from '../platform/events/index.js';
import type { Job, JobQueue } from '../platform/jobs/index.js';
import type { Logger } from '../platform/logger.js';
import type { LinkSigner } from '../platform/signed-links.js';
import { sendToChannel } from './channels/dispatch.js';
import { EmailSender } from './channels/email.js';
import { DeliveryError, type OutgoingMessage } from './channels/index.js';
import { toE164 } from './channels/twilio.js';
import { isUnreadable, UNREADABLE_REASON } from './channel-secrets.js';
import type { DeliveryFilter, DeliveryRow, DeliveryStore, NamedDelivery, NotificationRow } from './delivery-store.js';
import type { TargetRef } from './escalation.js';
import type { OnCallService } from './oncall-service.js';
import { deliverability, meansOf, recipientOf, toOutcome, type Deliverability, type NotificationOutcome } from './outcome.js';
import { channelSkipReason, NOT_CONFIGURED_SMTP, resolveTargets, type Destination } from './resolve.js';
import { PHONE_CHANNEL_KINDS, type ChannelTestResult, type Delivery, type DeliveryState } from './schema.js';
import type { DirectoryStore } from './store.js';
import { checkNotifyRequest, type NotifyRequest } from './request.js';

export const DELIVER_QUEUE = 'notify.deliver';
export const DEAD_LETTER_QUEUE = `${DELIVER_QUEUE}.dead`;
/** Longer than any send (10 s timeouts) with room to spare; a crashed worker's job is retried after it. */
export const DELIVERY_LEASE_SECONDS = 60;
/** A queued row without a job this old was committed by a process that died before sending its job. */
export const ORPHAN_AFTER_SECONDS = 15;
const DELIVERY_CONCURRENCY = 4;

export const NOTIFICATION_EVENTS = { sent: 'notification.sent', failed: 'notification.failed', skipped: 'notification.skipped' } as const;

export interface NotifyResult {
  notificationId: string;
  key: string;
  deliveries: Delivery[];
}

interface DeliverJob {
  deliveryId: string;
}

export interface DeliveryDeps {
  store: DeliveryStore;
  directory: DirectoryStore;
  oncall: OnCallService;
  jobs: JobQueue;
  bus: EventBus;
  logger: Logger;
  config: NotifyConfig;
  /** Signs the acknowledge links of pages; the incidents domain checks them with the same key. */
  links: LinkSigner;
  clock?: Clock;
}

/** What a page's notification row keeps of its acknowledge link (request.ts AckLinkRequest, as JSON). */
interface StoredAckLink {
  urlPrefix: string;
  escalationStartedAt: string;
  expiresAt: string;
}

/** Who a delivery went to, as the incidents domain names whoever acknowledges through its link. */
export interface DeliveryRecipient {
  deliveryId: string;
  incidentId: string | null;
  /** The contact's name, or the channel's. */
  name: string;
  /** The channel kind the message went through (`sms`, `ntfy`, …). */
  channel: string;
}

export function toDelivery(named: NamedDelivery): Delivery {
  const { delivery, notification } = named;
  return {
    id: delivery.id,
    notificationId: notification.id,
    key: notification.key,
    incidentId: notification.incidentId,
    subject: notification.subject,
    severity: notification.severity,
    target: delivery.target,
    channel: delivery.channel,
    channelId: delivery.channelId,
    contactId: delivery.contactId,
    via: delivery.via,
    recipient: recipientOf(named),
    means: meansOf(delivery.channel).noun,
    state: delivery.state as DeliveryState,
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    sentAt: delivery.sentAt ? delivery.sentAt.toISOString() : null,
    createdAt: delivery.createdAt.toISOString(),
    updatedAt: delivery.updatedAt.toISOString(),
  };
}

function toRow(destination: Destination) {
  const { skip, ...rest } = destination;
  return { ...rest, state: skip ? 'skipped' : 'queued', lastError: skip };
}

/**
 * Notifications: record, enqueue one durable job per destination, deliver
 * with retries, log every outcome. The delivery row is the record of truth;
 * the job only carries its id (see ADR 0005 for the exactly-once-ish argument).
 */
export class DeliveryService {
  private readonly abort = new AbortController();
  private readonly email: EmailSender | null;
  private readonly clock: Clock;

  constructor(private readonly deps: DeliveryDeps) {
    this.clock = deps.clock ?? systemClock;
    this.email = deps.config.smtpUrl ? new EmailSender(deps.config.smtpUrl, deps.config.smtpFrom) : null;
  }

  /** Defines the queues (every replica) and starts the workers (where delivery is on). */
  async start(): Promise<void> {
    const { jobs, config } = this.deps;
    await jobs.define(DELIVER_QUEUE, {
      retryLimit: config.retryLimit,
      retryDelaySeconds: config.retryDelaySeconds,
      retryBackoff: true,
      leaseSeconds: DELIVERY_LEASE_SECONDS,
      deadLetter: true,
    });
    if (!config.delivery) return;
    await jobs.work<DeliverJob>(DELIVER_QUEUE, (job) => this.deliver(job), { concurrency: DELIVERY_CONCURRENCY });
    await jobs.work<DeliverJob>(DEAD_LETTER_QUEUE, (job) => this.deadLetter(job));
  }

  /**
   * Sends `request` to its targets, once per (key, destination): calling it
   * again with the same key adds only destinations it did not have. Returns
   * every delivery of the key. Rows are committed before jobs are sent; a
   * job that could not be sent is picked up by the orphan sweep.
   */
  async notify(request: NotifyRequest): Promise<NotifyResult> {
    const checked = checkNotifyRequest(request);
    const destinations = await resolveTargets(this.deps, checked.targets, checked.at ?? this.clock());
    const { notification, created } = await this.deps.store.record(
      {
        key: checked.key,
        incidentId: checked.incidentId ?? null,
        subject: checked.subject,
        text: checked.text,
        severity: checked.severity ?? null,
        link: checked.link ?? null,
        ackLink: checked.ack
          ? { urlPrefix: checked.ack.urlPrefix, escalationStartedAt: checked.ack.escalationStartedAt.toISOString(), expiresAt: checked.ack.expiresAt.toISOString() }
          : null,
      },
      destinations.map(toRow),
    );
    for (const row of created) {
      if (row.state === 'skipped') this.publish('skipped', row, notification, { reason: row.lastError });
      else await this.enqueue(row.id);
    }
    if (created.some((row) => row.state === 'queued')) this.deps.jobs.wake(DELIVER_QUEUE);
    const rows = await this.deps.store.deliveriesOf(notification.id);
    return { notificationId: notification.id, key: notification.key, deliveries: rows.map(toDelivery) };
  }

  /** Where a notification stands, destination by destination, with names; null for an unknown id. */
  async outcome(notificationId: string): Promise<NotificationOutcome | null> {
    const rows = await this.deps.store.deliveriesOf(notificationId);
    return rows.length === 0 ? null : toOutcome(notificationId, rows);
  }

  /** Whether any enabled channel or contact route can deliver now (health, the start-up warning). */
  async deliverability(): Promise<Deliverability> {
    const [channels, means] = await Promise.all([this.deps.directory.enabledChannels(), this.deps.directory.contactMeans()]);
    return deliverability(this.deps.config, channels, means);
  }

  async list(filter: DeliveryFilter, limit: number) {
    return this.deps.store.list(filter, limit);
  }

  /** Re-sends jobs for rows whose job was never recorded. Safe to run anywhere, any time: claims stop doubles. */
  async requeueOrphans(olderThanSeconds = ORPHAN_AFTER_SECONDS): Promise<number> {
    const ids = await this.deps.store.orphans(olderThanSeconds, 100);
    for (const id of ids) await this.enqueue(id);
    if (ids.length) {
      this.deps.logger.warn({ count: ids.length }, 'notifications without a job were queued again');
      this.deps.jobs.wake(DELIVER_QUEUE);
    }
    return ids.length;
  }

  /** Aborts sends in flight (their jobs are retried after a restart) and closes the SMTP transport. */
  close(): void {
    this.abort.abort();
    this.email?.close();
  }

  private async enqueue(deliveryId: string): Promise<void> {
    try {
      const jobId = await this.deps.jobs.send<DeliverJob>(DELIVER_QUEUE, { deliveryId });
      if (jobId) await this.deps.store.setJob(deliveryId, jobId);
    } catch (error) {
      // The row is committed; the orphan sweep sends its job later. Failing the caller would only make it retry.
      this.deps.logger.warn({ err: error, deliveryId }, 'could not queue a notification job; the orphan sweep will');
    }
  }

  /** One attempt. Throwing hands the job back to the queue for a retry with backoff. */
  private async deliver(job: Job<DeliverJob>): Promise<unknown> {
    if (this.abort.signal.aborted) throw new Error('NEXUS is shutting down; the delivery is retried');
    const claimed = await this.deps.store.claim(job.data.deliveryId, job.id, DELIVERY_LEASE_SECONDS);
    // Already sent, skipped or failed, or held by another job: checking here is what keeps a retry from sending twice.
    if (!claimed) return { outcome: 'not-claimed' };
    const { delivery, notification } = claimed;
    let skipReason: string | null;
    try {
      skipReason = await this.send(delivery, notification);
    } catch (error) {
      const reason = error instanceof DeliveryError ? error.message : 'unexpected error';
      // Only the scrubbed reason and ids: a library error object could carry a URL or a credential.
      const fields = { deliveryId: delivery.id, target: delivery.target, attempt: delivery.attempts, reason };
      if (error instanceof DeliveryError) this.deps.logger.warn(fields, 'notification attempt failed; the queue retries it');
      else this.deps.logger.error({ ...fields, errorName: (error as Error)?.name }, 'notification send failed unexpectedly');
      await this.deps.store.recordFailure(delivery.id, job.id, reason);
      throw new DeliveryError(reason);
    }
    const finished = await this.deps.store.finish(delivery.id, job.id, skipReason ? { state: 'skipped', reason: skipReason } : { state: 'sent' });
    if (finished) {
      if (skipReason) this.publish('skipped', finished, notification, { reason: skipReason });
      else this.publish('sent', finished, notification, {});
    }
    return { outcome: skipReason ? 'skipped' : 'sent' };
  }

  /** Out of retries: the delivery failed for good. */
  private async deadLetter(job: Job<DeliverJob>): Promise<void> {
    const found = await this.deps.store.get(job.data.deliveryId);
    if (!found) return;
    const failed = await this.deps.store.markFailed(found.delivery.id, 'retries exhausted');
    if (failed) this.publish('failed', failed, found.notification, { error: failed.lastError });
  }

  /**
   * Sends a test message through a channel now, enabled or not (an admin
   * checks it before turning it on), and says how it went. Nothing is queued
   * or retried: the answer is the one attempt. `to` is the phone number for
   * sms and voice channels.
   */
  async testChannel(id: string, to: string | undefined, actor: string): Promise<ChannelTestResult> {
    const channel = await this.deps.directory.channel(id);
    if (!channel) throw new NotFoundError('channel', id);
    if (isUnreadable(channel.url) || isUnreadable(channel.secret)) throw new ConflictError(UNREADABLE_REASON);
    const phoneKind = (PHONE_CHANNEL_KINDS as readonly string[]).includes(channel.kind);
    let phone: string | null = null;
    if (phoneKind) {
      if (!to) throw new InputError(`body/to is required: the phone number the ${channel.kind} channel should ${channel.kind === 'sms' ? 'text' : 'call'}`, { field: 'to' });
      phone = toE164(to);
      if (!phone) throw new InputError('body/to must be an E.164 number (+ and 7 to 15 digits, no leading 0)', { field: 'to' });
    } else if (to) {
      throw new InputError(`body/to is only for sms and voice channels; a ${channel.kind} channel has its own destination`, { field: 'to' });
    }
    const destination = phone ?? `channel:${channel.name}`;
    const notConfigured = channelSkipReason({ ...channel, enabled: true }, this.deps.config);
    if (notConfigured) return { outcome: 'failed', reason: notConfigured, to: destination, durationMs: 0 };
    const message: OutgoingMessage = {
      deliveryId: randomUUID(),
      key: `channel-test:${channel.id}`,
      incidentId: null,
      subject: 'Test message from NEXUS',
      text: `${actor} sent this to check the ${channel.kind} channel "${channel.name}". Nothing needs doing.`,
      severity: null,
      link: null,
      ackUrl: null,
      sentAt: this.clock().toISOString(),
      paging: [],
    };
    const started = performance.now();
    try {
      await sendToChannel(channel, phone, message, this.sendContext(), this.abort.signal);
      return { outcome: 'sent', reason: null, to: destination, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      const reason = error instanceof DeliveryError ? error.message : 'unexpected error';
      this.deps.logger.info({ channelId: channel.id, reason }, 'channel test failed');
      return { outcome: 'failed', reason, to: destination, durationMs: Math.round(performance.now() - started) };
    }
  }

  /** Who received a delivery, for naming whoever used its acknowledge link; null if there is no such delivery. */
  async recipient(deliveryId: string): Promise<DeliveryRecipient | null> {
    const found = await this.deps.store.get(deliveryId);
    if (!found) return null;
    const { delivery, notification } = found;
    const contact = delivery.contactId ? await this.deps.directory.contact(delivery.contactId) : null;
    const name = contact?.name ?? delivery.via.replace(/^[a-z]+:/, '');
    return { deliveryId, incidentId: notification.incidentId, name, channel: delivery.channel };
  }

  /** Sends one delivery; returns a skip reason instead when there is nothing that could be sent. */
  private async send(delivery: DeliveryRow, notification: NotificationRow): Promise<string | null> {
    const message = this.message(delivery, notification, await this.paging(notification));
    if (!delivery.channelId) {
      if (delivery.channel !== 'email' || !delivery.address) return 'nothing can be sent to this destination';
      if (!this.email) return NOT_CONFIGURED_SMTP;
      await this.email.send(delivery.address, message);
      return null;
    }
    const channel = await this.deps.directory.channel(delivery.channelId);
    if (!channel) return 'the channel was deleted';
    const skip = channelSkipReason(channel, this.deps.config);
    if (skip) return skip;
    await sendToChannel(channel, delivery.address, message, this.sendContext(), this.abort.signal);
    return null;
  }

  sendContext() {
    return { slackWebhookUrl: this.deps.config.slackWebhookUrl, email: this.email };
  }

  private async paging(notification: NotificationRow): Promise<string[]> {
    const paged = await this.deps.store.pagedContacts(notification.id);
    return paged.map((c) => (c.slack?.startsWith('@') ? `${c.name} (${c.slack})` : c.name));
  }

  private message(delivery: DeliveryRow, notification: NotificationRow, paging: string[]): OutgoingMessage {
    return {
      deliveryId: delivery.id,
      key: notification.key,
      incidentId: notification.incidentId,
      subject: notification.subject,
      text: notification.text,
      severity: notification.severity,
      link: notification.link,
      ackUrl: this.ackUrl(delivery, notification),
      sentAt: this.clock().toISOString(),
      paging,
    };
  }

  /** The delivery's own signed link: its id is the nonce, so each recipient's link works once and names them. */
  private ackUrl(delivery: DeliveryRow, notification: NotificationRow): string | null {
    const ack = notification.ackLink as StoredAckLink | null;
    if (!ack || !notification.incidentId) return null;
    const token = this.deps.links.sign({
      subject: notification.incidentId,
      epochMs: new Date(ack.escalationStartedAt).getTime(),
      nonce: delivery.id,
      expiresAt: new Date(ack.expiresAt),
    });
    return `${ack.urlPrefix}${token}`;
  }

  private publish(kind: keyof typeof NOTIFICATION_EVENTS, row: DeliveryRow, notification: NotificationRow, extra: Record<string, unknown>): void {
    this.deps.bus.publish(NOTIFICATION_EVENTS[kind], {
      deliveryId: row.id,
      notificationId: notification.id,
      key: notification.key,
      incidentId: notification.incidentId,
      subject: notification.subject,
      target: row.target,
      channel: row.channel,
      channelId: row.channelId,
      contactId: row.contactId,
      via: row.via,
      attempts: row.attempts,
      ...extra,
    });
  }
}

export type { NotifyRequest, TargetRef };
