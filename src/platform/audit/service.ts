import type { EventBus } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { AuditFilter, AuditRow, AuditStore } from './store.js';

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
  outcome: string;
  statusCode: number | null;
  requestId: string | null;
  ip: string | null;
  details: unknown;
}

export function toPublicAuditEntry(row: AuditRow): PublicAuditEntry {
  return { ...row, at: row.at.toISOString(), details: row.details ?? null };
}

export function outcomeOf(statusCode: number): AuditOutcome {
  if (statusCode < 400) return 'success';
  if (statusCode === 401 || statusCode === 403 || statusCode === 429) return 'denied';
  if (statusCode < 500) return 'rejected';
  return 'error';
}

export class AuditService {
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
    const published = toPublicAuditEntry(row);
    this.bus.publish('audit.recorded', published, { minRole: 'admin' });
    this.logger.info({ audit: { action: entry.action, actor: entry.actor, outcome: entry.outcome, target: entry.target } }, 'audit');
    return published;
  }

  async list(filter: AuditFilter, limit: number): Promise<AuditRow[]> {
    return this.store.list(filter, limit + 1);
  }
}
