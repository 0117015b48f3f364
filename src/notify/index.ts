import { setTimeout as delay } from 'node:timers/promises';
import type { AuditService } from '../platform/audit/service.js';
import { namesFrom } from '../platform/audit/targets.js';
import type { Clock } from '../platform/clock.js';
import type { NotifyConfig } from '../platform/config.js';
import type { Database } from '../platform/db/index.js';
import type { EventBus } from '../platform/events/index.js';
import type { App } from '../platform/http/types.js';
import { runSingleton, type JobQueue } from '../platform/jobs/index.js';
import type { Logger } from '../platform/logger.js';
import { SecretSealer, type SealingKeySource } from '../platform/secrets.js';
import { LinkSigner, type LinkKeySource } from '../platform/signed-links.js';
import { ChannelSecrets } from './channel-secrets.js';
import { createDefaultPolicy } from './defaults.js';
import { DeliveryService, type DeliveryRecipient, type NotifyResult } from './delivery.js';
import { DeliveryStore } from './delivery-store.js';
import type { PlanInput, PlanLevel } from './escalation.js';
import { policyRoutes, rotationRoutes } from './oncall-routes.js';
import { OnCallService, type OnCallNow } from './oncall-service.js';
import type { Deliverability, NotificationOutcome } from './outcome.js';
import type { NotifyRequest } from './request.js';
import { RotationStore } from './rotation-store.js';
import { channelRoutes, contactRoutes, notificationRoutes } from './routes.js';
import { DirectoryService } from './service.js';
import { DirectoryStore } from './store.js';
import { contacts, escalationPolicies, notifyChannels, rotations } from './tables.js';

export { DEAD_LETTER_QUEUE, DELIVER_QUEUE, NOTIFICATION_EVENTS, type DeliveryRecipient, type NotifyResult } from './delivery.js';
export { DEFAULT_POLICY_NAME, DEFAULT_SLACK_CHANNEL, SEED_CONTACTS } from './defaults.js';
export type { PlanInput, PlanLevel, PlanTarget, TargetRef } from './escalation.js';
export { SUBJECT_MAX, type AckLinkRequest, type NotifyRequest } from './request.js';
export type { OnCallNow } from './oncall-service.js';
export type { Channel, ChannelTestResult } from './schema.js';
export { meansOf, type Deliverability, type DestinationOutcome, type NotificationOutcome } from './outcome.js';

export interface NotifyDeps {
  db: Database;
  /** The audit log names contacts, channels, rotations and policies by their names. */
  audit: Pick<AuditService, 'nameTargets'>;
  jobs: JobQueue;
  bus: EventBus;
  logger: Logger;
  config: NotifyConfig;
  /** The key ring: channel URLs and keys are sealed under its data key, acknowledge links signed with its signing key. */
  keys: SealingKeySource & LinkKeySource;
  clock?: Clock | undefined;
  /** How often one replica looks for rows whose job was never sent. */
  orphanSweepMs?: number;
}

/** The notify domain as other domains use it (incidents pages through this). */
export interface NotifyModule {
  /** Levels of a policy for an incident: who at how many minutes after the trigger. */
  planEscalation(policyId: string, input: PlanInput): Promise<PlanLevel[]>;
  /** Idempotent per (key, destination); delivery is durable and retried. */
  notify(request: NotifyRequest): Promise<NotifyResult>;
  /** Who a delivery went to (the acknowledge link of a page names them); null when there is no such delivery. */
  recipient(deliveryId: string): Promise<DeliveryRecipient | null>;
  /** Who a notification reached so far, by name, and why the others were not; null for an unknown id. */
  outcome(notificationId: string): Promise<NotificationOutcome | null>;
  /** Whether any enabled channel or contact route can deliver now; what is missing when none can. */
  deliverability(): Promise<Deliverability>;
  onCallAt(rotationId: string, at: Date): Promise<OnCallNow>;
  directory: DirectoryService;
  oncall: OnCallService;
  delivery: DeliveryService;
  /** Creates the seed's default policy unless it exists; true when this call created it. */
  ensureDefaults(): Promise<boolean>;
  /** Seals channel URLs and keys stored in plain text by an older NEXUS; how many channels. */
  sealLegacyChannels(): Promise<number>;
  /** Every channel URL and key in the clear, for the runners' redaction set (they are NEXUS's secrets). */
  channelSecretValues(): Promise<string[]>;
  close(): Promise<void>;
}

