import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, notLike, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Orm } from '../platform/db/index.js';
import type { EscalationLevel, PolicyTarget } from './oncall-schema.js';
import { SEALED_PREFIX, type ChannelSecrets } from './channel-secrets.js';
import { contacts, escalationPolicies, notifyChannels, rotationMembers, rotationOverrides, rotations } from './tables.js';

export type ContactRow = typeof contacts.$inferSelect;
export type NewContact = typeof contacts.$inferInsert;
export type ChannelRow = typeof notifyChannels.$inferSelect;
export type NewChannel = typeof notifyChannels.$inferInsert;
export type PolicyRow = Omit<typeof escalationPolicies.$inferSelect, 'levels' | 'always'> & {
  levels: EscalationLevel[];
  always: PolicyTarget[];
};
export type NewPolicy = Omit<typeof escalationPolicies.$inferInsert, 'levels' | 'always'> & {
  levels: EscalationLevel[];
  always: PolicyTarget[];
};

/** Keyset after (name, id): names are not unique for contacts, so the id breaks ties. */
function afterName(name: PgColumn, id: PgColumn, after: [string, string] | null): SQL | undefined {
  if (!after) return undefined;
  return or(gt(name, after[0]), and(eq(name, after[0]), gt(id, after[1])));
}

/** SQL for contacts, channels and escalation policies. Rules live in the services. */
export class DirectoryStore {
  constructor(
    private readonly orm: Orm,
    private readonly secrets: ChannelSecrets,
  ) {}

  /** Runs `work` in one transaction with a store bound to it. */
  transaction<T>(work: (store: DirectoryStore) => Promise<T>): Promise<T> {
    return this.orm.transaction((tx) => work(new DirectoryStore(tx as unknown as Orm, this.secrets)));
  }

  /** Serialises callers of the same key until the transaction ends (replicas starting together). */
  async lock(key: number): Promise<void> {
    await this.orm.execute(sql`SELECT pg_advisory_xact_lock(${key})`);
  }

  listContacts(limit: number, after: [string, string] | null): Promise<ContactRow[]> {
    return this.orm
      .select()
      .from(contacts)
      .where(afterName(contacts.name, contacts.id, after))
      .orderBy(asc(contacts.name), asc(contacts.id))
      .limit(limit + 1);
  }

  async contact(id: string): Promise<ContactRow | null> {
    const [row] = await this.orm.select().from(contacts).where(eq(contacts.id, id));
    return row ?? null;
  }

  async contactsByIds(ids: string[]): Promise<ContactRow[]> {
    if (ids.length === 0) return [];
    return this.orm.select().from(contacts).where(inArray(contacts.id, ids));
  }

  async contactByName(name: string): Promise<ContactRow | null> {
    const [row] = await this.orm.select().from(contacts).where(eq(contacts.name, name)).orderBy(asc(contacts.createdAt)).limit(1);
    return row ?? null;
  }

  async insertContact(contact: NewContact): Promise<ContactRow> {
    const [row] = await this.orm.insert(contacts).values(contact).returning();
    return row!;
  }

