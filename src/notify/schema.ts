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

export const CHANNEL_KINDS = ['slack', 'webhook', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

const ChannelUrl = Type.String({ minLength: 8, maxLength: 2000 });
/** HMAC key: long enough not to be guessed, short enough to paste. */
const ChannelSecret = Type.String({ minLength: 16, maxLength: 512 });

export const Channel = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: Type.Enum(CHANNEL_KINDS),
  /** Scheme, host and port only: Slack webhook paths and query strings are credentials. */
  url: NullableString,
  /** Slack channel without its own URL: messages go to NEXUS_SLACK_WEBHOOK_URL. */
  usesDefaultWebhook: Type.Boolean(),
  address: NullableString,
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
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateChannelBody = Static<typeof CreateChannelBody>;

export const UpdateChannelBody = Type.Object(
  {
    name: Type.Optional(Name),
    url: Type.Optional(Type.Union([ChannelUrl, Type.Null()])),
    address: Type.Optional(Email),
    secret: Type.Optional(Type.Union([ChannelSecret, Type.Null()])),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateChannelBody = Static<typeof UpdateChannelBody>;

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
