import { ConflictError, InputError, NotFoundError } from '../platform/errors.js';
import { isUnreadable } from './channel-secrets.js';
import { ntfyTarget } from './channels/ntfy.js';
import { channelUrlProblem, displayUrl } from './channels/url.js';
import type {
  Channel,
  ChannelKind,
  ChannelSettings,
  Contact,
  CreateChannelBody,
  CreateContactBody,
  UpdateChannelBody,
  UpdateContactBody,
} from './schema.js';
import type { ChannelRow, ContactRow, DirectoryStore, NewChannel, NewContact } from './store.js';

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    email: row.email,
    slack: row.slack,
    team: row.team,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Secrets stay in the database: the URL is shown as its origin, the HMAC key only as "set". */
export function toChannel(row: ChannelRow): Channel {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as ChannelKind,
    url: isUnreadable(row.url) ? null : displayUrl(row.url),
    unreadable: isUnreadable(row.url) || isUnreadable(row.secret),
    usesDefaultWebhook: row.kind === 'slack' && !row.url,
    address: row.address,
    settings: (row.settings ?? {}) as ChannelSettings,
    secretSet: row.secret !== null,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** E.164 allows at most 15 digits; fewer than 7 is no real number. */
export function phoneProblem(phone: string): string | null {
  const digits = phone.replace(/\D/g, '').length;
  return digits < 7 || digits > 15 ? `phone must have 7 to 15 digits (E.164), got ${digits}` : null;
}

function checkContact(contact: Pick<NewContact, 'phone' | 'email' | 'slack'>): void {
  const problem = contact.phone ? phoneProblem(contact.phone) : null;
  if (problem) throw new InputError(`body/${problem}`, { field: 'phone' });
  if (!contact.phone && !contact.email && !contact.slack) {
    throw new InputError('A contact needs at least one of phone, email or slack: otherwise nobody can reach them');
  }
}

type Need = 'required' | 'optional' | 'refused';

/** What each kind takes. `url` of telegram, sms and voice is the API base (default: the public service). */
const KIND_RULES: Record<ChannelKind, { url: Need; secret: Need; secretIs?: string; settings: Partial<Record<keyof ChannelSettings, Need>> }> = {
  slack: { url: 'optional', secret: 'refused', settings: {} },
  webhook: { url: 'required', secret: 'optional', secretIs: 'HMAC signing key', settings: {} },
  email: { url: 'refused', secret: 'refused', settings: {} },
  teams: { url: 'required', secret: 'refused', settings: {} },
  mattermost: { url: 'required', secret: 'refused', settings: { channel: 'optional', username: 'optional' } },
  discord: { url: 'required', secret: 'refused', settings: {} },
  telegram: { url: 'optional', secret: 'required', secretIs: 'bot token', settings: { chatId: 'required' } },
  ntfy: { url: 'required', secret: 'optional', secretIs: 'access token', settings: {} },
  sms: { url: 'optional', secret: 'required', secretIs: 'auth token', settings: { accountSid: 'required', from: 'required' } },
  voice: { url: 'optional', secret: 'required', secretIs: 'auth token', settings: { accountSid: 'required', from: 'required' } },
};

/** `123456789:AA…` as BotFather prints it; anything else (a `/` above all) must not reach the URL path it goes in. */
const TELEGRAM_TOKEN = /^[0-9]{3,20}:[A-Za-z0-9_-]{30,64}$/;

type CheckedChannel = Pick<NewChannel, 'kind' | 'url' | 'address' | 'secret' | 'settings'>;

function checkUrl(kind: ChannelKind, url: string | null | undefined, kept: boolean): void {
  const need = KIND_RULES[kind].url;
  if (need === 'refused' && (url || kept)) throw new InputError('body/url is not used by email channels (the SMTP server is NEXUS_SMTP_URL)', { field: 'url' });
  if (need === 'required' && !url && !kept) throw new InputError(`body/url is required for a ${kind} channel`, { field: 'url' });
  if (!url) return;
  const problem = channelUrlProblem(url);
  if (problem) throw new InputError(`body/url ${problem}`, { field: 'url' });
  if (kind === 'ntfy' && !ntfyTarget(url)) {
    throw new InputError('body/url must be the topic URL, https://<ntfy server>/<topic> (topic: 1-64 letters, digits, - or _)', { field: 'url' });
  }
}

function checkSecret(kind: ChannelKind, secret: string | null | undefined): void {
  const { secret: need, secretIs } = KIND_RULES[kind];
  // A secret where none is used would be stored for nothing and give false comfort.
  if (need === 'refused' && secret) throw new InputError(`body/secret is not used by ${kind} channels`, { field: 'secret' });
  if (need === 'required' && !secret) throw new InputError(`body/secret (the ${secretIs}) is required for a ${kind} channel`, { field: 'secret' });
  if (kind === 'telegram' && secret && !isUnreadable(secret) && !TELEGRAM_TOKEN.test(secret)) {
    throw new InputError('body/secret must be a bot token as BotFather gives it (<digits>:<35 or so letters, digits, - or _>)', { field: 'secret' });
  }
}

function checkSettings(kind: ChannelKind, settings: ChannelSettings): void {
  const rules = KIND_RULES[kind].settings;
  for (const field of Object.keys(settings) as Array<keyof ChannelSettings>) {
    if (!rules[field]) throw new InputError(`body/settings/${field} is not used by ${kind} channels`, { field: `settings.${field}` });
  }
  for (const [field, need] of Object.entries(rules)) {
    if (need === 'required' && !settings[field as keyof ChannelSettings]) {
      throw new InputError(`body/settings/${field} is required for a ${kind} channel`, { field: `settings.${field}` });
    }
  }
}

/**
 * `keptUnreadableUrl`: an update that leaves a URL no current key opens as it
 * is (say, only disabling the channel). That value is ciphertext, not a URL,
 * so there is nothing to check, and the channel does have one.
 */
function checkChannel(channel: CheckedChannel, keptUnreadableUrl = false): void {
  const kind = channel.kind as ChannelKind;
  checkUrl(kind, keptUnreadableUrl ? null : channel.url, keptUnreadableUrl);
  if (kind === 'email' && !channel.address) throw new InputError('body/address is required for an email channel', { field: 'address' });
  if (kind !== 'email' && channel.address) throw new InputError(`body/address is only for email channels, not ${kind}`, { field: 'address' });
  checkSecret(kind, channel.secret);
  checkSettings(kind, (channel.settings ?? {}) as ChannelSettings);
}

/** Contacts and channels: the people and places notifications go to. */
export class DirectoryService {
  constructor(private readonly store: DirectoryStore) {}

  listContacts(limit: number, after: [string, string] | null): Promise<ContactRow[]> {
    return this.store.listContacts(limit, after);
  }

  async getContact(id: string): Promise<Contact> {
    const row = await this.store.contact(id);
    if (!row) throw new NotFoundError('contact', id);
    return toContact(row);
  }

  async createContact(body: CreateContactBody): Promise<Contact> {
    const contact: NewContact = {
      name: body.name.trim(),
      phone: body.phone ?? null,
      email: body.email ?? null,
      slack: body.slack ?? null,
      team: body.team ?? null,
    };
    checkContact(contact);
    return toContact(await this.store.insertContact(contact));
  }

  async updateContact(id: string, body: UpdateContactBody): Promise<Contact> {
    const current = await this.store.contact(id);
    if (!current) throw new NotFoundError('contact', id);
    const patch: Partial<NewContact> = { ...body, ...(body.name !== undefined ? { name: body.name.trim() } : {}) };
    checkContact({ ...current, ...patch });
    const row = await this.store.updateContact(id, patch);
    if (!row) throw new NotFoundError('contact', id);
    return toContact(row);
  }

  async deleteContact(id: string): Promise<void> {
    if (!(await this.store.contact(id))) throw new NotFoundError('contact', id);
    const [rotations, policies] = await Promise.all([this.store.rotationsUsingContact(id), this.store.policiesUsing('contact', id)]);
    if (rotations.length || policies.length) {
      throw new ConflictError('The contact is still paged by rotations or escalation policies; remove it there first', {
        rotations,
        policies,
      });
    }
    if (!(await this.store.deleteContact(id))) throw new NotFoundError('contact', id);
  }

  listChannels(limit: number, after: [string, string] | null): Promise<ChannelRow[]> {
    return this.store.listChannels(limit, after);
  }

  async getChannel(id: string): Promise<Channel> {
    const row = await this.store.channel(id);
    if (!row) throw new NotFoundError('channel', id);
    return toChannel(row);
  }

  async createChannel(body: CreateChannelBody): Promise<Channel> {
    const channel: NewChannel = {
      name: body.name.trim(),
      kind: body.kind,
      url: body.url ?? null,
      address: body.address ?? null,
      secret: body.secret ?? null,
      settings: body.settings ?? {},
      enabled: body.enabled ?? true,
    };
    checkChannel(channel);
    if (await this.store.channelByName(channel.name)) throw new ConflictError(`A channel named "${channel.name}" already exists`);
    return toChannel(await this.store.insertChannel(channel));
  }

  async updateChannel(id: string, body: UpdateChannelBody): Promise<Channel> {
    const current = await this.store.channel(id);
    if (!current) throw new NotFoundError('channel', id);
    const patch: Partial<NewChannel> = { ...body, ...(body.name !== undefined ? { name: body.name.trim() } : {}) };
    checkChannel({ ...current, ...patch }, patch.url === undefined && isUnreadable(current.url));
    if (patch.name && patch.name !== current.name && (await this.store.channelByName(patch.name))) {
      throw new ConflictError(`A channel named "${patch.name}" already exists`);
    }
    const row = await this.store.updateChannel(id, patch);
    if (!row) throw new NotFoundError('channel', id);
    return toChannel(row);
  }

  async deleteChannel(id: string): Promise<void> {
    if (!(await this.store.channel(id))) throw new NotFoundError('channel', id);
    const policies = await this.store.policiesUsing('channel', id);
    if (policies.length) {
      throw new ConflictError('The channel is still used by escalation policies; remove it there first', { policies });
    }
    if (!(await this.store.deleteChannel(id))) throw new NotFoundError('channel', id);
  }
}
