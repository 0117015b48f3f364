import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandsOf } from '../model.js';
import { classifyRisk } from '../risk.js';
import { parseRunbook } from '../parser/index.js';
import { lintReport, type Finding } from './index.js';

/**
 * The seed runbook (`shared/seed/nexus-runbooks.md`, copied as a fixture) is
 * the one DESIGN.md §1 says lint must see through; the built-in runbook is
 * the same procedures with every defect fixed. Live SQL and PromQL checks
 * are in test/runbooks/lint-live.test.ts.
 */

const SEED = fs.readFileSync(path.resolve('test/fixtures/runbooks/seed-nexus-runbooks.md'), 'utf8');
const BUILTIN = fs.readFileSync(path.resolve('runbooks/nexus-platform.md'), 'utf8');

/** `rule severity` → the lines it fires on, in order. */
function byRule(findings: Finding[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const f of findings) (out[`${f.rule} ${f.severity}`] ??= []).push(f.line);
  return out;
}

describe('lint on the seed runbook', () => {
  it("finds the seed's real defects, each on its line", async () => {
    const report = await lintReport(parseRunbook(SEED));
    expect(byRule(report.findings)).toEqual({
      // `kubectl logs -f` (P1, P2, Daily, Weekly, Security Breach): the step would never end.
      'never-ends error': [43, 44, 126, 406, 409, 438, 564],
      // Every `kubectl exec -it`.
      'interactive-flag error': [58, 136, 139, 146, 149, 158, 161, 168, 171, 222, 225, 251, 254, 428, 431, 544, 545, 546],
      // P1 step 4: psql "$DATABASE_URL" expands on the runner.
      'remote-var-expands-locally warning': [58],
      // rollout restart, FLUSHDB, --replicas=0, DROP DATABASE, delete pod, secret replacement.
      'destructive-unapproved error': [67, 70, 168, 304, 305, 510, 511, 512, 531, 544, 561, 571, 574],
      'missing-namespace info': [90],
      'grep-exit-status info': [126, 406, 564],
      // The seven Prometheus queries: bash stops at `(`, curl globs `{}`/`[]`.
      'curl-url-unquoted error': [129, 212, 215, 366, 369, 485, 488],
      'shell-syntax error': [129, 212, 215, 366, 369, 485, 488],
      // Istio VirtualService patches without --type=merge.
      'kubectl-patch-crd error': [298, 314, 359, 376, 379, 382],
      // $GREEN_IP (never assigned), $S3_BUCKET, <affected-pod>.
      'unresolved-placeholder warning': [332, 441, 538, 541, 561],
      'docker-on-k8s info': [451, 452],
      'promql-long-range info': [485, 488],
    });
    expect(report.summary).toEqual({ errors: 58, warnings: 6, infos: 8 });
    expect(report.checks).toEqual({ sql: 'skipped', promql: 'skipped' });
  });

  it('says how to fix the worst of them', async () => {
    const findings = await lintReport(parseRunbook(SEED)).then((r) => r.findings);
    const at = (line: number, rule: string) => findings.find((f) => f.line === line && f.rule === rule)!;
    expect(at(129, 'curl-url-unquoted').hint).toBe(
      `write it as: curl -s -G 'http://prometheus:9090/api/v1/query' --data-urlencode 'query=rate(http_requests_total{status=~"5.."}[5m])'`,
    );
    expect(at(58, 'remote-var-expands-locally').hint).toBe(`let the container's shell expand it: -- sh -c 'psql "$DATABASE_URL" -c "SELECT 1;"'`);
    expect(at(332, 'unresolved-placeholder').message).toBe('$GREEN_IP is never assigned by an earlier command of this procedure and is not a declared parameter');
    expect(at(544, 'destructive-unapproved').message).toBe('destructive command (SQL DROP) has no approval gate');
    expect(at(43, 'never-ends')).toMatchObject({ procedureId: 'p1-critical-service-down', message: expect.stringContaining('kubectl logs -f') });
    // $BLUE_IP is assigned by the command before it: not a finding.
    expect(findings.filter((f) => f.line >= 287 && f.line <= 291 && f.rule === 'unresolved-placeholder')).toEqual([]);
  });
});

describe('the built-in runbook runbooks/nexus-platform.md', () => {
  const builtin = parseRunbook(BUILTIN);
  const seed = parseRunbook(SEED);

  it('lints clean: no errors, and no warnings (none are justified, so none are listed)', async () => {
    const report = await lintReport(builtin);
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    // Not even the informational rules fire: namespaces named, no docker on k8s, grep handled, no 30d ranges.
    expect(report.findings).toEqual([]);
  });

  it('keeps the seed procedures: same ids, titles, groups, severities, SLAs, symptoms and phases', () => {
    const shape = (runbook: typeof seed) =>
      runbook.procedures.map((p) => ({
        id: p.id,
        title: p.title,
        group: p.group,
        priority: p.metadata.priority,
        severity: p.metadata.severity,
        response: p.metadata.responseTime?.minutes ?? null,
        resolution: p.metadata.resolutionTime?.minutes ?? null,
        symptoms: p.symptoms.map((s) => s.text),
        phases: p.phases.map((phase) => phase.title),
        steps: p.phases.flatMap((phase) => phase.steps.map((step) => step.title)),
      }));
    expect(shape(builtin)).toEqual(shape(seed));
    expect(builtin.procedures).toHaveLength(11);
    expect(builtin.contacts.map((c) => [c.role, c.value])).toEqual(seed.contacts.map((c) => [c.role, c.value]));
  });

  it('declares every placeholder it uses as a parameter with a description and an example', () => {
    const declared = builtin.frontMatter.parameters as Array<{ name: string; description: string; example: string }>;
    for (const parameter of declared) {
      expect(parameter.description.length, parameter.name).toBeGreaterThan(20);
      expect(String(parameter.example), parameter.name).not.toBe('');
    }
    const used = new Set(builtin.procedures.flatMap((p) => commandsOf(p).flatMap(({ command }) => command.placeholders.map((x) => x.param))));
    // BLUE_IP, GREEN_IP and LATEST_BACKUP are assigned by earlier commands, not asked for.
    const assigned = new Set(builtin.procedures.flatMap((p) => commandsOf(p).flatMap(({ command }) => command.assigns)));
    expect([...used].filter((name) => !assigned.has(name)).sort()).toEqual(declared.map((p) => p.name).sort());
  });

  it('gates exactly its destructive commands behind an approval: the 13 the seed left open', () => {
    const commands = builtin.procedures.flatMap((p) => commandsOf(p).map(({ command }) => command));
    const destructive = commands.filter((c) => classifyRisk(c.text).detected === 'destructive');
    expect(destructive).toHaveLength(13);
    expect(commands.filter((c) => c.annotations.approval)).toEqual(destructive);
  });
});
