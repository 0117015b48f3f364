import fs from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';

/**
 * The shipped deploy/prometheus files, made fast enough for a test without
 * retyping them: the expressions, labels, grouping and inhibit rules stay
 * the shipped ones; only durations shrink. A rule edited in rules.yml is the
 * rule this test runs.
 */

const DEPLOY_DIR = path.resolve('deploy/prometheus');

interface AlertRule {
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
}
interface RuleFile {
  groups: Array<{ name: string; rules: AlertRule[] }>;
}

export interface FastRules {
  yaml: string;
  /** Alert name → severity label, as shipped. */
  alerts: Record<string, string>;
  /** Alert name → its expression, shortened. */
  exprs: Record<string, string>;
}

/** A range selector such as `[5m]`; subqueries (`[5m:1m]`) would need more than a shrink and are refused. */
const RANGE = /\[(\d+[smhdwy])(:[^\]]*)?\]/g;

/** rules.yml with every range window set to `window` and every `for:` to `forDuration`. */
export async function fastRules(window: string, forDuration: string): Promise<FastRules> {
  const file = parse(await fs.readFile(path.join(DEPLOY_DIR, 'rules.yml'), 'utf8')) as RuleFile;
  const alerts: Record<string, string> = {};
  const exprs: Record<string, string> = {};
  for (const group of file.groups) {
    for (const rule of group.rules) {
      if (!rule.alert) continue;
      rule.expr = rule.expr.replace(RANGE, (whole: string, _range: string, subquery: string | undefined) => {
        if (subquery) throw new Error(`rules.yml ${rule.alert}: subquery ${whole} is not shortened by this test; teach fastRules about it`);
        return `[${window}]`;
      });
      if (rule.for) rule.for = forDuration;
      alerts[rule.alert] = rule.labels?.severity ?? '';
      exprs[rule.alert] = rule.expr;
    }
  }
  return { yaml: stringify(file), alerts, exprs };
}

interface AmConfig {
  route: Record<string, unknown> & { receiver: string };
  receivers: Array<{ name: string; webhook_configs?: Array<Record<string, unknown>> }>;
  inhibit_rules?: unknown[];
}

/**
 * alertmanager.yml with immediate grouping (`group_wait: 0s`, `group_interval: 1s`)
 * and the NEXUS receiver's webhook pointed at `webhookUrl` (the token travels
 * in `?token=`, the shipped file's documented alternative to a bearer file).
 */
export async function fastAlertmanagerConfig(webhookUrl: string): Promise<string> {
  const config = parse(await fs.readFile(path.join(DEPLOY_DIR, 'alertmanager.yml'), 'utf8')) as AmConfig;
  Object.assign(config.route, { group_wait: '0s', group_interval: '1s', repeat_interval: '4h' });
  const receiver = config.receivers.find((r) => r.name === config.route.receiver);
  const hook = receiver?.webhook_configs?.[0];
  if (!hook) throw new Error(`alertmanager.yml: the route's receiver "${config.route.receiver}" has no webhook_configs`);
  if (hook.send_resolved !== true) throw new Error('alertmanager.yml: the NEXUS webhook must send resolved alerts (send_resolved: true)');
  receiver.webhook_configs = [{ url: webhookUrl, send_resolved: true }];
  return stringify(config);
}
