import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteAccess, Role } from '../auth/roles.js';

/** Who is calling: a signed-in person (JWT) or an API token acting for one. */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  via: 'session' | 'token';
  tokenId?: string;
  /** When the credential stops being valid (ms since epoch), if it expires. */
  expiresAt?: number;
}

/** An enrolled remote runner calling with its own credential (`nxr_…`) on a `runner` route. */
export interface RunnerPrincipal {
  id: string;
  name: string;
  /** Assigned by an admin at enrolment: the only labels this runner's leases are matched with. */
  labels: Record<string, string>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Minimum role, or 'public'. Required on every route: registration fails without it. */
    access?: RouteAccess;
    /** Audit action name (e.g. `user.create`). Required on every mutating route. */
    audit?: string;
    /**
     * Record only refused, invalid or failed calls, not successes. For machine
     * chatter (runner heartbeats, output batches) whose successes are recorded
     * elsewhere (the step's own start and finish), so the log stays readable.
     */
    auditFailuresOnly?: boolean;
    /**
     * Accept the bearer token in the query: `true` as `?access_token=` (SSE:
     * EventSource cannot set headers), a string names the parameter (`token`
     * for the alert receivers: Alertmanager's webhook_config cannot always set one).
     */
    tokenInQuery?: boolean | 'token';
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** Set on `access: 'runner'` routes instead of `principal`. */
    runner: RunnerPrincipal | null;
    /** What the audit entry names as the target; defaults to the `id` path parameter. */
    auditTarget?: string;
    /** Extra, non-secret facts for the audit entry. */
    auditDetails?: Record<string, unknown>;
    /** Actor name for unauthenticated requests that still deserve a name (login). */
    auditActor?: string;
  }
}


/** The app as route modules see it: schemas give request and reply types. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
