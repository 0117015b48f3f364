import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AuthenticationError, NotAllowedError } from '../errors.js';
import type { Principal } from '../http/types.js';
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
 * Authenticates before the body is even parsed, then checks the declared
 * role. Callback style: a credential seen in the last seconds is answered
 * from memory without a promise, which every authenticated request would
 * otherwise pay for.
 */
export function installAuthentication(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('principal', null);
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
    const known = auth.knownPrincipal(credential);
    if (known) return done(admit(request, known, access));
    auth.authenticate(credential).then(
      (principal) => done(principal ? admit(request, principal, access) : new AuthenticationError('Token is invalid, expired or revoked')),
      (error: unknown) => done(error as Error),
    );
  });
}