export const DEFAULT_ORPHAN_SWEEP_MS = 15_000;

/** Wires the domain: routes, queues and workers, and the orphan sweep on one replica. */
export async function registerNotify(app: App, deps: NotifyDeps): Promise<NotifyModule> {
  const { db, logger } = deps;
  const log = logger.child({ component: 'notify' });
  const store = new DirectoryStore(db.orm, new ChannelSecrets(new SecretSealer(deps.keys, 'channel-secrets v1')));
  const directory = new DirectoryService(store);
  const oncall = new OnCallService(store, new RotationStore(db.orm), deps.clock);
  const delivery = new DeliveryService({
    store: new DeliveryStore(db.orm),
    directory: store,
    oncall,
    jobs: deps.jobs,
    bus: deps.bus,
    logger: log,
    config: deps.config,
    links: new LinkSigner(deps.keys, 'ack-links v1'),
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  contactRoutes(app, directory);
  channelRoutes(app, directory, delivery);
  rotationRoutes(app, oncall);
  policyRoutes(app, oncall);
  notificationRoutes(app, delivery);
  for (const [thing, table] of [['contact', contacts], ['channel', notifyChannels], ['rotation', rotations], ['escalation_policy', escalationPolicies]] as const) {
    deps.audit.nameTargets(thing, namesFrom(db.orm, table.id, table.name));
  }
  await delivery.start();

  const interval = deps.orphanSweepMs ?? DEFAULT_ORPHAN_SWEEP_MS;
  const sweeper = deps.config.delivery
    ? runSingleton(
        db,
        'notify.orphan-sweep',
        async (signal) => {
          while (!signal.aborted) {
            await delivery.requeueOrphans().catch((error: unknown) => log.warn({ err: error }, 'orphan sweep failed'));
            await delay(interval, undefined, { signal }).catch(() => {});
          }
        },
        { logger: log },
      )
    : null;

  const module: NotifyModule = {
    planEscalation: (policyId, input) => oncall.planEscalation(policyId, input),
    notify: (request) => delivery.notify(request),
    recipient: (deliveryId) => delivery.recipient(deliveryId),
    outcome: (notificationId) => delivery.outcome(notificationId),
    deliverability: () => delivery.deliverability(),
    onCallAt: (rotationId, at) => oncall.onCallAt(rotationId, at),
    directory,
    oncall,
    delivery,
    ensureDefaults: async () => (await createDefaultPolicy(store)) !== null,
    sealLegacyChannels: () => store.sealLegacyChannels(),
    channelSecretValues: () => store.channelSecretValues(),
    async close() {
      await sweeper?.stop();
      delivery.close();
    },
  };
  app.addHook('onClose', async () => module.close());
  return module;
}

/**
 * Called by the server at every start, after the admin bootstrap: the seed's
 * contacts, Slack channel and default escalation policy, once.
 */
export async function ensureDefaults(notify: NotifyModule, audit: AuditService): Promise<void> {
  if (await notify.ensureDefaults()) {
    await audit.record({ actor: 'system', action: 'notify.defaults_create', target: 'default', outcome: 'success' });
  }
  const sealed = await notify.sealLegacyChannels();
  if (sealed > 0) await audit.record({ actor: 'system', action: 'notify.channels_seal', target: `${sealed} channels`, outcome: 'success' });
}

/**
 * Called by the server at every start: a NEXUS whose pages can reach nobody
 * (out of the box: no SMTP, no Slack URL, no phone provider) says so where
 * operators look first. `/api/health` says the same while it lasts.
 */
export async function warnWhenNothingDelivers(notify: Pick<NotifyModule, 'deliverability'>, logger: Logger): Promise<void> {
  const { canDeliver, missing } = await notify.deliverability();
  if (!canDeliver) {
    logger.warn({ missing }, 'notify: no enabled channel or contact route can deliver, so incident pages reach nobody; set NEXUS_SMTP_URL or NEXUS_SLACK_WEBHOOK_URL, or add a channel');
  }
}
