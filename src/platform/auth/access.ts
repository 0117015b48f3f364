import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AuthenticationError, NotAllowedError } from '../errors.js';
import type { Principal, RunnerPrincipal } from '../http/types.js';
import { hasRole, type Role } from './roles.js';
import type { AuthService } from './service.js';

export const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes that third-party plugins register (Swagger UI assets); public by nature. */
const THIRD_PARTY_PUBLIC_PREFIXES = ['/api/docs'];

export interface RegisteredRoute {
  method: string;
  url: string;
  access: string;
  audit: string | undefined;
  /** The route's JSON schemas, so tests can generate bad input for every field. */
  schema: RouteOptions['schema'];
}

function methodsOf(route: RouteOptions): string[] {
  return Array.isArray(route.method) ? route.method : [route.method];
}

/**
 * Every route must say who may call it, and every mutating route what it is
 * called in the audit log. A route without either fails at registration, so
 * the app (and the test suite) will not start with an unguarded route.
 */
export function enforceRouteDeclarations(app: FastifyInstance, registry: RegisteredRoute[]): void {
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as NonNullable<RouteOptions['config']>;
    if (!config.access && THIRD_PARTY_PUBLIC_PREFIXES.some((prefix) => route.url.startsWith(prefix))) {
      route.config = { ...config, access: 'public' };
    }
    const access = (route.config as typeof config | undefined)?.access;
    const methods = methodsOf(route);
    if (!access) {
      throw new Error(`Route ${methods.join(',')} ${route.url} declares no access role (config.access)`);
    }
    if (methods.some((m) => MUTATING_METHODS.has(m)) && !config.audit) {
      throw new Error(`Mutating route ${methods.join(',')} ${route.url} declares no audit action (config.audit)`);
    }
    for (const method of methods) registry.push({ method, url: route.url, access, audit: config.audit, schema: route.schema });
  });
}

function bearerCredential(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new AuthenticationError('Authorization header must be "Bearer <token>"');
    return match[1]!;
  }
  const inQuery = request.routeOptions.config.tokenInQuery;
  if (inQuery) {
    const param = inQuery === true ? 'access_token' : inQuery;
    const query = request.query as Record<string, unknown> | undefined;
    const fromQuery = new URL(request.url, 'http://x').searchParams.get(param) ?? query?.[param];
    if (typeof fromQuery === 'string' && fromQuery !== '') return fromQuery;
  }
  return null;
}

/** Admits `principal` to a route that needs `access`: the error to answer with, or undefined. */
function admit(request: FastifyRequest, principal: Principal, access: Role): NotAllowedError | undefined {
  request.principal = principal;
  if (hasRole(principal.role, access)) return undefined;
  return new NotAllowedError(`This needs the ${access} role or higher; you are ${principal.role}`, {
    required: access,
    actual: principal.role,
  });
}

/**
 * Credentials of enrolled runners (the runners domain holds them). A
 * runner credential opens `access: 'runner'` routes and nothing else; user
 * credentials never open those.
 */
export interface RunnerCredentials {
  /** Whether the text has the shape of a runner credential (its prefix), before any lookup. */
  isRunnerCredential(credential: string): boolean;
  /** The runner, or null when the credential is unknown or revoked. */
  authenticate(credential: string): Promise<RunnerPrincipal | null>;
}

const RUNNERS_ONLY =
  'Only an enrolled runner may call this, with its own credential (nxr_…): user sessions and API tokens cannot lease, report output or complete steps. ' +
  'An admin enrols a runner with `nexus runners enrol`';
const NOT_FOR_RUNNERS = 'A runner credential opens only the runner protocol (/api/v1/runners/lease, …/steps/…); sign in as a user for this';

/**
 * Authenticates before the body is even parsed, then checks the declared
 * role. Callback style: a credential seen in the last seconds is answered
 * from memory without a promise, which every authenticated request would
 * otherwise pay for.
 */
export function installAuthentication(app: FastifyInstance, auth: AuthService, runners: RunnerCredentials): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('runner', null);
  app.addHook('onRequest', (request, _reply, done) => {
    const access = request.routeOptions.config?.access;
    if (!access || access === 'public') return done();
    let credential: string | null;
    try {
      credential = bearerCredential(request);
    } catch (error) {
      return done(error as Error);
    }
    if (!credential) return done(new AuthenticationError());
    if (runners.isRunnerCredential(credential)) {
      runners.authenticate(credential).then(
        (runner) => {
          if (!runner) return done(new AuthenticationError('Runner credential is invalid or revoked'));
          // Set either way, so a refusal is audited under the runner's name.
          request.runner = runner;
          done(access === 'runner' ? undefined : new NotAllowedError(NOT_FOR_RUNNERS, { required: access }));
        },
        (error: unknown) => done(error as Error),
      );
      return;
    }
    const admitUser = (principal: Principal): Error | undefined => {
      if (access !== 'runner') return admit(request, principal, access);
      request.principal = principal;
      return new NotAllowedError(RUNNERS_ONLY, { required: 'runner', actual: principal.role });
    };
    const known = auth.knownPrincipal(credential);
    if (known) return done(admitUser(known));
    auth.authenticate(credential).then(
      (principal) => done(principal ? admitUser(principal) : new AuthenticationError('Token is invalid, expired or revoked')),
      (error: unknown) => done(error as Error),
    );
  });
}
