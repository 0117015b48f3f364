import { randomBytes } from 'node:crypto';
import { AuthenticationError, ConflictError, InputError, NotAllowedError, NotFoundError } from '../errors.js';
import type { EventBus } from '../events/index.js';
import type { Principal } from '../http/types.js';
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { generateApiToken, hashApiToken, looksLikeApiToken } from './api-tokens.js';
import type { SessionTokens } from './jwt.js';
import { burnPasswordCheck, checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.js';
import { hasRole, isRole, roleRank, type Role } from './roles.js';
import type { ApiTokenRow, AuthStore, PublicUser, UserRow, VersionedUsers } from './store.js';


export type { PublicUser } from './store.js';

export interface PublicToken {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  ownerId: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function toPublicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    email: row.email,
    role: row.role as Role,
    disabled: row.disabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toPublicToken(row: ApiTokenRow): PublicToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role as Role,
    ownerId: row.ownerId,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** Tokens are touched at most this often, so a busy runner doesn't write on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface UserChanges {
  role?: Role | undefined;
  disabled?: boolean | undefined;
  displayName?: string | null | undefined;
  email?: string | null | undefined;
  password?: string | undefined;
}

/**
 * How long a resolved principal is reused. Changes that take rights away
 * (disable, demote, revoke, password change) publish an event that clears
 * the cache on every replica at once; the TTL only bounds the case where
 * that event is lost (Redis down between replicas).
 */
const PRINCIPAL_TTL_MS = 5_000;
const PRINCIPAL_CACHE_MAX = 10_000;
const INVALIDATING_EVENTS = new Set(['user.updated', 'user.sessions_revoked', 'token.revoked', 'secrets.rotated']);

export class AuthService {
  /** `keyUntil`: when the key that signed the session stops verifying (on the service's clock, as the key ring reads grace ends). */
  private readonly principals = new Map<string, { principal: Principal; until: number; keyUntil: number }>();

  constructor(
    private readonly store: AuthStore,
    private readonly sessions: SessionTokens,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
  ) {
    bus.subscribe((event) => {
      if (INVALIDATING_EVENTS.has(event.type)) this.principals.clear();
    });
  }

  async login(username: string, password: string): Promise<{ token: string; expiresAt: string; user: PublicUser }> {
    const user = await this.store.userByUsername(username);
    if (!user) {
      await burnPasswordCheck(password);
      throw new AuthenticationError('Unknown username or wrong password');
    }
    const valid = await verifyPassword(user.passwordHash, password);
    // Same answer for a disabled account as for a wrong password: no account probing.
    if (!valid || user.disabled) throw new AuthenticationError('Unknown username or wrong password');
    const { token, expiresAt } = await this.sessions.issue(user.id, user.username, this.clock());
    return { token, expiresAt: expiresAt.toISOString(), user: toPublicUser(user) };
  }

  /** Forgets every cached principal: the key ring changed (a rotation this replica learnt of by reading it). */
  forgetCachedPrincipals(): void {
    this.principals.clear();
  }

  /** The principal of a credential resolved in the last few seconds, from memory; null when it must be looked up. */
  knownPrincipal(credential: string): Principal | null {
    const cached = this.principals.get(credential);
    return cached && cached.until > Date.now() && cached.keyUntil > this.clock().getTime() ? cached.principal : null;
  }

  /** Resolves a bearer credential (session JWT or API token) to a principal, or null. */
  async authenticate(credential: string): Promise<Principal | null> {
    const known = this.knownPrincipal(credential);
    if (known) return known;
    const now = Date.now();
    let keyUntil = Infinity;
    const principal = looksLikeApiToken(credential)
      ? await this.authenticateApiToken(credential)
      : await this.authenticateSession(credential, (until) => (keyUntil = until));
    if (principal) {
      if (this.principals.size >= PRINCIPAL_CACHE_MAX) this.principals.clear();
      this.principals.set(credential, { principal, until: Math.min(now + PRINCIPAL_TTL_MS, principal.expiresAt ?? Infinity), keyUntil });
    }
    return principal;
  }

  private async authenticateSession(credential: string, keyUntil: (ms: number) => void): Promise<Principal | null> {
    const claims = await this.sessions.verify(credential, this.clock().getTime());
    if (!claims) return null;
    if (claims.keyNotAfter) keyUntil(claims.keyNotAfter.getTime());
    const user = await this.store.userById(claims.userId);
    // iat has one-second resolution; sessionsValidAfter is truncated the same way.
    if (!user || user.disabled || claims.issuedAt.getTime() < Math.floor(user.sessionsValidAfter.getTime() / 1000) * 1000) {
      return null;
    }
    return {
      userId: user.id,
      username: user.username,
      role: user.role as Role,
      via: 'session',
      expiresAt: claims.expiresAt.getTime(),
    };
  }

  private async authenticateApiToken(token: string): Promise<Principal | null> {
    const found = await this.store.tokenByHash(hashApiToken(token));
    if (!found) return null;
    const { token: row, owner } = found;
    const now = this.clock();
    if (row.revokedAt || owner.disabled || (row.expiresAt && row.expiresAt <= now)) return null;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      this.store.touchToken(row.id).catch((err) => this.logger.warn({ err }, 'could not record token use'));
    }
    // A token never outranks its owner, even if the owner was demoted after it was made.
    const role = roleRank(row.role as Role) <= roleRank(owner.role as Role) ? (row.role as Role) : (owner.role as Role);
    return {
      userId: owner.id,
      username: owner.username,
      role,
      via: 'token',
      tokenId: row.id,
      ...(row.expiresAt ? { expiresAt: row.expiresAt.getTime() } : {}),
    };
  }

  async createUser(input: {
    username: string;
    password: string;
    role: Role;
    displayName?: string | undefined;
    email?: string | undefined;
  }): Promise<PublicUser> {
    if (await this.store.userByUsername(input.username)) {
      throw new ConflictError(`A user named "${input.username}" already exists`);
    }
    const row = await this.store.insertUser({
      username: input.username,
      role: input.role,
      displayName: input.displayName ?? null,
      email: input.email ?? null,
      passwordHash: await hashPassword(input.password),
    });
    const user = toPublicUser(row);
    this.bus.publish('user.created', user, { minRole: 'admin' });
    return user;
  }

  /**
   * First start: an admin exists afterwards. Returns the generated password
   * (to print once) when none was configured, or null if users already exist.
   */
  async bootstrapAdmin(configured: string | undefined): Promise<{ username: string; password: string | null } | null> {
    if ((await this.store.countUsers()) > 0) return null;
    const password = configured ?? randomBytes(18).toString('base64url');
    const created = await this.store.insertUserIfAbsent({
      username: 'admin',
      role: 'admin',
      displayName: 'Administrator',
      passwordHash: await hashPassword(password),
    });
    if (!created) return null;
    return { username: 'admin', password: configured ? null : password };
  }

  async getUser(id: string): Promise<PublicUser> {
    const row = await this.store.userById(id);
    if (!row) throw new NotFoundError('user', id);
    return toPublicUser(row);
  }

  /**
   * One more than `limit` users, so the caller knows whether a next page
   * exists, read at the users table's current version; `users` is null when
   * that version is still `knownVersion` (nothing changed since that read).
   */
  listUsers(limit: number, afterUsername: string | null, knownVersion: string | null = null): Promise<VersionedUsers> {
    return this.store.usersPage(limit + 1, afterUsername, knownVersion);
  }

  async updateUser(id: string, changes: UserChanges): Promise<PublicUser> {
    const current = await this.store.userById(id);
    if (!current) throw new NotFoundError('user', id);
    const losesAdmin =
      current.role === 'admin' &&
      !current.disabled &&
      ((changes.role !== undefined && changes.role !== 'admin') || changes.disabled === true);
    if (losesAdmin && (await this.store.countOtherEnabledAdmins(id)) === 0) {
      throw new ConflictError('This is the last enabled admin: make another admin first');
    }
    const patch: Parameters<AuthStore['updateUser']>[1] = {};
    if (changes.role !== undefined) patch.role = changes.role;
    if (changes.disabled !== undefined) patch.disabled = changes.disabled;
    if (changes.displayName !== undefined) patch.displayName = changes.displayName;
    if (changes.email !== undefined) patch.email = changes.email;
    if (changes.password !== undefined) {
      patch.passwordHash = await hashPassword(changes.password);
      patch.sessionsValidAfter = this.clock();
    }
    const row = await this.store.updateUser(id, patch);
    if (!row) throw new NotFoundError('user', id);
    const user = toPublicUser(row);
    this.bus.publish('user.updated', user, { minRole: 'admin' });
    return user;
  }

  /** Signs the user out everywhere: every session JWT issued before now stops working. */
  async revokeSessions(id: string): Promise<void> {
    const row = await this.store.updateUser(id, { sessionsValidAfter: this.clock() });
    if (!row) throw new NotFoundError('user', id);
    this.bus.publish('user.sessions_revoked', { id }, { minRole: 'admin' });
  }

  async changeOwnPassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.store.userById(principal.userId);
    if (!user) throw new NotFoundError('user', principal.userId);
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new InputError('currentPassword is wrong');
    }
    checkPasswordPolicy(newPassword, 'newPassword');
    if (newPassword === currentPassword) throw new InputError('newPassword must differ from currentPassword');
    await this.updateUser(user.id, { password: newPassword });
  }

  async createToken(
    principal: Principal,
    input: { name: string; role?: Role | undefined; expiresInDays?: number | undefined },
  ): Promise<{ token: string; info: PublicToken }> {
    const role = input.role ?? principal.role;
    if (!isRole(role) || !hasRole(principal.role, role)) {
      throw new NotAllowedError(`A token cannot outrank its creator: you are ${principal.role}, asked for ${role}`);
    }
    const generated = generateApiToken();
    const expiresAt = input.expiresInDays
      ? new Date(this.clock().getTime() + input.expiresInDays * 86_400_000)
      : null;
    const row = await this.store.insertToken({
      name: input.name,
      role,
      ownerId: principal.userId,
      tokenHash: generated.hash,
      prefix: generated.prefix,
      expiresAt,
    });
    const info = toPublicToken(row);
    this.bus.publish('token.created', info, { minRole: 'admin' });
    return { token: generated.token, info };
  }

  async listTokens(principal: Principal, scope: 'mine' | 'all', limit: number, after: [string, string] | null) {
    if (scope === 'all' && principal.role !== 'admin') {
      throw new NotAllowedError('Listing every user\'s tokens needs the admin role');
    }
    return this.store.listTokens(scope === 'all' ? null : principal.userId, limit + 1, after);
  }

  async revokeToken(principal: Principal, id: string): Promise<PublicToken> {
    const row = await this.store.tokenById(id);
    // Someone else's token is "not found" to a non-admin: no probing of ids.
    if (!row || (row.ownerId !== principal.userId && principal.role !== 'admin')) {
      throw new NotFoundError('token', id);
    }
    if (row.revokedAt) return toPublicToken(row);
    const revoked = await this.store.revokeToken(id);
    const info = toPublicToken(revoked ?? row);
    this.bus.publish('token.revoked', info, { minRole: 'admin' });
    return info;
  }
}
