import type { KeyRing } from '../../platform/auth/key-ring.js';
import type { Clock } from '../../platform/clock.js';
import type { SecretRotationConfig } from '../../platform/config.js';
import type { Database } from '../../platform/db/index.js';
import type { EventBus } from '../../platform/events/index.js';
import type { App } from '../../platform/http/types.js';
import type { Logger } from '../../platform/logger.js';
import { KubernetesRootSecret } from './kubernetes.js';
import { secretRoutes } from './routes.js';
import { SecretRotationService } from './service.js';

export interface SecretsDeps {
  db: Database;
  bus: EventBus;
  clock: Clock;
  keyRing: KeyRing;
  /** This replica's JWT_SECRET_KEY (configured or embedded). */
  rootSecret: string;
  config: SecretRotationConfig;
}

/** Secret rotation (issue 18.6): the service and its routes. */
export function registerSecrets(app: App, deps: SecretsDeps & { logger: Logger }): SecretRotationService {
  const service = new SecretRotationService({
    db: deps.db,
    keyRing: deps.keyRing,
    rootSecret: deps.rootSecret,
    secretStore: deps.config.kubernetes ? new KubernetesRootSecret(deps.config.kubernetes) : null,
    bus: deps.bus,
    logger: deps.logger,
    clock: deps.clock,
    defaultGraceSeconds: deps.config.defaultGraceSeconds,
  });
  secretRoutes(app, service);
  return service;
}
