import type { FastifyInstance, FastifyRequest, onSendHookHandler } from 'fastify';
import { outcomeOf, type AuditService } from './service.js';

function targetOf(request: FastifyRequest): string | null {
  if (request.auditTarget !== undefined) return request.auditTarget;
  const params = request.params as Record<string, unknown> | undefined;
  return typeof params?.id === 'string' ? params.id : null;
}

function actorOf(request: FastifyRequest): string {
  if (request.principal) return request.principal.username;
  if (request.runner) return `runner:${request.runner.name}`;
  if (request.auditActor) return request.auditActor;
  return 'anonymous';
}

/**
 * Writes one audit entry for every request to a route that declares
 * `config.audit`, whatever its outcome (done, refused, invalid, failed).
 * It runs in onSend, before the response leaves, so a client that saw its
 * change succeed can rely on the audit row existing.
 */
export function installAuditRecorder(app: FastifyInstance, audit: AuditService): void {
  const record: onSendHookHandler = async (request, reply, payload) => {
    const action = request.routeOptions.config?.audit;
    if (!action) return payload;
    if (request.routeOptions.config.auditFailuresOnly && reply.statusCode < 400) return payload;
    const principal = request.principal;
    try {
      await audit.record({
        actor: actorOf(request),
        actorId: principal?.userId ?? null,
        action,
        target: targetOf(request),
        outcome: outcomeOf(reply.statusCode),
        statusCode: reply.statusCode,
        requestId: request.id,
        ip: request.ip,
        details: {
          ...(principal?.via === 'token' ? { tokenId: principal.tokenId } : {}),
          ...(request.runner ? { runnerId: request.runner.id } : {}),
          ...request.auditDetails,
        },
      });
    } catch (err) {
      // The change itself is committed; losing its audit row is loud, not silent.
      request.log.error({ err, action }, 'audit entry could not be written');
    }
    return payload;
  };
  // Only on the routes that declare an action: reads (most requests) do not pass through it at all.
  app.addHook('onRoute', (route) => {
    if (!route.config?.audit) return;
    const own = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
    route.onSend = [...own, record];
  });
}
