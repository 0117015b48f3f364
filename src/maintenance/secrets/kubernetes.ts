import { ApiException, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { SecretRotationConfig } from '../../platform/config.js';
import { AppError, ConflictError } from '../../platform/errors.js';
import { kubeStatusMessage, loadKubeConfig } from '../../platform/kubernetes.js';

type SecretTarget = NonNullable<SecretRotationConfig['kubernetes']>;

/** Where a rotation writes the next root: the Kubernetes Secret the pods take JWT_SECRET_KEY from. */
export interface RootSecretStore {
  /** Human-readable, e.g. `secrets/nexus-secrets in nexus-platform`. */
  readonly where: string;
  /**
   * Writes `next` as JWT_SECRET_KEY and what the Secret held until now as
   * JWT_SECRET_KEY_PREVIOUS (`fallbackPrevious` when it held none), and
   * answers that previous value. Throws an AppError naming any refusal.
   */
  write(next: string, fallbackPrevious: string): Promise<string>;
}

/**
 * Writes JWT_SECRET_KEY (the next root) and JWT_SECRET_KEY_PREVIOUS (this
 * one) into the Secret as a JSON merge patch of `data` carrying the
 * resourceVersion just read: the Secret's other keys stay, and a Secret
 * someone changed in between is refused (409) rather than overwritten. No
 * retry: a concurrent writer of the Secret is a person or another rotation,
 * and the admin should look before rotating again.
 */
export class KubernetesRootSecret implements RootSecretStore {
  readonly where: string;
  private readonly core: CoreV1Api;

  constructor(private readonly target: SecretTarget) {
    this.core = loadKubeConfig(target.kubeconfig).makeApiClient(CoreV1Api);
    this.where = `secrets/${target.secretName} in ${target.namespace}`;
  }

  async write(next: string, fallbackPrevious: string): Promise<string> {
    const name = this.target.secretName;
    const namespace = this.target.namespace;
    let resourceVersion: string | undefined;
    let held: string | undefined;
    try {
      const secret = await this.core.readNamespacedSecret({ name, namespace });
      resourceVersion = secret.metadata?.resourceVersion;
      const current = secret.data?.JWT_SECRET_KEY;
      held = current ? Buffer.from(current, 'base64').toString('utf8').trim() || undefined : undefined;
    } catch (error) {
      throw this.refusal('reading', error);
    }
    // What pods started since the last rotation run with (maybe not this replica's root, if it has not restarted yet).
    const previous = held ?? fallbackPrevious;
    const body = {
      metadata: { resourceVersion },
      data: { JWT_SECRET_KEY: Buffer.from(next).toString('base64'), JWT_SECRET_KEY_PREVIOUS: Buffer.from(previous).toString('base64') },
    };
    try {
      await this.core.patchNamespacedSecret({ name, namespace, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    } catch (error) {
      throw this.refusal('writing', error);
    }
    return previous;
  }

  private refusal(doing: string, error: unknown): AppError {
    const nothing = 'nothing was rotated (NEXUS keeps its current keys)';
    if (error instanceof ApiException) {
      if (error.code === 409) {
        return new ConflictError(`${this.where} changed while NEXUS was writing it (409 Conflict: ${kubeStatusMessage(error, 300)}); ${nothing}. Check who else changes it, then rotate again`);
      }
      return new AppError(502, 'kubernetes_refused', `The Kubernetes API refused ${doing} ${this.where} (${error.code}: ${kubeStatusMessage(error, 300)}); ${nothing}`, {
        status: error.code,
      });
    }
    const reason = (error as Error).message?.split('\n')[0]?.slice(0, 200) ?? String(error);
    return new AppError(502, 'kubernetes_unreachable', `Could not reach the Kubernetes API ${doing} ${this.where} (${reason}); ${nothing}`);
  }
}
