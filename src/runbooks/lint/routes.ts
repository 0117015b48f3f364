import { Type, type Static } from 'typebox';
import { hasRole, type Role } from '../../platform/auth/roles.js';
import { LimitError } from '../../platform/errors.js';
import { ErrorResponse } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import type { RunbookAnalysis } from '../analysis/pool.js';
import { MAX_RUNBOOK_SOURCE } from '../library/schema.js';
import { LintReportSchema } from './schema.js';

/** Up to 2 MiB of Markdown, which JSON escaping (quotes, newlines) makes bigger than the app-wide body limit. */
export const LINT_BODY_LIMIT = 3 * 1024 * 1024;

const LintBody = Type.Object(
  { source: Type.String({ minLength: 1, maxLength: MAX_RUNBOOK_SOURCE, description: 'the Markdown runbook' }) },
  { additionalProperties: false },
);
type LintBody = Static<typeof LintBody>;

export interface LintRouteOptions {
  /** Where lint runs: a worker thread, with a time limit (a 422 past it). */
  analysis: RunbookAnalysis;
  /**
   * NEXUS_LINT_SQL_URL: the database runbooks' SQL runs against, for
   * sql-invalid. Never NEXUS's own (config refuses it): lint is open to
   * viewers, and its answers would map NEXUS's schema. Unset: SQL is not
   * checked live.
   */
  sqlUrl: string | undefined;
  /** Callers below this role get only syntax errors from that database, never what exists in it. */
  sqlDetailRole: Role;
  /**
   * Lints one person may have running or waiting at once (in this process);
   * more is a 429. The queue above is shared: one viewer's flood of slow lints
   * queued everyone's behind it, each holding its source in memory.
   */
  maxPerUser: number;
  /** PROMETHEUS_URL, for promql-invalid. */
  prometheusUrl: string | undefined;
}

/**
 * At most this many lints talk to the live servers at once; the rest wait
 * their turn. Lint is open to viewers, and each check holds its own database
 * connection: many callers must not exhaust the server's connections.
 */
const MAX_CONCURRENT_LINTS = 2;


export function limiter(max: number): <T>(work: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (work) => {
    // A finishing lint hands its slot straight to the next in line, so none is taken twice.
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/**
 * POST /api/v1/runbooks/lint. A read, but with a body, so it is a POST; every
 * POST is audited (runbook.lint) with the counts, never the source.
 */
export function lintRoutes(app: App, options: LintRouteOptions): void {
  const limit = limiter(MAX_CONCURRENT_LINTS);
  const inFlight = new Map<string, number>();
  app.post<{ Body: LintBody }>(
    '/api/v1/runbooks/lint',
    {
      bodyLimit: LINT_BODY_LIMIT,
      schema: {
        tags: ['runbooks'],
        summary: 'Lint a Markdown runbook: findings with rule, severity, line and a fix hint; nothing is stored or run',
        body: LintBody,
        response: { 200: LintReportSchema, '4xx': ErrorResponse, '5xx': ErrorResponse },
      },
      config: { access: 'viewer', audit: 'runbook.lint' },
    },
    async (request) => {
      const role = request.principal?.role ?? 'viewer';
      const sqlDetail = hasRole(role, options.sqlDetailRole) ? 'full' : 'syntax';
      const who = request.principal?.userId ?? '';
      const mine = inFlight.get(who) ?? 0;
      if (mine >= options.maxPerUser) {
        throw new LimitError(`You already have ${mine} lints running or waiting; the limit is ${options.maxPerUser} per person: wait for them to finish`, {
          limit: options.maxPerUser,
        });
      }
      inFlight.set(who, mine + 1);
      let report;
      try {
        report = await limit(() =>
          options.analysis.lint(request.body.source, { databaseUrl: options.sqlUrl, sqlDetail, prometheusUrl: options.prometheusUrl }),
        );
      } finally {
        const left = (inFlight.get(who) ?? 1) - 1;
        if (left > 0) inFlight.set(who, left);
        else inFlight.delete(who);
      }
      request.auditDetails = { bytes: Buffer.byteLength(request.body.source), ...report.summary, checks: report.checks };
      return report;
    },
  );
}
