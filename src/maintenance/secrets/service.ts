import type { KeyRing } from '../../platform/auth/key-ring.js';
import { newRootSecret } from '../../platform/auth/key-ring.js';
import type { Clock } from '../../platform/clock.js';
import type { Database, Orm } from '../../platform/db/index.js';
import { InputError } from '../../platform/errors.js';
import type { EventBus } from '../../platform/events/index.js';
import type { Logger } from '../../platform/logger.js';
import type { RootSecretStore } from './kubernetes.js';
import type { Rotation, RotateBody } from './schema.js';
import { RotationStore, type RotationRow } from './store.js';

export function toRotation(row: RotationRow): Rotation {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    mode: row.mode as Rotation['mode'],
    graceSeconds: row.graceSeconds,
    verifiesUntil: row.verifiesUntil?.toISOString() ?? null,
    keyId: row.keyId,
    keysRetired: row.keysRetired,
    sessionsRevoked: row.sessionsRevoked,
    tokensRevoked: row.tokensRevoked,
    kubernetesSecret: row.kubernetesSecret,
  };
}

export interface SecretRotationDeps {
  db: Database;
  keyRing: KeyRing;
  /** This replica's JWT_SECRET_KEY: what the Secret keeps as JWT_SECRET_KEY_PREVIOUS. */
  rootSecret: string;
  /** The Kubernetes Secret to write too; null outside Kubernetes. */
  secretStore: RootSecretStore | null;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  defaultGraceSeconds: number;
}

/**
 * The seed's Security Breach step "Rotate Secrets", without a restart: a new
 * signing key is current at once, earlier ones verify for a grace period or
 * not at all, API tokens may be revoked in bulk. In Kubernetes the Secret is
 * written first and the ring changed only once it is accepted (ADR 0012).
 */
export class SecretRotationService {
  private readonly store: RotationStore;
  /** One rotation at a time on this replica; across replicas the ring's one-current-key index decides. */
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SecretRotationDeps) {
    this.store = new RotationStore(deps.db.orm);
  }

  rotate(actor: string, input: RotateBody): Promise<Rotation> {
    const next = this.running.then(() => this.rotateNow(actor, input));
    this.running = next.catch(() => undefined);
    return next;
  }

  private async rotateNow(actor: string, input: RotateBody): Promise<Rotation> {
    const revoke = input.revokePrevious ?? false;
    if (revoke && input.graceSeconds !== undefined) {
      throw new InputError('body/graceSeconds: a rotation that revokes the previous keys has no grace; send one or the other');
    }
    const graceSeconds = revoke ? 0 : (input.graceSeconds ?? this.deps.defaultGraceSeconds);
    const { keyRing, secretStore } = this.deps;

    // The Secret first: until it holds the next root, nothing in NEXUS changes. The ring is wrapped under the
    // next root beforehand (harmless alone: no one has that root yet), so pods started from the new Secret read it.
    const nextRoot = secretStore ? newRootSecret() : undefined;
    let secretPrevious: string | undefined;
    if (secretStore && nextRoot) {
      await keyRing.wrapUnder(nextRoot);
      try {
        secretPrevious = await secretStore.write(nextRoot, this.deps.rootSecret);
      } catch (error) {
        await keyRing.unwrapFrom(nextRoot);
        throw error;
      }
    }

    const row = await this.deps.db.orm
      .transaction(async (tx) => {
        const orm = tx as unknown as Orm;
        const at = this.deps.clock();
        const roots = nextRoot ? { nextRoot, keepRoots: secretPrevious ? [secretPrevious] : [] } : {};
        const outcome = await keyRing.rotate(orm, { graceSeconds, revoke, ...roots });
        const store = new RotationStore(orm);
        const sessionsRevoked = revoke ? await store.endAllSessions(at) : 0;
        const tokensRevoked = input.revokeApiTokens ? await store.revokeAllApiTokens(at) : 0;
        return store.insert({
          at,
          actor,
          mode: revoke ? 'revoke' : 'grace',
          graceSeconds: revoke ? null : graceSeconds,
          verifiesUntil: outcome.verifiesUntil,
          keyId: outcome.keyId,
          keysRetired: outcome.retired,
          sessionsRevoked,
          tokensRevoked,
          kubernetesSecret: Boolean(secretStore),
        });
      })
      .catch((error: unknown) => {
        if (secretStore) {
          // The Secret already holds the next root, and the ring opens under it: pods restarted from it work, and the
          // signing key simply did not change. Rotating again writes the Secret afresh.
          this.deps.logger.error({ err: error, secret: secretStore.where }, 'secret rotation: the Secret was written but the key ring did not change; rotate again');
        }
        throw error;
      });
    await keyRing.refresh();
    const rotation = toRotation(row);
    // Other replicas read the ring at once and drop cached sessions; no key material travels.
    this.deps.bus.publish('secrets.rotated', rotation, { minRole: 'admin' });
    this.deps.logger.info({ rotation: rotation.id, mode: rotation.mode, tokensRevoked: rotation.tokensRevoked }, 'secrets rotated');
    return rotation;
  }

  async history(limit: number, after: [string, string] | null): Promise<RotationRow[]> {
    return this.store.list(limit, after);
  }
}