  async updateContact(id: string, patch: Partial<NewContact>): Promise<ContactRow | null> {
    const [row] = await this.orm
      .update(contacts)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(contacts.id, id))
      .returning();
    return row ?? null;
  }

  async deleteContact(id: string): Promise<boolean> {
    const rows = await this.orm.delete(contacts).where(eq(contacts.id, id)).returning({ id: contacts.id });
    return rows.length > 0;
  }

  /** Rotation names whose members or overrides (current or future) include the contact. */
  async rotationsUsingContact(id: string): Promise<string[]> {
    const members = await this.orm
      .selectDistinct({ name: rotations.name })
      .from(rotationMembers)
      .innerJoin(rotations, eq(rotations.id, rotationMembers.rotationId))
      .where(eq(rotationMembers.contactId, id));
    const overrides = await this.orm
      .selectDistinct({ name: rotations.name })
      .from(rotationOverrides)
      .innerJoin(rotations, eq(rotations.id, rotationOverrides.rotationId))
      .where(eq(rotationOverrides.contactId, id));
    return [...new Set([...members, ...overrides].map((r) => r.name))].sort();
  }

  async listChannels(limit: number, after: [string, string] | null): Promise<ChannelRow[]> {
    const rows = await this.orm
      .select()
      .from(notifyChannels)
      .where(afterName(notifyChannels.name, notifyChannels.id, after))
      .orderBy(asc(notifyChannels.name), asc(notifyChannels.id))
      .limit(limit + 1);
    return rows.map((row) => this.secrets.open(row));
  }

  /** Every channel URL and HMAC key in the clear: NEXUS's secrets too, redacted from runbook command output. */
  async channelSecretValues(): Promise<string[]> {
    const rows = await this.orm.select({ id: notifyChannels.id, url: notifyChannels.url, secret: notifyChannels.secret }).from(notifyChannels);
    return rows
      .map((row) => this.secrets.open(row))
      .flatMap((row) => [row.url, row.secret])
      .filter((value): value is string => value !== null && !value.startsWith(SEALED_PREFIX));
  }

  /** Enabled channels, opened (their skip reason depends on the URL being readable). */
  async enabledChannels(): Promise<ChannelRow[]> {
    const rows = await this.orm.select().from(notifyChannels).where(eq(notifyChannels.enabled, true)).orderBy(asc(notifyChannels.name));
    return rows.map((row) => this.secrets.open(row));
  }

  /** Whether any contact has an e-mail address, and any a phone number (EXISTS: stops at the first). */
  async contactMeans(): Promise<{ email: boolean; phone: boolean }> {
    const [row] = await this.orm
      .select({
        email: sql<boolean>`EXISTS (SELECT 1 FROM ${contacts} WHERE ${contacts.email} IS NOT NULL)`,
        phone: sql<boolean>`EXISTS (SELECT 1 FROM ${contacts} WHERE ${contacts.phone} IS NOT NULL)`,
      })
      .from(sql`(SELECT 1) AS one`);
    return { email: row?.email === true, phone: row?.phone === true };
  }

  async channel(id: string): Promise<ChannelRow | null> {
    const [row] = await this.orm.select().from(notifyChannels).where(eq(notifyChannels.id, id));
    return row ? this.secrets.open(row) : null;
  }

  async channelsByIds(ids: string[]): Promise<ChannelRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.orm.select().from(notifyChannels).where(inArray(notifyChannels.id, ids));
    return rows.map((row) => this.secrets.open(row));
  }

  /** Per kind, the first enabled channel by name: the providers contacts' phones are texted and called through. */
  async phoneProviders(kinds: readonly string[]): Promise<ChannelRow[]> {
    const rows = await this.orm
      .selectDistinctOn([notifyChannels.kind])
      .from(notifyChannels)
      .where(and(inArray(notifyChannels.kind, [...kinds]), eq(notifyChannels.enabled, true)))
      .orderBy(asc(notifyChannels.kind), asc(notifyChannels.name));
    return rows.map((row) => this.secrets.open(row));
  }

  async channelByName(name: string): Promise<ChannelRow | null> {
    const [row] = await this.orm.select().from(notifyChannels).where(eq(notifyChannels.name, name));
    return row ? this.secrets.open(row) : null;
  }

  async insertChannel(channel: NewChannel): Promise<ChannelRow> {
    // The id is chosen here because the sealed values are bound to it.
    const id = channel.id ?? randomUUID();
    const [row] = await this.orm.insert(notifyChannels).values(this.secrets.seal(id, { ...channel, id })).returning();
    return this.secrets.open(row!);
  }

  async updateChannel(id: string, patch: Partial<NewChannel>): Promise<ChannelRow | null> {
    const [row] = await this.orm
      .update(notifyChannels)
      .set({ ...this.secrets.seal(id, patch), updatedAt: sql`now()` })
      .where(eq(notifyChannels.id, id))
      .returning();
    return row ? this.secrets.open(row) : null;
  }

  /** Seals URLs and keys stored before sealing existed; returns how many channels it sealed. */
  async sealLegacyChannels(): Promise<number> {
    // Only rows still holding plain text: after the first start this reads nothing.
    const rows = await this.orm
      .select()
      .from(notifyChannels)
      .where(or(notLike(notifyChannels.url, `${SEALED_PREFIX}%`), notLike(notifyChannels.secret, `${SEALED_PREFIX}%`)));
    for (const row of rows) {
      const open = this.secrets.open(row);
      await this.orm.update(notifyChannels).set(this.secrets.seal(row.id, { url: open.url, secret: open.secret })).where(eq(notifyChannels.id, row.id));
    }
    return rows.length;
  }

  async deleteChannel(id: string): Promise<boolean> {
    const rows = await this.orm.delete(notifyChannels).where(eq(notifyChannels.id, id)).returning({ id: notifyChannels.id });
    return rows.length > 0;
  }

  listPolicies(limit: number, after: [string, string] | null): Promise<PolicyRow[]> {
    return this.orm
      .select()
      .from(escalationPolicies)
      .where(afterName(escalationPolicies.name, escalationPolicies.id, after))
      .orderBy(asc(escalationPolicies.name), asc(escalationPolicies.id))
      .limit(limit + 1) as Promise<PolicyRow[]>;
  }

  async policy(id: string): Promise<PolicyRow | null> {
    const [row] = await this.orm.select().from(escalationPolicies).where(eq(escalationPolicies.id, id));
    return (row as PolicyRow | undefined) ?? null;
  }

  async policyByName(name: string): Promise<PolicyRow | null> {
    const [row] = await this.orm.select().from(escalationPolicies).where(eq(escalationPolicies.name, name));
    return (row as PolicyRow | undefined) ?? null;
  }

  async insertPolicy(policy: NewPolicy): Promise<PolicyRow> {
    const [row] = await this.orm.insert(escalationPolicies).values(policy).returning();
    return row as PolicyRow;
  }

  async updatePolicy(id: string, patch: Partial<NewPolicy>): Promise<PolicyRow | null> {
    const [row] = await this.orm
      .update(escalationPolicies)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(escalationPolicies.id, id))
      .returning();
    return (row as PolicyRow | undefined) ?? null;
  }

  /** Names of policies that page this target at any level or always (jsonb containment, so no scan in JS). */
  async policiesUsing(type: PolicyTarget['type'], id: string): Promise<string[]> {
    const inLevels = JSON.stringify([{ targets: [{ type, id }] }]);
    const inAlways = JSON.stringify([{ type, id }]);
    const rows = await this.orm
      .select({ name: escalationPolicies.name })
      .from(escalationPolicies)
      .where(sql`${escalationPolicies.levels} @> ${inLevels}::jsonb OR ${escalationPolicies.always} @> ${inAlways}::jsonb`)
      .orderBy(asc(escalationPolicies.name));
    return rows.map((r) => r.name);
  }
}
