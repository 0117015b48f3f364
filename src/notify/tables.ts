import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

/** A person or team that can be paged. At least one way to reach them is required (checked by the service). */
export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    phone: text('phone'),
    email: text('email'),
    /** `@user` or `#channel`. */
    slack: text('slack'),
    team: text('team'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('contacts_name_idx').on(t.name, t.id)],
);

/**
 * Where messages go: a chat or push service (Slack, Teams, Mattermost,
 * Discord, Telegram, ntfy), a generic signed webhook, an e-mail address (sent
 * through the configured SMTP server), or an SMS / voice provider that
 * contacts' phones are reached through. `url` and `secret` are write-only
 * through the API and sealed at rest.
 */
export const notifyChannels = pgTable(
  'notify_channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().unique(),
    kind: text('kind').notNull(),
    /**
     * Webhook URL, ntfy topic URL, or the API base of Telegram and of
     * Twilio-compatible providers (null: the public service). Null for a Slack
     * channel means NEXUS_SLACK_WEBHOOK_URL.
     */
    url: text('url'),
    /** E-mail channels: the recipient. */
    address: text('address'),
    /** HMAC-SHA256 key (webhook), bot token (telegram), access token (ntfy), auth token (sms, voice). */
    secret: text('secret'),
    /** The kind's non-secret settings (schema.ts ChannelSettings): chat id, account SID and caller id, … */
    settings: jsonb('settings').notNull().default({}),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      'notify_channels_kind_check',
      sql`${t.kind} IN ('slack', 'webhook', 'email', 'teams', 'mattermost', 'discord', 'telegram', 'ntfy', 'sms', 'voice')`,
    ),
  ],
);

/** A weekly rotation; members live in rotation_members (ordered), exceptions in rotation_overrides. */
export const rotations = pgTable(
  'rotations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().unique(),
    /** ISO weekday: 1 = Monday … 7 = Sunday. */
    handoffWeekday: integer('handoff_weekday').notNull(),
    /** Local wall-clock time `HH:MM` in `timezone`. */
    handoffTime: text('handoff_time').notNull(),
    /** IANA zone name (validated with Intl). */
    timezone: text('timezone').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check('rotations_weekday_check', sql`${t.handoffWeekday} BETWEEN 1 AND 7`)],
);

export const rotationMembers = pgTable(
  'rotation_members',
  {
    rotationId: uuid('rotation_id')
      .notNull()
      .references(() => rotations.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    // restrict: deleting a contact that is still in a rotation is a conflict, not a silent hole in the schedule.
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.rotationId, t.position] }), index('rotation_members_contact_idx').on(t.contactId)],
);

/** "Contact X is on call from T1 to T2" — wins over the weekly schedule; the newest wins among overlaps. */
export const rotationOverrides = pgTable(
  'rotation_overrides',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    rotationId: uuid('rotation_id')
      .notNull()
      .references(() => rotations.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'restrict' }),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
    reason: text('reason'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('rotation_overrides_span_check', sql`${t.endsAt} > ${t.startsAt}`),
    index('rotation_overrides_window_idx').on(t.rotationId, t.endsAt),
    index('rotation_overrides_contact_idx').on(t.contactId),
  ],
);

/** Ordered levels of targets with delays; `levels` and `always` are JSON (see schema.ts EscalationLevel). */
export const escalationPolicies = pgTable('escalation_policies', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  description: text('description'),
  levels: jsonb('levels').notNull(),
  always: jsonb('always').notNull().default([]),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** One message, identified by the caller's idempotency key (`incident:<id>:level:<n>`). */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull().unique(),
    incidentId: uuid('incident_id'),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    severity: text('severity'),
    link: text('link'),
    /**
     * Present when recipients may acknowledge from the message: what the
     * signed per-delivery link carries (`{ escalationStartedAt, expiresAt }`,
     * ISO times). Never a token: those are made at send time.
     */
    ackLink: jsonb('ack_link'),
    createdAt: createdAt(),
  },
  // created_idx: retention (src/maintenance/care) walks old notifications in this order, a batch at a time.
  (t) => [index('notifications_incident_idx').on(t.incidentId), index('notifications_created_idx').on(t.createdAt, t.id)],
);

/**
 * The delivery log and the record of truth for "was it sent": one row per
 * (notification, destination). The unique index is what makes the same key
 * sent twice produce no second job. The job queue only carries the row id.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    /** The destination's identity: `email:<address>`, `phone:<digits>`, `sms:<digits>`, `voice:<digits>`, `channel:<id>`, `rotation:<id>`. */
    target: text('target').notNull(),
    /** The channel kind, `phone` (a phone no provider reaches) or `none`. */
    channel: text('channel').notNull(),
    channelId: uuid('channel_id'),
    contactId: uuid('contact_id'),
    /** E-mail recipient or E.164 phone number; never a URL (webhook URLs are secrets). */
    address: text('address'),
    /** What asked for this destination: `contact:On-Call Engineer`, `rotation:primary`, `channel:#alerts`. */
    via: text('via').notNull(),
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    jobId: text('job_id'),
    /** The job holding the delivery right now, and until when; stops two jobs for one row sending twice. */
    claimJob: text('claim_job'),
    claimUntil: timestamp('claim_until', { withTimezone: true, mode: 'date' }),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('notification_deliveries_target_idx').on(t.notificationId, t.target),
    index('notification_deliveries_created_idx').on(t.createdAt, t.id),
    index('notification_deliveries_orphan_idx').on(t.createdAt).where(sql`${t.state} = 'queued' AND ${t.jobId} IS NULL`),
    check('notification_deliveries_state_check', sql`${t.state} IN ('queued', 'sent', 'failed', 'skipped')`),
  ],
);
