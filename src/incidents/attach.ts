import { NotFoundError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { ParsedRunbook, Procedure } from '../runbooks/index.js';
import type { Severity } from './schema.js';

/** What incidents need of the runbook library (RunbookLibrary satisfies it). */
export interface RunbookSource {
  getVersion(idOrSlug: string, version?: number): Promise<{ runbook: { slug: string }; version: number; parsed: ParsedRunbook }>;
}

/** The built-in runbook whose P1/P2/P3 procedures an incident gets when nothing else is named. */
export const DEFAULT_RUNBOOK = 'nexus-platform';

/** The seed's targets (minutes), used when a procedure does not state its own. */
export const SLA_DEFAULTS: Record<Severity, { response: number; resolution: number }> = {
  P1: { response: 15, resolution: 60 },
  P2: { response: 30, resolution: 120 },
  P3: { response: 60, resolution: 240 },
};

export interface Attachment {
  runbookSlug: string | null;
  runbookVersion: number | null;
  procedureId: string | null;
  procedureTitle: string | null;
  responseMinutes: number;
  resolutionMinutes: number;
}

export function slaOf(severity: Severity, procedure: Procedure | null): { responseMinutes: number; resolutionMinutes: number } {
  // Targets belong to a severity: a procedure written for another priority does not set them.
  const own = procedure && (procedure.metadata.priority === null || procedure.metadata.priority === severity) ? procedure.metadata : null;
  return {
    responseMinutes: own?.responseTime?.minutes ?? SLA_DEFAULTS[severity].response,
    resolutionMinutes: own?.resolutionTime?.minutes ?? SLA_DEFAULTS[severity].resolution,
  };
}

async function find(source: RunbookSource, slug: string, pick: (p: Procedure) => boolean) {
  const found = await source.getVersion(slug);
  const procedure = found.parsed.procedures.find(pick);
  return procedure ? { slug: found.runbook.slug, version: found.version, procedure } : null;
}

/**
 * The named procedure; with none named and `fallback`, the default
 * runbook's procedure of this priority. `strict` (a person named it) turns a
 * missing one into a 404; an alert still opens its incident without a
 * runbook, since paging matters more. Alerts get no fallback: a procedure
 * chosen by priority alone is for another problem (issue 16), while a
 * person opening an incident by hand may want the priority's checklist.
 */
export async function attachRunbook(
  source: RunbookSource,
  severity: Severity,
  ref: { slug: string; procedureId: string } | undefined,
  options: { strict: boolean; fallback: boolean; logger: Logger },
): Promise<Attachment> {
  let hit: Awaited<ReturnType<typeof find>> = null;
  try {
    if (ref) hit = await find(source, ref.slug, (p) => p.id === ref.procedureId);
    if (ref && !hit && options.strict) throw new NotFoundError('procedure', `${ref.slug}#${ref.procedureId}`);
    if (!ref && options.fallback) hit = await find(source, DEFAULT_RUNBOOK, (p) => p.metadata.priority === severity);
    if (ref && !hit) options.logger.warn({ severity, ref }, 'the procedure named for the incident does not exist; none attached');
  } catch (error) {
    if (options.strict && ref) throw error;
    options.logger.warn({ err: error, severity, ref }, 'no runbook procedure attached to the incident');
  }
  return {
    runbookSlug: hit?.slug ?? null,
    runbookVersion: hit?.version ?? null,
    procedureId: hit?.procedure.id ?? null,
    procedureTitle: hit?.procedure.title ?? null,
    ...slaOf(severity, hit?.procedure ?? null),
  };
}
