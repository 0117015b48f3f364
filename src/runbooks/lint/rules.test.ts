import { describe, expect, it } from 'vitest';
import { procedure, runbookOf, runbookWith, type CommandSpec } from '../../../test/support/runbook-model.js';
import { lintReport, lintRunbook, type Finding } from './index.js';

/** The findings of one rule for a runbook of these commands (one procedure, lines 10, 11, …). */
async function findings(rule: string, commands: Array<CommandSpec | string>, frontMatter: Record<string, unknown> = {}): Promise<Finding[]> {
  return (await lintRunbook(runbookOf(commands, frontMatter))).filter((f) => f.rule === rule);
}

const lines = (list: Finding[]) => list.map((f) => f.line);

describe('curl-url-unquoted', () => {
  it("flags the seed's unquoted Prometheus URL and gives the corrected command", async () => {
    const [finding, ...rest] = await findings('curl-url-unquoted', [
      'curl -s http://prometheus:9090/api/v1/query?query=rate(http_requests_total{status=~"5.."}[5m])',
    ]);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'error', line: 10, procedureId: 'proc', commandId: 'proc-c1' });
    expect(finding!.message).toContain('the shell reads the unquoted ? ( { } [ ] )');
    expect(finding!.message).toContain('curl expands { } [ ] in a URL as its own glob');
    expect(finding!.hint).toBe(
      `write it as: curl -s -G 'http://prometheus:9090/api/v1/query' --data-urlencode 'query=rate(http_requests_total{status=~"5.."}[5m])'`,
    );
  });

  it('keeps the whole expression when a space split the URL', async () => {
    const [finding] = await findings('curl-url-unquoted', [
      'curl -s http://prometheus:9090/api/v1/query?query=histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m]))',
    ]);
    expect(finding!.message).toContain('an unquoted space cuts the URL in two arguments');
    expect(finding!.hint).toContain(`--data-urlencode 'query=histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m]))'`);
  });

  it('flags a quoted URL that curl itself would glob, unless --globoff is given', async () => {
    const globbed = await findings('curl-url-unquoted', [`curl -s 'http://prometheus:9090/api/v1/query?query=up[5m]'`]);
    expect(globbed.map((f) => f.message)).toEqual([expect.stringContaining('curl expands [ ] in a URL as its own glob')]);
    expect(globbed[0]!.message).not.toContain('the shell reads');
    expect(await findings('curl-url-unquoted', [`curl -sg 'http://prometheus:9090/api/v1/query?query=up[5m]'`])).toEqual([]);
    expect(await findings('curl-url-unquoted', [`curl --globoff 'http://x/a{b}'`])).toEqual([]);
  });

  it('accepts quoted URLs, -G --data-urlencode and variables in the host', async () => {
    const ok = await findings('curl-url-unquoted', [
      `curl -s -G 'http://prometheus:9090/api/v1/query' --data-urlencode 'query=rate(http_requests_total{status=~"5.."}[5m])'`,
      'curl -f http://$BLUE_IP/health',
      'curl -f "http://${NEXUS_HOST}/api/health"',
      `curl -s 'http://localhost:8080/api/v1/me?x=1'`,
    ]);
    expect(ok).toEqual([]);
  });

  it('applies to wget too (which does not glob, so only the shell matters)', async () => {
    const list = await findings('curl-url-unquoted', ['wget -qO- http://host/metrics?name=x', `wget -qO- 'http://host/a[1]'`]);
    expect(lines(list)).toEqual([10]);
  });
});

