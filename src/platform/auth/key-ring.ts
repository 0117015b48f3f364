import { hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Orm } from '../db/index.js';
import { isUniqueViolation } from '../db/pg-errors.js';
import { ConflictError } from '../errors.js';
import type { Logger } from '../logger.js';
import { deriveKey, openWith, SEAL_PURPOSES, sealWith, type SealingKeys, type SealingKeySource, type SealPurpose } from '../secrets.js';
import type { LinkKeySource, LinkPurpose } from '../signed-links.js';
import { keyRing } from './tables.js';

/** How long a replica trusts its copy of the ring: another replica's rotation reaches it within this even without the event bus. */
const REFRESH_MS = 5_000;
/** A token naming a key this replica does not know makes it look again, at most this often (forged key ids cannot hammer the database). */
const UNKNOWN_KEY_REFRESH_MS = 1_000;

/** A key-encryption key derived from a configured root secret, and its public id (what `wraps` is keyed by). */
export interface KeyEncryptionKey {
  id: string;
  key: Buffer;
}

export function keyEncryptionKey(root: string): KeyEncryptionKey {
  return { id: Buffer.from(hkdfSync('sha256', root, 'nexus', 'key-ring kek id v1', 8)).toString('hex'), key: deriveKey(root, 'key-ring kek v1') };
}

/** A new root secret, as embedded mode generates JWT_SECRET_KEY. */
export function newRootSecret(): string {
  return randomBytes(48).toString('base64url');
}

export interface VerifyingKey {
  material: string;
  /** When it stops verifying (grace end); null: until rotated. */
  notAfter: Date | null;
}

/** What session tokens are signed and checked with. */
export interface SigningKeySource {
  /** The key new tokens are signed with; `kid` null for a configured key (its tokens carry none). */
  currentSigningKey(): { kid: string | null; material: string };
  /** The keys a token naming `kid` (or none) may be checked with now. */
  verifyingKeys(kid: string | null): Promise<VerifyingKey[]>;
}

interface SigningKey {
  id: string;
  material: string;
  legacy: boolean;
  notAfter: Date | null;
  revokedAt: Date | null;
}

type Row = typeof keyRing.$inferSelect;

export interface RotationOutcome {
  keyId: string;
  /** Signing keys that stopped being current or verifying. */
  retired: number;
  revoked: boolean;
  verifiesUntil: Date | null;
}

/**
 * The key ring (ADR 0012). The configured JWT_SECRET_KEY (embedded mode: the
 * generated one in the data directory) is the root: it no longer signs once
 * a rotation has happened, it only derives the key-encryption key that seals
 * every ring key in the `key_ring` table. Signing keys (sessions, ack links)
 * rotate without a restart; data keys (sealing run and channel secrets) never
 * change, so nothing sealed has to be re-sealed. Before the first rotation the
 * ring has no signing key and the root signs, as NEXUS always did.
 */
export class KeyRing implements SigningKeySource, SealingKeySource, LinkKeySource {
  private signing: SigningKey[] = [];
  private readonly dataKeys = new Map<SealPurpose, Buffer[]>();
  private dataMaterials: string[] = [];
  private readonly keks: KeyEncryptionKey[];
  private loadedAt = 0;
  private lastUnknownKeyRefresh = 0;
  private refreshing: Promise<void> | null = null;
  private readonly derived = new Map<string, Buffer>();
  /** What the signing keys said at the last read: a change (a rotation elsewhere) tells the listeners. */
  private signingState = '';
  private readonly changeListeners: Array<() => void> = [];

  private constructor(
    private readonly orm: Orm,
    private readonly root: string,
    private readonly previousRoot: string | undefined,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.keks = [keyEncryptionKey(root), ...(previousRoot && previousRoot !== root ? [keyEncryptionKey(previousRoot)] : [])];
  }

  static async open(deps: { orm: Orm; root: string; previousRoot: string | undefined; clock: Clock; logger: Logger }): Promise<KeyRing> {
    const ring = new KeyRing(deps.orm, deps.root, deps.previousRoot, deps.clock, deps.logger);
    await ring.load();
    await ring.ensureDataKeys();
    await ring.ensureCurrentSigningKey();
    return ring;
  }

  // ---- signing

  /** Whether a rotation ever happened (the ring holds signing keys). */
  get started(): boolean {
    return this.signing.length > 0;
  }

