import { ConflictError, InputError, NotFoundError } from '../platform/errors.js';
import { isUnreadable } from './channel-secrets.js';
import { channelUrlProblem, displayUrl } from './channels/url.js';
import type {
  Channel,
  ChannelKind,
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

/**
 * `keptUnreadableUrl`: an update that leaves a URL no current key opens as it
 * is (say, only disabling the channel). That value is ciphertext, not a URL,
 * so there is nothing to check, and the channel does have one.
 */
function checkChannel(channel: Pick<NewChannel, 'kind' | 'url' | 'address' | 'secret'>, keptUnreadableUrl = false): void {
  const { kind, address, secret } = channel;
  const url = keptUnreadableUrl ? null : channel.url;
  if (keptUnreadableUrl && kind === 'email') throw new InputError('body/url is not used by email channels (the SMTP server is NEXUS_SMTP_URL)', { field: 'url' });
  if (url) {
    const problem = channelUrlProblem(url);
    if (problem) throw new InputError(`body/url ${problem}`, { field: 'url' });
  }
  if (kind === 'webhook' && !url && !keptUnreadableUrl) throw new InputError('body/url is required for a webhook channel', { field: 'url' });
  if (kind === 'email' && !address) throw new InputError('body/address is required for an email channel', { field: 'address' });
  if (kind !== 'email' && address) throw new InputError(`body/address is only for email channels, not ${kind}`, { field: 'address' });
  if (kind === 'email' && url) throw new InputError('body/url is not used by email channels (the SMTP server is NEXUS_SMTP_URL)', { field: 'url' });
  // Only generic webhooks are signed; a secret elsewhere would be stored for nothing and give false comfort.
  if (kind !== 'webhook' && secret) throw new InputError(`body/secret is only for webhook channels, not ${kind}`, { field: 'secret' });
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
