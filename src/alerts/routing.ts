import { isUniqueViolation } from '../platform/db/pg-errors.js';
import { ConflictError, NotFoundError } from '../platform/errors.js';
import { matchesAll, validateMatchers, type Labels } from './matchers.js';
import type { CreateRuleBody, Matcher, RoutingRule, UpdateRuleBody } from './schema.js';
import type { AlertStore, NewRule, RuleRow } from './store.js';

/** The built-in runbook (runbooks/nexus-platform.md) whose procedures the default rules name. */
export const DEFAULT_RUNBOOK_SLUG = 'nexus-platform';
/** notify's seed policy (src/notify/defaults.ts DEFAULT_POLICY_NAME), by name: rules store names, not ids. */
export const DEFAULT_ESCALATION_POLICY = 'default';
const DEFAULTS_MARK = 'routing-rules-v1';

/**
 * The seed's Symptoms (shared/seed/nexus-runbooks.md), as the alert names of
 * deploy/prometheus/rules.yml: "5xx / health checks failing" and a target that
 * is down → P1; "error rate > 5%" → P2; "response time > 2 s, high CPU, high
 * memory" → P3. The last rule catches anything else so no alert goes unpaged.
 */
export function defaultRules(): NewRule[] {
  const rule = (position: number, name: string, alertnames: string, severity: string, procedureId: string | null): NewRule => ({
    name,
    position,
    matchers: alertnames ? [{ name: 'alertname', op: '=~', value: alertnames }] : [],
    severity,
    title: procedureId ? name : null,
    service: procedureId ? DEFAULT_RUNBOOK_SLUG : null,
    runbookSlug: procedureId ? DEFAULT_RUNBOOK_SLUG : null,
    procedureId,
    escalationPolicy: DEFAULT_ESCALATION_POLICY,
    category: null,
  });
  return [
    rule(10, 'Critical Service Down', 'NexusTargetDown|NexusHigh5xx|NexusHealthCheckFailing', 'P1', 'p1-critical-service-down'),
    rule(20, 'High Error Rate', 'NexusHighErrorRate', 'P2', 'p2-high-error-rate'),
    rule(30, 'Performance Degradation', 'NexusHighLatencyP95|NexusHighCPU|NexusHighMemory', 'P3', 'p3-performance-degradation'),
    rule(1000, 'Other alerts', '', 'P3', null),
  ];
}

export function toRule(row: RuleRow): RoutingRule {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    matchers: row.matchers as Matcher[],
    severity: row.severity as RoutingRule['severity'],
    title: row.title,
    service: row.service,
    runbook: row.runbookSlug && row.procedureId ? { slug: row.runbookSlug, procedureId: row.procedureId } : null,
    escalationPolicy: row.escalationPolicy,
    category: row.category as RoutingRule['category'],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function columns(body: UpdateRuleBody): Partial<NewRule> {
  const { runbook, ...rest } = body;
  const out: Partial<NewRule> = { ...rest };
  if (runbook !== undefined) {
    out.runbookSlug = runbook?.slug ?? null;
    out.procedureId = runbook?.procedureId ?? null;
  }
  return out;
}

/** Routing rules: CRUD, the seed's defaults, and "which rule does this alert hit". */
export class RoutingService {
  constructor(
    private readonly store: AlertStore,
    /** Told after every change, so cached copies of the rules are dropped. */
    private readonly changed: () => void = () => {},
  ) {}

  /** First match by position wins; null when no rule matches (the alert is stored but pages nobody). */
  static route(rules: RuleRow[], labels: Labels): RuleRow | null {
    return rules.find((r) => matchesAll(r.matchers as Matcher[], labels)) ?? null;
  }

  rules(): Promise<RuleRow[]> {
    return this.store.rules();
  }

  async get(id: string): Promise<RoutingRule> {
    const row = await this.store.rule(id);
    if (!row) throw new NotFoundError('routing rule', id);
    return toRule(row);
  }

  async create(body: CreateRuleBody): Promise<RoutingRule> {
    validateMatchers(body.matchers, 'body/matchers');
    const position = body.position ?? (await this.store.nextPosition());
    const row = await this.named(() => this.store.insertRule({ ...(columns(body) as NewRule), position }));
    this.changed();
    return toRule(row);
  }

  async update(id: string, body: UpdateRuleBody): Promise<RoutingRule> {
    if (body.matchers) validateMatchers(body.matchers, 'body/matchers');
    const row = await this.named(() => this.store.updateRule(id, columns(body)));
    if (!row) throw new NotFoundError('routing rule', id);
    this.changed();
    return toRule(row);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.store.deleteRule(id))) throw new NotFoundError('routing rule', id);
    this.changed();
  }

  /** Once per database: an admin who deletes a default rule does not get it back at the next start. */
  async ensureDefaults(): Promise<boolean> {
    const created = await this.store.applyDefaultsOnce(DEFAULTS_MARK, defaultRules());
    if (created) this.changed();
    return created;
  }

  private async named<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('A routing rule with this name exists');
      throw error;
    }
  }
}