  currentSigningKey(): { kid: string | null; material: string } {
    this.refreshInBackground();
    const current = this.signing.find((key) => key.notAfter === null && key.revokedAt === null);
    if (!current) return { kid: null, material: this.root };
    return { kid: current.legacy ? null : current.id, material: current.material };
  }

  async verifyingKeys(kid: string | null): Promise<VerifyingKey[]> {
    await this.fresh();
    let found = this.verifying(kid);
    if (found.length === 0 && kid !== null && Date.now() - this.lastUnknownKeyRefresh >= UNKNOWN_KEY_REFRESH_MS) {
      // Another replica may have rotated a moment ago.
      this.lastUnknownKeyRefresh = Date.now();
      await this.refresh();
      found = this.verifying(kid);
    }
    return found;
  }

  private verifying(kid: string | null): VerifyingKey[] {
    if (!this.started) {
      return kid === null ? [this.root, ...(this.previousRoot ? [this.previousRoot] : [])].map((material) => ({ material, notAfter: null })) : [];
    }
    const now = this.clock().getTime();
    return this.signing
      .filter((key) => (kid === null ? key.legacy : key.id === kid && !key.legacy))
      .filter((key) => key.revokedAt === null && (key.notAfter === null || key.notAfter.getTime() > now))
      .map((key) => ({ material: key.material, notAfter: key.notAfter }));
  }

  linkKeys(purpose: LinkPurpose): { sign: Buffer; verify: readonly Buffer[] } {
    const sign = this.derive(this.currentSigningKey().material, purpose);
    const now = this.clock().getTime();
    const valid = this.started
      ? this.signing.filter((key) => key.revokedAt === null && (key.notAfter === null || key.notAfter.getTime() > now)).map((key) => key.material)
      : [this.root, ...(this.previousRoot ? [this.previousRoot] : [])];
    return { sign, verify: valid.map((material) => this.derive(material, purpose)) };
  }

  private derive(material: string, purpose: string): Buffer {
    const cacheKey = `${purpose}\0${material}`;
    let key = this.derived.get(cacheKey);
    if (!key) {
      if (this.derived.size > 256) this.derived.clear();
      key = deriveKey(material, purpose);
      this.derived.set(cacheKey, key);
    }
    return key;
  }

  // ---- sealing

  sealingKeys(purpose: SealPurpose): SealingKeys {
    const ring = this.dataKeys.get(purpose) ?? [];
    // Values sealed before the ring existed were sealed under keys derived straight from the configured secrets.
    const legacy = [deriveKey(this.root, purpose), ...(this.previousRoot ? [deriveKey(this.previousRoot, purpose)] : [])];
    const open = [...ring, ...legacy.filter((key) => !ring.some((known) => known.equals(key)))];
    return { seal: ring[0] ?? legacy[0]!, open };
  }

  /** Every key value a run's output must never show: roots, signing keys, data keys. */
  secretValues(): string[] {
    return [this.root, ...(this.previousRoot ? [this.previousRoot] : []), ...this.signing.map((key) => key.material), ...this.dataMaterials];
  }

  // ---- loading