describe('never-ends', () => {
  it('flags follow, watch and interactive monitors with no timeout', async () => {
    const list = await findings('never-ends', [
      'kubectl logs -f deployment/nexus-backend -n nexus-platform --tail=100',
      'kubectl logs --follow deployment/nexus-backend | grep ERROR',
      'tail -f /var/log/nginx/access.log',
      'tail -fn100 /var/log/syslog',
      'watch kubectl get pods',
      'kubectl get pods -n nexus-platform -w',
      'top',
      'kubectl exec deploy/nexus-backend -- tail -F /app/log',
      'journalctl -u nexus -f',
      'ping 10.0.0.1',
      'kubectl port-forward svc/nexus-backend 8080:80',
    ]);
    expect(lines(list)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(list[0]).toMatchObject({ severity: 'error' });
    expect(list[0]!.message).toBe('kubectl logs -f follows the log and never exits on its own, so the step hangs with no timeout');
    expect(list[0]!.hint).toContain('--since=10m or --tail=200 without -f');
  });

  it('accepts bounded reads and commands with a timeout', async () => {
    const list = await findings('never-ends', [
      'kubectl logs deployment/nexus-backend -n nexus-platform --tail=100',
      'kubectl logs --since=10m deployment/nexus-backend',
      { text: 'kubectl logs -f deployment/nexus-nginx', annotations: { timeoutSeconds: 60 } },
      'timeout 30s kubectl logs -f deployment/nexus-nginx',
      'timeout -s INT 5m tail -f /var/log/x',
      'top -b -n 1',
      'kubectl top pods -n nexus-platform',
      'kubectl apply -f k8s/manifests/',
      'ping -c 3 10.0.0.1',
      'tail -n 100 /var/log/x',
      'kubectl logs --follow=false deployment/x',
      'kubectl get pods -owide -n nexus-platform',
      'kubectl logs -lapp=nexus-backend --tail=50',
    ]);
    expect(list).toEqual([]);
  });
});

describe('interactive-flag', () => {
  it('flags -it, -t, --stdin and kubectl edit', async () => {
    const list = await findings('interactive-flag', [
      'kubectl exec -it deployment/nexus-redis -n nexus-platform -- redis-cli info',
      'kubectl exec deployment/nexus-redis -ti -- redis-cli info',
      'docker exec -it nexus-postgres psql',
      'kubectl run debug --image=busybox --stdin --rm',
      'kubectl exec -t pod/x -- ls',
      'kubectl edit deployment/nexus-backend -n nexus-platform',
      'kubectl exec -it deployment/nexus-postgres -- psql < /tmp/backup.sql',
      'kubectl exec -i deployment/nexus-postgres -- psql',
    ]);
    expect(lines(list)).toEqual([10, 11, 12, 13, 14, 15, 16, 17]);
    expect(list[0]!.message).toBe('kubectl exec -it asks for a terminal/stdin that a runner cannot provide');
  });

  it('ignores flags that belong to the command run inside the container', async () => {
    const list = await findings('interactive-flag', [
      'kubectl exec deployment/nexus-postgres -n nexus-platform -- psql -c "SELECT 1;"',
      'kubectl exec -i deployment/nexus-postgres -- psql -d nexus_platform < /tmp/backup.sql',
      'gunzip -c /tmp/backup.sql.gz | kubectl exec --stdin deployment/nexus-postgres -- psql',
      'kubectl exec pod/x -- ls -it /tmp',
      'docker exec nexus-postgres ls -t',
      'docker run --rm -v /a:/b alpine ls -t',
      'kubectl get pods -n nexus-platform -o wide',
    ]);
    expect(list).toEqual([]);
  });
});

describe('destructive-unapproved', () => {
  const destructive = [
    'kubectl exec deployment/nexus-postgres -- psql -c "DROP DATABASE nexus_platform;"',
    'kubectl exec deployment/nexus-redis -- redis-cli FLUSHDB',
    'kubectl delete pod nexus-backend-1 -n nexus-platform',
    'kubectl scale deployment nexus-backend --replicas=0 -n nexus-platform',
    'kubectl rollout restart deployment/nexus-backend -n nexus-platform',
    'kubectl create secret generic s --from-literal=K=v --dry-run=client -o yaml | kubectl apply -f -',
  ];

  it('flags each destructive command that has no approval annotation, naming only what makes it destructive', async () => {
    const list = await findings('destructive-unapproved', destructive);
    expect(lines(list)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(list.map((f) => f.message)).toEqual([
      'destructive command (SQL DROP) has no approval gate',
      'destructive command (Redis FLUSHDB/FLUSHALL empties the cache) has no approval gate',
      'destructive command (kubectl delete) has no approval gate',
      'destructive command (scales to zero replicas) has no approval gate',
      'destructive command (restarts every pod of a deployment) has no approval gate',
      'destructive command (replaces a secret) has no approval gate',
    ]);
    expect(list[0]!.hint).toContain('# nexus: approval');
  });

  it('accepts approved commands, an author who classified the command lower, and look-alike reads', async () => {
    const list = await findings('destructive-unapproved', [
      ...destructive.map((text) => ({ text, annotations: { approval: true } })),
      { text: 'kubectl delete pod scratch-1', annotations: { risk: 'change' as const } },
      'kubectl scale deployment nexus-backend --replicas=3 -n nexus-platform',
      'kubectl auth can-i delete pods -n nexus-platform',
      'kubectl delete pod x --dry-run=client',
      'kubectl get pods | grep delete',
    ]);
    expect(list).toEqual([]);
  });
});

describe('risk-annotation-ignored', () => {
  it('warns where risk= is below what NEXUS detects, since runs ignore it until an admin approves the version', async () => {
    const list = await findings('risk-annotation-ignored', [
      { text: 'rm -rf /var/lib/scratch', annotations: { risk: 'read' as const } },
      { text: 'kubectl delete pod scratch-1', annotations: { risk: 'change' as const } },
      { text: 'echo fine', annotations: { risk: 'change' as const } },
      { text: 'kubectl apply -f x.yaml', annotations: { risk: 'change' as const } },
    ]);
    expect(list.map((f) => `${f.line} ${f.severity} ${f.message}`)).toEqual([
      '10 warning risk=read is below what NEXUS detects (destructive: rm -r/-f); runs treat the command as destructive',
      '11 warning risk=change is below what NEXUS detects (destructive: kubectl delete); runs treat the command as destructive',
    ]);
    expect(list[0]!.hint).toContain('/versions/{version}/approve');
  });
});

describe('param-evaluated-as-code', () => {
  it('is an error for a text parameter in arithmetic, and silent for an integer one', async () => {
    const commands = ['[[ <count> -gt 5 ]] && echo high', 'echo "$(( REPLICAS + 1 ))" <replicas>'];
    const text = await findings('param-evaluated-as-code', commands);
    expect(text.map((f) => `${f.line} ${f.severity} ${f.message.split(',')[0]}`)).toEqual([
      '10 error parameter COUNT (text) is used in [[ … -gt … ]]',
      '11 error parameter REPLICAS (text) is used in $(( … ))',
    ]);
    const typed = await findings('param-evaluated-as-code', commands, { parameters: [{ name: 'count', type: 'integer' }, { name: 'REPLICAS', values: [1, 2, 3] }] });
    expect(typed).toEqual([]);
  });
});

describe('unresolved-placeholder', () => {
  it('flags unassigned variables and <name> placeholders, once per command', async () => {
    const list = await findings('unresolved-placeholder', [
      'aws s3 ls s3://$S3_BUCKET/backups/ s3://${S3_BUCKET}/x',
      'curl -f http://$GREEN_IP/health',
      'kubectl delete pod <affected-pod> -n nexus-platform',
    ]);
    expect(list.map((f) => `${f.line} ${f.severity} ${f.message.split(' ')[0]}`)).toEqual([
      '10 warning $S3_BUCKET',
      '11 warning $GREEN_IP',
      '12 warning <affected-pod>',
    ]);
    expect(list[2]!.hint).toContain('name: AFFECTED_POD');
  });

  it('accepts variables assigned by an earlier command of the same procedure, and well-known ones', async () => {
    const list = await findings('unresolved-placeholder', [
      `BLUE_IP=$(kubectl get service nexus-nginx -o jsonpath='{.status.loadBalancer.ingress[0].ip}')`,
      'curl -f http://$BLUE_IP/health',
      'X=1; echo "$X"',
      'for f in a b; do echo $f; done',
      'echo $HOME "$PATH"',
      `echo '$NOT_EXPANDED'`,
      'echo "${REGION:-eu-west-1}"',
      'export TOKEN=abc && curl -H "Authorization: Bearer $TOKEN" http://x/',
    ]);
    expect(list).toEqual([]);
  });

  it('accepts parameters declared in front matter, in any of the usual shapes', async () => {
    const commands = ['aws s3 ls s3://$S3_BUCKET/', 'kubectl delete pod <affected-pod>', 'echo $RELEASE'];
    expect(await findings('unresolved-placeholder', commands, { parameters: [{ name: 'S3_BUCKET' }, { name: 'affected-pod' }, { name: '$RELEASE' }] })).toEqual([]);
    expect(await findings('unresolved-placeholder', commands, { parameters: ['S3_BUCKET', '<affected-pod>', 'RELEASE'] })).toEqual([]);
    expect(await findings('unresolved-placeholder', commands, { parameters: { S3_BUCKET: {}, AFFECTED_POD: {}, RELEASE: {} } })).toEqual([]);
  });

  it('does not carry assignments across procedures, nor backwards', async () => {
    const runbook = runbookWith([
      procedure('deploy', ['echo $LATER', 'LATER=1', 'GREEN_IP=10.0.0.2']),
      procedure('rollback', ['curl http://$GREEN_IP/health']),
    ]);
    const list = (await lintRunbook(runbook)).filter((f) => f.rule === 'unresolved-placeholder');
    expect(list.map((f) => `${f.procedureId} ${f.message.split(' ')[0]}`).sort()).toEqual(['deploy $LATER', 'rollback $GREEN_IP']);
  });
});

describe('remote-var-expands-locally', () => {
  it("flags the seed's psql \"$DATABASE_URL\" inside kubectl exec, and says how to quote it", async () => {
    const all = (await lintRunbook(runbookOf(['kubectl exec deployment/nexus-backend -n nexus-platform -- psql "$DATABASE_URL" -c "SELECT 1;"']))).filter(
      (f) => f.severity !== 'info',
    );
    expect(all.map((f) => f.rule)).toEqual(['remote-var-expands-locally']);
    expect(all[0]!.message).toBe('$DATABASE_URL is expanded by the shell on the runner, not inside the container where it is set');
    expect(all[0]!.hint).toBe(`let the container's shell expand it: -- sh -c 'psql "$DATABASE_URL" -c "SELECT 1;"'`);
  });

  it('says to single-quote a container script that double quotes let the runner expand', async () => {
    const [finding] = await findings('remote-var-expands-locally', ['kubectl exec deploy/x -- sh -c "psql $DATABASE_URL -c \'SELECT 1\'"']);
    expect(finding!.hint).toBe(`let the container's shell expand it: -- sh -c 'psql $DATABASE_URL -c '\\''SELECT 1'\\'''`);
  });

  it('accepts the container shell expanding it, and runner values passed on purpose', async () => {
    const list = await lintRunbook(
      runbookOf([
        `kubectl exec deployment/nexus-backend -n nexus-platform -- sh -c 'psql "$DATABASE_URL" -c "SELECT 1;"'`,
        'GREEN_IP=10.0.0.2',
        'kubectl exec deployment/nexus-backend -n nexus-platform -- curl -fsS http://$GREEN_IP/health',
      ]),
    );
    expect(list.filter((f) => f.rule === 'remote-var-expands-locally' || f.rule === 'unresolved-placeholder')).toEqual([]);
  });
});

describe('shell-syntax', () => {
  it('reports what bash -n says, per command', async () => {
    const list = await findings('shell-syntax', ['echo "unterminated', 'kubectl get pods', 'curl http://x/q?query=rate(x[5m])']);
    expect(list.map((f) => [f.line, f.severity])).toEqual([
      [10, 'error'],
      [12, 'error'],
    ]);
    expect(list[0]!.message).toMatch(/^bash cannot parse this command: unexpected EOF while looking for matching `"'/);
    expect(list[1]!.message).toBe("bash cannot parse this command: syntax error near unexpected token `('");
  });

  it('checks each command on its own, even where neighbours would balance each other out', async () => {
    const list = await findings('shell-syntax', [
      'for pod in $(kubectl get pods -o name); do',
      '  kubectl delete "$pod"',
      'done',
      'echo "opened',
      'echo closed"',
      'echo ok; }; f() {',
      'if true; then echo x; fi',
    ]);
    expect(list.map((f) => f.line)).toEqual([10, 12, 13, 14, 15]);
    expect(list[1]!.message).toBe("bash cannot parse this command: syntax error near unexpected token `done'");
    expect(list[1]!.hint).toContain('put the whole loop or if on one line');
  });

  it('finds every broken command among hundreds, wherever it sits in a batch', async () => {
    const commands = Array.from({ length: 300 }, (_, k) => `kubectl get pods -n ns-${k} | grep -c Running || true`);
    for (const k of [0, 63, 64, 150, 151, 299]) commands[k] = `kubectl get pods -n ns-${k} | (`;
    commands[200] = 'while true';
    const list = await findings('shell-syntax', commands);
    expect(list.map((f) => f.line - 10)).toEqual([0, 63, 64, 150, 151, 200, 299]);
    expect(list[0]!.message).toMatch(/^bash cannot parse this command: syntax error/);
  });

  it('never runs the command it checks', async () => {
    const marker = `/tmp/nexus-lint-never-${process.pid}-${Date.now()}`;
    expect(await findings('shell-syntax', [`touch ${marker}`, `echo $(touch ${marker}x)`])).toEqual([]);
    const fs = await import('node:fs');
    expect(fs.existsSync(marker) || fs.existsSync(`${marker}x`)).toBe(false);
  });

  it('accepts placeholders and skips fences in other shells', async () => {
    // Runs turn `<pod>` into a quoted variable; read raw, bash would see a redirection with no target.
    expect(
      await findings('shell-syntax', ['kubectl delete pod <affected-pod> -n nexus-platform', 'kubectl logs <pod>', { text: 'set -x (fish)', language: 'fish' }]),
    ).toEqual([]);
  });
});

describe('missing-namespace and docker-on-k8s (info)', () => {
  it('flags kubectl and istioctl analyze without a namespace when the runbook names one elsewhere', async () => {
    const list = await findings('missing-namespace', [
      'kubectl get pods -n nexus-platform',
      'kubectl get ingress',
      'istioctl analyze',
      'kubectl get nodes',
      'kubectl get pv',
      'kubectl top nodes',
      'kubectl create namespace nexus-platform-blue',
      'kubectl apply -f k8s/canary/',
      'kubectl get pods --all-namespaces',
      'kubectl cluster-info',
    ]);
    expect(list.map((f) => [f.line, f.severity])).toEqual([
      [11, 'info'],
      [12, 'info'],
    ]);
    expect(list[0]!.hint).toBe('add -n nexus-platform like the rest of this runbook (or -A for all namespaces)');
  });

  it('stays quiet in a runbook that never names a namespace', async () => {
    expect(await findings('missing-namespace', ['kubectl get pods', 'kubectl get ingress'])).toEqual([]);
  });

  it('flags docker runtime commands only in a runbook that drives Kubernetes', async () => {
    expect(lines(await findings('docker-on-k8s', ['kubectl get pods -n x', 'docker pull nexus-platform/backend:latest', 'docker build -t x .']))).toEqual([11]);
    expect(await findings('docker-on-k8s', ['docker pull nexus-platform/backend:latest'])).toEqual([]);
  });
});

describe('kubectl-patch-crd', () => {
  it("flags the seed's VirtualService patches, which default to a strategic merge patch", async () => {
    const list = await findings('kubectl-patch-crd', [
      `kubectl patch virtualservice nexus-platform -n nexus-platform -p '{"spec":{}}'`,
      `kubectl patch virtualservices.networking.istio.io/nexus-platform -p '{"spec":{}}' --type strategic`,
      `kubectl patch vs nexus-platform -p '{"spec":{}}'`,
    ]);
    expect(list.map((f) => [f.line, f.severity])).toEqual([
      [10, 'error'],
      [11, 'error'],
      [12, 'error'],
    ]);
    expect(list[0]!.message).toBe('kubectl patch virtualservice sends a strategic merge patch, which custom resources refuse (415 UnsupportedMediaType)');
  });

  it('accepts --type=merge/json on custom resources and the default on built-in kinds', async () => {
    const list = await findings('kubectl-patch-crd', [
      `kubectl patch virtualservice nexus-platform -n nexus-platform --type=merge -p '{"spec":{}}'`,
      `kubectl patch virtualservice nexus-platform --type json -p '[]'`,
      `kubectl patch deployment nexus-backend -n nexus-platform -p '{"spec":{}}'`,
      `kubectl patch deployments.apps/nexus-backend -p '{"spec":{}}'`,
      `kubectl patch svc/nexus-nginx -p '{"spec":{}}'`,
    ]);
    expect(list).toEqual([]);
  });
});

describe('grep-exit-status and promql-long-range (info)', () => {
  it('flags grep in a pipeline, which pipefail fails on no match, unless only its exit 1 is accepted or -q asks for it', async () => {
    const list = await findings('grep-exit-status', [
      'kubectl logs --since=10m deployment/nexus-backend | grep ERROR',
      'kubectl logs --since=10m deployment/nexus-backend | { grep ERROR || [ $? -eq 1 ]; }',
      'kubectl logs --since=10m deployment/nexus-backend | grep -q ERROR',
      'grep ERROR /var/log/x',
      'kubectl logs --since=10m x | grep ERROR | tail -n 20',
      'kubectl logs --since=10m x | { grep ERROR || [ $? -eq 1 ]; } | tail -n 20',
      'kubectl logs --since=10m x | grep ERROR || { echo "no ERROR found"; exit 1; }',
    ]);
    expect(list.map((f) => [f.line, f.severity])).toEqual([
      [10, 'info'],
      [14, 'info'],
    ]);
    expect(list[0]!.hint).toBe("if no match is good news, accept grep's exit 1 only: `| { grep ERROR || [ $? -eq 1 ]; }` (a failure before grep still fails the step)");
  });

  it('warns that `|| true` after grep hides a failure of the whole pipeline, not only no match (issue 16)', async () => {
    const list = await findings('grep-exit-status', [
      `kubectl logs deployment/nexus-backend -n nexus-platform --since=30m | grep -E '"level":(50|60)' || true`,
      'kubectl logs x | grep -i error || :',
      'kubectl logs x | grep error || echo "no errors"',
    ]);
    expect(list.map((f) => [f.line, f.severity])).toEqual([
      [10, 'warning'],
      [11, 'warning'],
      [12, 'warning'],
    ]);
    expect(list[0]!.message).toBe(
      '`|| true` after grep turns every failure of the pipeline into success, not only "no match": a command before grep that fails (kubectl cannot reach the cluster) shows green',
    );
    expect(list[0]!.hint).toContain(`\`| { grep -E '"level":(50|60)' || [ $? -eq 1 ]; }\``);
  });

  it('flags day-long ranges in PromQL, not minutes', async () => {
    const list = await findings('promql-long-range', [
      `curl -s -G 'http://prometheus:9090/api/v1/query' --data-urlencode 'query=rate(http_requests_total{status=~"5.."}[30d])'`,
      `curl -s -G 'http://prometheus:9090/api/v1/query' --data-urlencode 'query=rate(http_requests_total[5m])'`,
      `curl -s -G 'http://prometheus:9090/api/v1/query' --data-urlencode 'query=max_over_time(up[1h:5m])'`,
    ]);
    expect(list.map((f) => [f.line, f.severity])).toEqual([[10, 'info']]);
    expect(list[0]!.message).toContain('range [30d]');
  });
});

describe('the report', () => {
  it('sorts by line then severity, counts each severity, and says which live checks did not run', async () => {
    const report = await lintReport(
      runbookOf([
        'kubectl exec -it deployment/nexus-postgres -n nexus-platform -- psql -c "SELECT 1;"',
        'curl -s http://prometheus:9090/api/v1/query?query=up',
        'kubectl get ingress',
      ]),
    );
    expect(report.findings.map((f) => `${f.line} ${f.severity} ${f.rule}`)).toEqual([
      '10 error interactive-flag',
      '11 error curl-url-unquoted',
      '12 info missing-namespace',
    ]);
    expect(report.summary).toEqual({ errors: 2, warnings: 0, infos: 1 });
    expect(report.checks).toEqual({ sql: 'skipped', promql: 'skipped' });
    expect((await lintReport(runbookOf(['kubectl get pods']))).checks).toEqual({ sql: 'nothing-to-check', promql: 'nothing-to-check' });
  });
});
