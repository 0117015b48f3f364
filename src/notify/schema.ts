import { Type, type Static } from 'typebox';
import { NullableTimestamp, PageQuery, Timestamp } from '../platform/http/schemas.js';

export const Uuid = Type.String({ format: 'uuid' });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableUuid = Type.Union([Uuid, Type.Null()]);

/** Free text that a person reads: a name, a subject. No control characters (they break e-mail headers). */
export const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\x00-\\x1f\\x7f]*\\S[^\\x00-\\x1f\\x7f]*$' });

/**
 * E.164-ish: a leading +, digits and the usual separators (`+1-555-0123`,
 * `+44 20 7946 0958`). The digit count (7–15, E.164's maximum) is checked by
 * the service, which a pattern cannot do readably.
 */
export const Phone = Type.String({ minLength: 2, maxLength: 32, pattern: '^\\+[0-9][0-9 ().-]*[0-9]$' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
/** A Slack user (`@alice`) or channel (`#nexus-platform-alerts`); Slack names are at most 80 characters. */
export const SlackHandle = Type.String({ maxLength: 81, pattern: '^[@#][A-Za-z0-9][A-Za-z0-9._-]{0,79}$' });
const Team = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\x00-\\x1f\\x7f]+$' });

export const Contact = Type.Object({
  id: Uuid,
  name: Type.String(),
  phone: NullableString,
  email: NullableString,
  slack: NullableString,
  team: NullableString,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Contact = Static<typeof Contact>;

export const CreateContactBody = Type.Object(
  {
    name: Name,
    phone: Type.Optional(Phone),
    email: Type.Optional(Email),
    slack: Type.Optional(SlackHandle),
    team: Type.Optional(Team),
  },
  { additionalProperties: false },
);
export type CreateContactBody = Static<typeof CreateContactBody>;

/** null clears a field. */
export const UpdateContactBody = Type.Object(
  {
    name: Type.Optional(Name),
    phone: Type.Optional(Type.Union([Phone, Type.Null()])),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    slack: Type.Optional(Type.Union([SlackHandle, Type.Null()])),
    team: Type.Optional(Type.Union([Team, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateContactBody = Static<typeof UpdateContactBody>;

export const NameListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

/**
 * Chat and push channels post to one place; `sms` and `voice` are providers
 * (a Twilio-compatible API) through which contacts' phones are texted and called.
 */
export const CHANNEL_KINDS = ['slack', 'webhook', 'email', 'teams', 'mattermost', 'discord', 'telegram', 'ntfy', 'sms', 'voice'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const PHONE_CHANNEL_KINDS = ['sms', 'voice'] as const satisfies readonly ChannelKind[];

const ChannelUrl = Type.String({ minLength: 8, maxLength: 2000 });
/** HMAC key, bot token, access token or auth token: long enough not to be guessed, short enough to paste. */
const ChannelSecret = Type.String({ minLength: 16, maxLength: 512 });

/**
 * What a kind needs besides its URL and secret; none of it is secret.
 * telegram: chatId; sms/voice: accountSid and from; mattermost: channel and username (optional).
 */
export const ChannelSettings = Type.Object(
  {
    /** Telegram chat: a numeric id (groups are negative) or `@channelusername`. */
    chatId: Type.Optional(Type.String({ maxLength: 64, pattern: '^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$' })),
    /** Twilio-compatible account (the user name of HTTP basic auth; the auth token is the secret). */
    accountSid: Type.Optional(Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
    /** Caller id for SMS and calls, E.164 (`+14155550100`). */
    from: Type.Optional(Type.String({ maxLength: 16, pattern: '^\\+[1-9][0-9]{6,14}$' })),
    /** Mattermost: post to this channel instead of the webhook's own (`town-square`, `@user`). */
    channel: Type.Optional(Type.String({ maxLength: 65, pattern: '^@?[a-z0-9][a-z0-9._-]{0,63}$' })),
    /** Mattermost: the name shown as the poster, when the server allows overriding it. */
    username: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$' })),
  },
  { additionalProperties: false },
);
export type ChannelSettings = Static<typeof ChannelSettings>;

export const Channel = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: Type.Enum(CHANNEL_KINDS),
  /** Scheme, host and port only: webhook paths and query strings (and ntfy topics) are credentials. */
  url: NullableString,
  /** Slack channel without its own URL: messages go to NEXUS_SLACK_WEBHOOK_URL. */
  usesDefaultWebhook: Type.Boolean(),
  address: NullableString,
  settings: ChannelSettings,
  /** The HMAC key (webhook), bot token (telegram), access token (ntfy) or auth token (sms, voice) is set. */
  secretSet: Type.Boolean(),
  /** The URL or key was sealed with a JWT key NEXUS no longer has: deliveries are skipped until it is set again. */
  unreadable: Type.Boolean(),
  enabled: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Channel = Static<typeof Channel>;

export const CreateChannelBody = Type.Object(
  {
    name: Name,
    kind: Type.Enum(CHANNEL_KINDS),
    url: Type.Optional(ChannelUrl),
    address: Type.Optional(Email),
    secret: Type.Optional(ChannelSecret),
    settings: Type.Optional(ChannelSettings),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateChannelBody = Static<typeof CreateChannelBody>;

/** `settings` replaces the stored settings as a whole. */
export const UpdateChannelBody = Type.Object(
  {
    name: Type.Optional(Name),
    url: Type.Optional(Type.Union([ChannelUrl, Type.Null()])),
    address: Type.Optional(Email),
    secret: Type.Optional(Type.Union([ChannelSecret, Type.Null()])),
    settings: Type.Optional(ChannelSettings),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateChannelBody = Static<typeof UpdateChannelBody>;

/** A test message; `to` is the phone number an sms or voice channel texts or calls (other kinds have their own place). */
export const ChannelTestBody = Type.Union([
  Type.Object({ to: Type.Optional(Phone) }, { additionalProperties: false }),
  Type.Null(),
]);
export type ChannelTestBody = Static<typeof ChannelTestBody>;

export const ChannelTestResult = Type.Object({
  outcome: Type.Union([Type.Literal('sent'), Type.Literal('failed')]),
  /** Why it failed, in the words of the delivery log (never a URL or a secret). */
  reason: NullableString,
  /** Where it went: the channel, or the phone number for sms and voice. */
  to: Type.String(),
  durationMs: Type.Integer(),
});
export type ChannelTestResult = Static<typeof ChannelTestResult>;

export const DELIVERY_STATES = ['queued', 'sent', 'failed', 'skipped'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const Delivery = Type.Object({
  id: Uuid,
  notificationId: Uuid,
  key: Type.String(),
  incidentId: NullableUuid,
  subject: Type.String(),
  severity: NullableString,
  target: Type.String(),
  channel: Type.String(),
  channelId: NullableUuid,
  contactId: NullableUuid,
  via: Type.String(),
  /** Who, by name: the contact's or the channel's (for a destination with neither, what asked for it). `target` is the machine's identity. */
  recipient: Type.String(),
  /** By what, in words: `e-mail`, `phone`, `Slack`, `webhook`. */
  means: Type.String(),
  state: Type.Enum(DELIVERY_STATES),
  attempts: Type.Integer(),
  lastError: NullableString,
  sentAt: NullableTimestamp,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Delivery = Static<typeof Delivery>;

export const DeliveryListQuery = Type.Object(
  {
    ...PageQuery,
    incidentId: Type.Optional(Uuid),
    // Only ever compared for equality in a bound parameter: any text up to a key's length is a fair question.
    key: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    state: Type.Optional(Type.Enum(DELIVERY_STATES)),
  },
  { additionalProperties: false },
);
export type DeliveryListQuery = Static<typeof DeliveryListQuery>;
