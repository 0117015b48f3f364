import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { TIMESTAMP_YEARS_PATTERN } from './schemas.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** "body/role must be equal to one of the allowed values: viewer, responder, …" */
function describeIssue(context: string, issue: ValidationIssue): { path: string; message: string } {
  const where = `${context}${issue.instancePath ?? ''}`;
  const params = issue.params ?? {};
  let message = issue.message ?? 'is invalid';
  if (issue.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    message = `must be one of: ${params.allowedValues.join(', ')}`;
  } else if (issue.keyword === 'required' && typeof params.missingProperty === 'string') {
    return { path: `${where}/${params.missingProperty}`, message: 'is required' };
  } else if (issue.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return { path: `${where}/${params.additionalProperty}`, message: 'is not a known field' };
  } else if (issue.keyword === 'pattern' && params.pattern === TIMESTAMP_YEARS_PATTERN) {
    message = 'must be a date-time in the years 1970 to 9999';
  }
  return { path: where, message };
}

/** Fastify's own client errors, by code, with the status and our code for each. */
const FASTIFY_CLIENT_ERRORS: Record<string, [number, string, string?]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Content-Type must be application/json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'Body is empty but Content-Type is application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_request', 'Content-Length does not match the body'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json'],
  FST_ERR_RATE_LIMIT_EXCEEDED: [429, 'rate_limited'],
};

/** PostgreSQL error classes that mean "the input was wrong", should a check ever be missed. */
function fromDatabaseError(error: { code?: unknown; cause?: unknown }): [number, string, string] | null {
  // Drizzle wraps driver errors; the SQLSTATE is on the cause.
  const source = (error.cause ?? error) as { code?: unknown };
  const code = typeof source.code === 'string' && /^[0-9A-Z]{5}$/.test(source.code) ? source.code : '';
  if (code === '23505') return [409, 'conflict', 'A record with the same unique value already exists'];
  if (code === '23503') return [409, 'conflict', 'The record refers to something that does not exist'];
  if (code === '23514') return [400, 'invalid_input', 'A value violates a data constraint'];
  if (code.startsWith('22')) return [400, 'invalid_input', 'A value has the wrong form or is out of range'];
  return null;
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/** One handler for the whole app: domain errors, validation, parser errors, and the rest. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.statusCode >= 500) request.log.error({ err: error }, 'request failed');
      return sendError(reply, error.statusCode, error.code, error.message, error.details);
    }
    if (error.validation) {
      const issues = (error.validation as ValidationIssue[]).map((issue) =>
        describeIssue(error.validationContext ?? 'request', issue),
      );
      const first = issues[0];
      const message = first ? `Invalid request: ${first.path} ${first.message}` : 'Invalid request';
      return sendError(reply, 400, 'validation_failed', message, { issues });
    }
    const known = error.code ? FASTIFY_CLIENT_ERRORS[error.code] : undefined;
    if (known) {
      return sendError(reply, known[0], known[1], known[2] ?? error.message);
    }
    const fromDb = fromDatabaseError(error);
    if (fromDb) {
      request.log.warn({ err: error }, 'database rejected input');
      return sendError(reply, fromDb[0], fromDb[1], fromDb[2]);
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, error.statusCode, 'invalid_request', error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    // No internals in the body: the request id finds the log line.
    return sendError(reply, 500, 'internal', `Internal error (request id ${request.id})`);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`),
  );
}
