import type { EventBus } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { AuditFilter, AuditRow, AuditStore } from './store.js';
import { AuditTargetNames, type TargetNamer } from './targets.js';

export type AuditOutcome = 'success' | 'denied' | 'rejected' | 'error';

export interface AuditEntry {
  actor: string;
  actorId?: string | null | undefined;
  action: string;
  target?: string | null | undefined;
  outcome: AuditOutcome;
  statusCode?: number | null | undefined;
  requestId?: string | null | undefined;
  ip?: string | null | undefined;
  details?: Record<string, unknown> | null | undefined;
}

export interface PublicAuditEntry {
  id: number;
  at: string;
  actor: string;
  actorId: string | null;
  action: string;
  target: string | null;
  /** The target's name today (an incident's title, a channel's name); null when unknown or deleted. */
  targetLabel: string | null;
  outcome: string;
  statusCode: number | null;
  requestId: string | null;
  ip: string | null;
  details: unknown;
}

export function toPublicAuditEntry(row: AuditRow, targetLabel: string | null = null): PublicAuditEntry {
  return { ...row, at: row.at.toISOString(), targetLabel, details: row.details ?? null };
}

export function outcomeOf(statusCode: number): AuditOutcome {
  if (statusCode < 400) return 'success';
  if (statusCode === 401 || statusCode === 403 || statusCode === 429) return 'denied';
  if (statusCode < 500) return 'rejected';
  return 'error';
}

export class AuditService {
  private readonly targets = new AuditTargetNames();

  constructor(
    private readonly store: AuditStore,
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  async record(entry: AuditEntry): Promise<PublicAuditEntry> {
    const row = await this.store.insert({
      actor: entry.actor,
      actorId: entry.actorId ?? null,
      action: entry.action,
      target: entry.target ?? null,
      outcome: entry.outcome,
      statusCode: entry.statusCode ?? null,
      requestId: entry.requestId ?? null,
      ip: entry.ip ?? null,
      details: entry.details ?? null,
    });
    const published = toPublicAuditEntry(row, (await this.targets.label([row]))(row));
    this.bus.publish('audit.recorded', published, { minRole: 'admin' });
    this.logger.info({ audit: { action: entry.action, actor: entry.actor, outcome: entry.outcome, target: entry.target } }, 'audit');
    return published;
  }

  /** Up to `limit` entries and one more (to tell whether a next page exists), each with its target's name. */
  async list(filter: AuditFilter, limit: number): Promise<PublicAuditEntry[]> {
    const rows = await this.store.list(filter, limit + 1);
    const labelOf = await this.targets.label(rows);
    return rows.map((row) => toPublicAuditEntry(row, labelOf(row)));
  }

  /** How a domain names what its actions act on (`incident` → titles); see targets.ts. */
  nameTargets(thing: string, namer: TargetNamer): void {
    this.targets.register(thing, namer);
  }
}
