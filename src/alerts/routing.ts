import { isUniqueViolation } from '../platform/db/pg-errors.js';
import { ConflictError, NotFoundError } from '../platform/errors.js';
import type { AlertsConfig, Priority } from '../platform/config.js';
import { matchesAll, validateMatchers, type Labels } from './matchers.js';
import type { CreateRuleBody, Matcher, RoutingRule, UpdateRuleBody } from './schema.js';
import type { AlertStore, DefaultsApplied, NewRule, RuleRow } from './store.js';

/** The built-in runbook (runbooks/nexus-platform.md) whose procedures the default rules name. */
export const DEFAULT_RUNBOOK_SLUG = 'nexus-platform';
/** notify's seed policy (src/notify/defaults.ts DEFAULT_POLICY_NAME), by name: rules store names, not ids. */
export const DEFAULT_ESCALATION_POLICY = 'default';
/** The set of default rules this version creates or upgrades to (`alert_defaults`). */
const DEFAULTS_MARK = 'routing-rules-v2';
const V1_MARK = 'routing-rules-v1';

type Version = 1 | 2;

function defaultRule(version: Version, position: number, name: string, alertnames: string, severity: string | null, procedureId: string | null): NewRule {
  return {
    name,
    position,
    matchers: alertnames ? [{ name: 'alertname', op: '=~', value: alertnames }] : [],
    severity,
    // v1 titled incidents with the rule's name, so two P1s of different causes read alike; v2 lets the alert name it.
    title: version === 1 && procedureId ? name : null,
    service: procedureId ? DEFAULT_RUNBOOK_SLUG : null,
    runbookSlug: procedureId ? DEFAULT_RUNBOOK_SLUG : null,
    procedureId,
    escalationPolicy: DEFAULT_ESCALATION_POLICY,
    category: null,
  };
}

/**
 * The seed's Symptoms (shared/seed/nexus-runbooks.md), as the alert names of
 * deploy/prometheus/rules.yml: "5xx / health checks failing" and a target that
 * is down → P1; "error rate > 5%" → P2; "response time > 2 s, high CPU, high
 * memory" → P3. The last rule catches anything else so no alert goes unpaged:
 * in v1 always as P3, in v2 with the alert's own severity and no procedure
 * (an unrelated one would mislead).
 */
export function defaultRules(version: Version = 2): NewRule[] {
  const rule = (...args: [number, string, string, string | null, string | null]) => defaultRule(version, ...args);
  return [
    rule(10, 'Critical Service Down', 'NexusTargetDown|NexusHigh5xx|NexusHealthCheckFailing', 'P1', 'p1-critical-service-down'),
    rule(20, 'High Error Rate', 'NexusHighErrorRate', 'P2', 'p2-high-error-rate'),
    rule(30, 'Performance Degradation', 'NexusHighLatencyP95|NexusHighCPU|NexusHighMemory', 'P3', 'p3-performance-degradation'),
    rule(1000, 'Other alerts', '', version === 1 ? 'P3' : null, null),
  ];
}

/** The rule's columns that a default sets; a stored rule differing in any was changed by an admin. */
const DEFAULT_COLUMNS = ['name', 'position', 'matchers', 'severity', 'title', 'service', 'runbookSlug', 'procedureId', 'escalationPolicy', 'category'] as const;

/** A column's value to compare: matchers by their fields, since jsonb does not keep the order of keys. */
function comparable(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify((value as Matcher[]).map((m) => [m.name, m.op, m.value]));
  return JSON.stringify(value ?? null);
}

/** Whether a stored rule is still exactly as v1 created it. */
export function untouchedDefault(row: RuleRow, v1: NewRule): boolean {
  return DEFAULT_COLUMNS.every((column) => comparable(row[column]) === comparable(v1[column]));
}

/**
 * The priority an alert gives itself: its `severity` label through the map
 * (any case), else the default. A Map, not the object: a label value such
 * as `constructor` must not find something on Object's prototype.
 */
export function severityFromLabels(config: Pick<AlertsConfig, 'severityMap' | 'defaultSeverity'>): (labels: Labels) => Priority {
  const map = new Map(Object.entries(config.severityMap));
  return (labels) => map.get((labels.severity ?? '').trim().toLowerCase()) ?? config.defaultSeverity;
}

export function toRule(row: RuleRow): RoutingRule {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    matchers: row.matchers as Matcher[],
    severity: (row.severity ?? null) as RoutingRule['severity'],
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

  /**
   * Once per database: an admin who deletes a default rule does not get it
   * back at the next start. A database that has the v1 defaults gets each
   * v1 rule still exactly as created upgraded to v2; one an admin changed
   * (or deleted) stays as the admin left it. Answers what it did.
   */
  async ensureDefaults(): Promise<DefaultsApplied | null> {
    const applied = await this.store.applyDefaultsOnce(DEFAULTS_MARK, defaultRules(2), { mark: V1_MARK, rules: defaultRules(1), untouched: untouchedDefault });
    if (applied) this.changed();
    return applied;
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