  /** Called when a read finds the signing keys changed (what was cached about sessions may no longer hold). */
  onSigningKeysChanged(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  /** Reads the ring again (after a rotation here, or told of one elsewhere). */
  async refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** A read under way (another replica's rotation was just announced) is waited for: its answer may revoke. */
  private async fresh(): Promise<void> {
    if (this.refreshing) await this.refreshing;
    else if (Date.now() - this.loadedAt > REFRESH_MS) await this.refresh();
  }

  private refreshInBackground(): void {
    if (Date.now() - this.loadedAt > REFRESH_MS) this.refresh().catch((err) => this.logger.warn({ err }, 'key ring: could not read the key ring'));
  }

  private unwrap(row: Row): string | null {
    for (const kek of this.keks) {
      const sealed = row.wraps[kek.id];
      if (!sealed) continue;
      const material = openWith([kek.key], [row.id, row.use], sealed);
      if (material !== null) return material;
    }
    return null;
  }

  private async load(): Promise<void> {
    const rows = await this.orm.select().from(keyRing).orderBy(sql`${keyRing.createdAt} DESC, ${keyRing.id}`);
    const signing: SigningKey[] = [];
    const data = new Map<SealPurpose, Buffer[]>();
    const materials: string[] = [];
    let unreadable = 0;
    for (const row of rows) {
      const material = this.unwrap(row);
      if (material === null) {
        unreadable++;
        continue;
      }
      if (!row.wraps[this.keks[0]!.id]) await this.addWrap(row.id, row.use, material, this.keks[0]!);
      if (row.use === 'signing') {
        signing.push({ id: row.id, material, legacy: row.legacy, notAfter: row.notAfter, revokedAt: row.revokedAt });
      } else if (row.purpose && (SEAL_PURPOSES as readonly string[]).includes(row.purpose)) {
        const keys = data.get(row.purpose as SealPurpose) ?? [];
        keys.push(Buffer.from(material, 'base64url'));
        data.set(row.purpose as SealPurpose, keys);
        materials.push(material);
      }
    }
    if (unreadable > 0) {
      this.logger.warn({ unreadable }, 'key ring: some keys are sealed under neither JWT_SECRET_KEY nor JWT_SECRET_KEY_PREVIOUS (the key was changed without keeping the old one as previous)');
    }
    this.signing = signing;
    const state = JSON.stringify(signing.map((key) => [key.id, key.notAfter?.getTime() ?? null, key.revokedAt?.getTime() ?? null]));
    const changed = this.loadedAt > 0 && state !== this.signingState;
    this.signingState = state;
    if (changed) for (const listener of this.changeListeners) listener();
    this.dataKeys.clear();
    for (const [purpose, keys] of data) this.dataKeys.set(purpose, keys);
    this.dataMaterials = materials;
    this.loadedAt = Date.now();
  }

  /** A root changed by hand (the old one kept as previous): wraps the key under the new root too, so the previous can be dropped later. */
  private async addWrap(id: string, use: string, material: string, kek: KeyEncryptionKey): Promise<void> {
    const entry = JSON.stringify({ [kek.id]: sealWith(kek.key, [id, use], material) });
    await this.orm.update(keyRing).set({ wraps: sql`${keyRing.wraps} || ${entry}::jsonb` }).where(eq(keyRing.id, id));
  }

  /**
   * A data key per sealing purpose: the one derived from the root today, so
   * everything already sealed stays readable, and kept in the ring from now
   * on, so a later root (a Kubernetes rotation) still opens it.
   */
  private async ensureDataKeys(): Promise<void> {
    const missing = SEAL_PURPOSES.filter((purpose) => !this.dataKeys.has(purpose));
    if (missing.length === 0) return;
    for (const purpose of missing) {
      await this.insertKey(this.orm, { use: 'data', purpose, material: deriveKey(this.root, purpose).toString('base64url') }, this.keks);
    }
    await this.load();
  }

  /**
   * A ring whose current key no configured secret opens (JWT_SECRET_KEY
   * replaced without JWT_SECRET_KEY_PREVIOUS) starts a new current key: every
   * session ends, as it did when the key was changed that way before the ring.
   */
  private async ensureCurrentSigningKey(): Promise<void> {
    const rows = await this.orm.select({ id: keyRing.id }).from(keyRing).where(eq(keyRing.use, 'signing')).limit(1);
    if (rows.length === 0 || this.signing.some((key) => key.notAfter === null && key.revokedAt === null)) return;
    this.logger.warn('key ring: no configured key opens the current signing key; a new one is current and earlier sessions end');
    try {
      await this.orm.transaction(async (tx) => {
        const now = this.clock();
        await (tx as unknown as Orm).update(keyRing).set({ revokedAt: now }).where(and(eq(keyRing.use, 'signing'), isNull(keyRing.revokedAt)));
        await this.insertKey(tx as unknown as Orm, { use: 'signing', material: newRootSecret() }, this.keks);
      });
    } catch (error) {
      // Another replica started one at the same moment.
      if (!isUniqueViolation(error)) throw error;
    }
    await this.load();
  }

  private async insertKey(
    orm: Orm,
    key: { use: 'signing' | 'data'; purpose?: string; material: string; legacy?: boolean; notAfter?: Date | null; revokedAt?: Date | null },
    keks: readonly KeyEncryptionKey[],
  ): Promise<string> {
    const id = randomUUID();
    const wraps = Object.fromEntries(keks.map((kek) => [kek.id, sealWith(kek.key, [id, key.use], key.material)]));
    await orm.insert(keyRing).values({
      id,
      use: key.use,
      purpose: key.purpose ?? null,
      legacy: key.legacy ?? false,
      wraps,
      notAfter: key.notAfter ?? null,
      revokedAt: key.revokedAt ?? null,
      createdAt: this.clock(),
    });
    return id;
  }

  // ---- rotation

  /**
   * Wraps every key this replica can read under another root's key-encryption
   * key as well (committed on its own): a Kubernetes rotation does this before
   * it writes the new root to the Secret, so pods started with it read the ring.
   */
  async wrapUnder(root: string): Promise<void> {
    const kek = keyEncryptionKey(root);
    const rows = await this.orm.select().from(keyRing);
    for (const row of rows) {
      const material = this.unwrap(row);
      if (material !== null) await this.addWrap(row.id, row.use, material, kek);
    }
  }

  /** Takes back `wrapUnder` when the Secret write was refused: a root no one will have opens nothing. */
  async unwrapFrom(root: string): Promise<void> {
    await this.orm.update(keyRing).set({ wraps: sql`${keyRing.wraps} - ${keyEncryptionKey(root).id}::text` });
  }

  /**
   * Makes a new signing key current, inside the caller's transaction. The
   * keys before it verify for `graceSeconds` more (never longer than they
   * already would), or not at all with `revoke`. Before the first rotation the
   * configured secrets signed; they join the ring as legacy keys so the same
   * grace or revocation applies to what they signed. `nextRoot`: the root
   * the Secret will carry (Kubernetes), `keepRoots` the one it carried
   * (pods started from it run with it); wraps under any other root are
   * dropped, so an old root opens nothing.
   */
  async rotate(tx: Orm, options: { graceSeconds: number; revoke: boolean; nextRoot?: string; keepRoots?: string[] }): Promise<RotationOutcome> {
    const now = this.clock();
    const until = new Date(now.getTime() + options.graceSeconds * 1000);
    // Every root a replica may run with until the rollout ends: the new key must open under each.
    const candidates = [...this.keks, ...[options.nextRoot, ...(options.keepRoots ?? [])].filter((root): root is string => Boolean(root)).map(keyEncryptionKey)];
    const keks = candidates.filter((kek, i) => candidates.findIndex((other) => other.id === kek.id) === i);
    const kept = new Set(keks.map((kek) => kek.id));
    const existing = await tx.select({ id: keyRing.id }).from(keyRing).where(eq(keyRing.use, 'signing')).limit(1);
    if (existing.length === 0) {
      await this.insertKey(tx, { use: 'signing', material: this.root, legacy: true }, keks);
      if (this.previousRoot && this.previousRoot !== this.root) {
        await this.insertKey(tx, { use: 'signing', material: this.previousRoot, legacy: true, notAfter: until, revokedAt: options.revoke ? now : null }, keks);
      }
    }
    const live = and(eq(keyRing.use, 'signing'), isNull(keyRing.revokedAt), or(isNull(keyRing.notAfter), gt(keyRing.notAfter, now)));
    const retired = options.revoke
      ? await tx.update(keyRing).set({ revokedAt: now }).where(live).returning({ id: keyRing.id })
      : await tx
          .update(keyRing)
          .set({ notAfter: sql`LEAST(COALESCE(${keyRing.notAfter}, ${until.toISOString()}::timestamptz), ${until.toISOString()}::timestamptz)` })
          .where(live)
          .returning({ id: keyRing.id });
    let keyId: string;
    try {
      keyId = await this.insertKey(tx, { use: 'signing', material: newRootSecret() }, keks);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('Another rotation changed the key ring at the same moment; look at the rotation history and try again if needed');
      throw error;
    }
    const rows = await tx.select({ id: keyRing.id, wraps: keyRing.wraps }).from(keyRing);
    for (const row of rows) {
      const wraps = Object.fromEntries(Object.entries(row.wraps).filter(([id]) => kept.has(id)));
      // Never drop the last wrap that opens a key (one sealed under a root no longer configured is unreadable already).
      if (Object.keys(wraps).length > 0 && Object.keys(wraps).length < Object.keys(row.wraps).length) {
        await tx.update(keyRing).set({ wraps }).where(eq(keyRing.id, row.id));
      }
    }
    return { keyId, retired: retired.length, revoked: options.revoke, verifiesUntil: options.revoke ? null : until };
  }
}
