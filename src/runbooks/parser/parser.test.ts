import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandsOf, type Command, type ParsedRunbook, type Procedure } from '../model.js';
import { MAX_NESTING, MAX_RUNBOOK_LINES, parseRunbook, RunbookParseError } from './index.js';
import { MAX_PARAGRAPH_DELIMITERS } from './nesting.js';

const FIXTURES = path.resolve('test/fixtures/runbooks');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const SEED = read('seed-nexus-runbooks.md');

function procedure(runbook: ParsedRunbook, title: string): Procedure {
  const found = runbook.procedures.find((p) => p.title === title);
  if (!found) throw new Error(`no procedure "${title}" in ${runbook.procedures.map((p) => p.title).join(', ')}`);
  return found;
}

function commandAt(runbook: ParsedRunbook, line: number): Command {
  const found = runbook.procedures.flatMap(commandsOf).find(({ command }) => command.line === line);
  if (!found) throw new Error(`no command on line ${line}`);
  return found.command;
}

describe('the seed runbook (shared/seed/nexus-runbooks.md)', () => {
  const seed = parseRunbook(SEED);

  it('is the fixture copy of the shared seed, byte for byte', () => {
    const shared = path.resolve('../shared/seed/nexus-runbooks.md');
    // CI lays shared/ beside the checkout; elsewhere the fixture copy stands alone.
    if (fs.existsSync(shared)) expect(fs.readFileSync(shared, 'utf8')).toBe(SEED);
    expect(seed.title).toBe('NEXUS Platform - Runbooks');
    expect(seed.lineCount).toBe(592);
  });

  it('yields its eleven procedures in their groups', () => {
    expect(seed.groups.map((g) => [g.title, g.line, g.procedureIds])).toEqual([
      ['Overview', 3, []],
      ['Table of Contents', 7, []],
      ['Incident Response', 15, ['p1-critical-service-down', 'p2-high-error-rate', 'p3-performance-degradation']],
      ['Deployment Procedures', 257, ['blue-green-deployment', 'canary-deployment']],
      ['Maintenance Tasks', 385, ['daily-tasks', 'weekly-tasks', 'monthly-tasks']],
      ['Emergency Procedures', 491, ['complete-service-outage', 'database-corruption', 'security-breach']],
      ['Contact Information', 587, []],
    ]);
    expect(seed.procedures.map((p) => [p.title, p.line, p.group])).toEqual([
      ['P1 - Critical Service Down', 17, 'Incident Response'],
      ['P2 - High Error Rate', 108, 'Incident Response'],
      ['P3 - Performance Degradation', 184, 'Incident Response'],
      ['Blue-Green Deployment', 259, 'Deployment Procedures'],
      ['Canary Deployment', 335, 'Deployment Procedures'],
      ['Daily Tasks', 387, 'Maintenance Tasks'],
      ['Weekly Tasks', 422, 'Maintenance Tasks'],
      ['Monthly Tasks', 455, 'Maintenance Tasks'],
      ['Complete Service Outage', 493, 'Emergency Procedures'],
      ['Database Corruption', 525, 'Emergency Procedures'],
      ['Security Breach', 555, 'Emergency Procedures'],
    ]);
  });

  it('pins phases, steps, commands and manual checks per procedure', () => {
    const shape = seed.procedures.map((p) => ({
      id: p.id,
      phases: p.phases.map((ph) => `${ph.title}${ph.implicit ? ' (implicit)' : ''}: ${ph.steps.length} steps, ${ph.checks.length} checks`),
      commands: commandsOf(p).length,
    }));
    expect(shape).toEqual([
      {
        id: 'p1-critical-service-down',
        phases: ['Immediate Actions: 4 steps, 0 checks', 'Resolution Steps: 3 steps, 0 checks', 'Post-Incident Actions: 3 steps, 0 checks'],
        commands: 13,
      },
      { id: 'p2-high-error-rate', phases: ['Investigation Steps: 3 steps, 0 checks', 'Resolution Steps: 3 steps, 0 checks'], commands: 12 },
      { id: 'p3-performance-degradation', phases: ['Investigation Steps: 3 steps, 0 checks', 'Resolution Steps: 3 steps, 0 checks'], commands: 11 },
      {
        id: 'blue-green-deployment',
        phases: ['Pre-Deployment Checklist: 0 steps, 4 checks', 'Deployment Steps: 4 steps, 0 checks', 'Rollback Procedure: 3 steps, 0 checks'],
        commands: 14,
      },
      { id: 'canary-deployment', phases: ['Pre-Deployment Checklist: 0 steps, 3 checks', 'Deployment Steps: 4 steps, 0 checks'], commands: 8 },
      { id: 'daily-tasks', phases: ['Steps (implicit): 3 steps, 0 checks'], commands: 7 },
      { id: 'weekly-tasks', phases: ['Steps (implicit): 3 steps, 0 checks'], commands: 7 },
      { id: 'monthly-tasks', phases: ['Steps (implicit): 3 steps, 0 checks'], commands: 10 },
      { id: 'complete-service-outage', phases: ['Steps (implicit): 3 steps, 0 checks'], commands: 8 },
      { id: 'database-corruption', phases: ['Steps (implicit): 3 steps, 0 checks'], commands: 7 },
      { id: 'security-breach', phases: ['Steps (implicit): 3 steps, 0 checks'], commands: 6 },
    ]);
    const all = seed.procedures.flatMap(commandsOf);
    expect(all).toHaveLength(103);
    expect(seed.procedures.flatMap((p) => p.phases.flatMap((ph) => ph.steps))).toHaveLength(51);
    expect(seed.procedures.flatMap((p) => p.phases.flatMap((ph) => [...ph.checks, ...ph.steps.flatMap((s) => s.checks)]))).toHaveLength(7);
  });

  it('every command is the text on its line of the source', () => {
    const lines = SEED.split('\n');
    for (const { command } of seed.procedures.flatMap(commandsOf)) {
      expect(lines[command.line - 1]!.trim()).toBe(command.text);
      expect(command.endLine).toBe(command.line);
      expect(command.language).toBe('bash');
    }
  });

  it('reads severity, response and resolution times, and the priority', () => {
    const sla = (title: string) => {
      const m = procedure(seed, title).metadata;
      return [m.severity, m.priority, m.responseTime?.minutes, m.resolutionTime?.minutes];
    };
    expect(sla('P1 - Critical Service Down')).toEqual(['Critical', 'P1', 15, 60]);
    expect(sla('P2 - High Error Rate')).toEqual(['High', 'P2', 30, 120]);
    expect(sla('P3 - Performance Degradation')).toEqual(['Medium', 'P3', 60, 240]);
    expect(procedure(seed, 'P1 - Critical Service Down').metadata.responseTime).toEqual({ text: '15 minutes', minutes: 15 });
    expect(procedure(seed, 'Daily Tasks').metadata).toEqual({ severity: null, priority: null, responseTime: null, resolutionTime: null, extra: {} });
  });

  it('reads symptoms with their lines', () => {
    expect(procedure(seed, 'P1 - Critical Service Down').symptoms).toEqual([
      { text: 'Service returns 5xx errors', line: 25 },
      { text: 'Health checks failing', line: 26 },
      { text: 'High error rate in monitoring', line: 27 },
    ]);
    expect(procedure(seed, 'P2 - High Error Rate').symptoms.map((s) => s.text)).toEqual(['Error rate > 5%', 'Increased response time', 'User complaints']);
  });

  it('keeps the Blue-Green rollback as its own phase with stable ids', () => {
    const rollback = procedure(seed, 'Blue-Green Deployment').phases[2]!;
    expect(rollback.id).toBe('blue-green-deployment.rollback-procedure');
    expect(rollback.line).toBe(308);
    expect(rollback.steps.map((s) => [s.id, s.number, s.title, s.line])).toEqual([
      ['blue-green-deployment.rollback-procedure.1', 1, 'Switch Traffic Back', 310],
      ['blue-green-deployment.rollback-procedure.2', 2, 'Scale Up Green Environment', 317],
      ['blue-green-deployment.rollback-procedure.3', 3, 'Verify Rollback', 325],
    ]);
    expect(rollback.steps[2]!.commands.map((c) => c.id)).toEqual([
      'blue-green-deployment.rollback-procedure.3.c1',
      'blue-green-deployment.rollback-procedure.3.c2',
    ]);
    expect(procedure(seed, 'Blue-Green Deployment').phases[0]!.checks).toEqual([
      { id: 'blue-green-deployment.pre-deployment-checklist.check1', text: 'Backup current state', line: 263, checked: false },
      { id: 'blue-green-deployment.pre-deployment-checklist.check2', text: 'Verify all tests pass', line: 264, checked: false },
      { id: 'blue-green-deployment.pre-deployment-checklist.check3', text: 'Check resource availability', line: 265, checked: false },
      { id: 'blue-green-deployment.pre-deployment-checklist.check4', text: 'Notify stakeholders', line: 266, checked: false },
    ]);
  });

  it('pins commands verbatim with their lines, descriptions, placeholders and assignments', () => {
    expect(commandAt(seed, 359)).toEqual({
      id: 'canary-deployment.deployment-steps.2.c1',
      text: `kubectl patch virtualservice nexus-platform -n nexus-platform -p '{"spec":{"http":[{"route":[{"destination":{"host":"nexus-backend","subset":"canary","weight":10}},{"destination":{"host":"nexus-backend","subset":"stable","weight":90}}]}]}}'`,
      line: 359,
      endLine: 359,
      language: 'bash',
      description: 'Set 10% traffic to canary',
      placeholders: [],
      assigns: [],
      annotations: {},
    });
    expect(commandAt(seed, 287)).toMatchObject({
      text: `BLUE_IP=$(kubectl get service nexus-nginx -n nexus-platform-blue -o jsonpath='{.status.loadBalancer.ingress[0].ip}')`,
      description: 'Get blue service IP',
      assigns: ['BLUE_IP'],
      placeholders: [],
    });
    expect(commandAt(seed, 290)).toMatchObject({
      text: 'curl -f http://$BLUE_IP/health',
      description: 'Run health checks',
      placeholders: [{ raw: '$BLUE_IP', syntax: 'dollar', param: 'BLUE_IP', line: 290 }],
    });
    expect(commandAt(seed, 571)).toMatchObject({
      id: 'security-breach.steps.2.c1',
      text: 'kubectl create secret generic nexus-secrets --from-literal=JWT_SECRET_KEY=$(openssl rand -base64 32) -n nexus-platform --dry-run=client -o yaml | kubectl apply -f -',
      description: 'Generate new secrets',
      placeholders: [],
      assigns: [],
    });
    expect(commandAt(seed, 561)).toMatchObject({
      text: 'kubectl delete pod <affected-pod> -n nexus-platform',
      description: 'Isolate affected pods',
      placeholders: [{ raw: '<affected-pod>', syntax: 'angle', param: 'AFFECTED_POD', line: 561 }],
    });
    expect(commandAt(seed, 441)).toMatchObject({
      text: 'aws s3 ls s3://$S3_BUCKET/backups/',
      description: 'Verify backup integrity',
      placeholders: [{ raw: '$S3_BUCKET', syntax: 'dollar', param: 'S3_BUCKET', line: 441 }],
    });
    expect(commandAt(seed, 538)).toMatchObject({
      assigns: ['LATEST_BACKUP'],
      placeholders: [{ raw: '$S3_BUCKET', syntax: 'dollar', param: 'S3_BUCKET', line: 538 }],
    });
    expect(commandAt(seed, 58).placeholders.map((p) => p.param)).toEqual(['DATABASE_URL']);
    expect(commandAt(seed, 129).text).toBe('curl -s http://prometheus:9090/api/v1/query?query=rate(http_requests_total{status=~"5.."}[5m])');
  });

  it('a comment names the commands below it until a blank line', () => {
    // Lines 34-36: one comment, two commands, no blank line between.
    expect([commandAt(seed, 35).description, commandAt(seed, 36).description]).toEqual(['Check service status', 'Check service status']);
    // Lines 66-70: a blank line and a new comment between the two restarts.
    expect([commandAt(seed, 67).description, commandAt(seed, 70).description]).toEqual(['Restart backend', 'Restart frontend']);
  });

  it('post-incident items without commands are steps with their bullets as prose', () => {
    const post = procedure(seed, 'P1 - Critical Service Down').phases[2]!;
    expect(post.steps[0]).toEqual({
      id: 'p1-critical-service-down.post-incident-actions.1',
      number: 1,
      title: 'Document Incident',
      line: 95,
      commands: [],
      checks: [],
      prose: [{ markdown: '- Record timeline\n- Identify root cause\n- Document resolution steps', line: 96 }],
    });
  });

  it('reads the contact section', () => {
    expect(seed.contacts).toEqual([
      { role: 'On-Call Engineer', value: '+1-555-0123', kind: 'phone', line: 589 },
      { role: 'Escalation Manager', value: '+1-555-0124', kind: 'phone', line: 590 },
      { role: 'Security Team', value: 'security@nexusplatform.com', kind: 'email', line: 591 },
      { role: 'Slack', value: '#nexus-platform-alerts', kind: 'slack', line: 592 },
    ]);
  });

  it('ids are unique across the runbook and survive an unrelated edit', () => {
    const ids = seed.procedures.flatMap((p) => [
      p.id,
      ...p.phases.flatMap((ph) => [ph.id, ...ph.checks.map((c) => c.id), ...ph.steps.flatMap((s) => [s.id, ...s.commands.map((c) => c.id)])]),
    ]);
    expect(new Set(ids).size).toBe(ids.length);
    const edited = parseRunbook(SEED.replace('## Overview\n', '## Overview\n\nA new paragraph.\n\nAnother one.\n'));
    const editedIds = edited.procedures.flatMap((p) => commandsOf(p).map(({ command }) => command.id));
    expect(editedIds).toEqual(seed.procedures.flatMap((p) => commandsOf(p).map(({ command }) => command.id)));
  });
});

describe('other runbook styles', () => {
  it('front matter and "Step N" headings with plain text', () => {
    const runbook = parseRunbook(read('heading-steps.md'));
    expect(runbook.title).toBe('Ingress TLS certificate rotation');
    expect(runbook.frontMatter).toEqual({ title: 'Ingress TLS certificate rotation', owner: 'platform-team', tags: ['tls', 'ingress', 'nginx'] });
    expect(runbook.procedures.map((p) => p.id)).toEqual(['rotate-the-ingress-certificate', 'renew-with-certbot']);

    // "### Step N" under a "##": the group is the procedure, the headings its steps.
    const rotate = runbook.procedures[0]!;
    expect(rotate.phases).toHaveLength(1);
    expect(rotate.phases[0]).toMatchObject({ id: 'rotate-the-ingress-certificate.steps', title: 'Steps', implicit: true });
    expect(rotate.phases[0]!.steps.map((s) => [s.number, s.title, s.line, s.commands.length])).toEqual([
      [1, 'Check the current certificate', 12, 1],
      [2, 'Upload the new certificate', 21, 1],
      [3, 'Reload nginx', 29, 2],
      [4, 'Verify', 36, 0],
    ]);
    const first = rotate.phases[0]!.steps[0]!;
    expect(first.prose).toEqual([{ markdown: 'See when the certificate that clients get today expires.', line: 14 }]);
    expect(first.commands[0]).toMatchObject({ line: 18, description: 'Show the expiry date', language: 'bash' });
    expect(rotate.phases[0]!.steps[3]!.prose[0]!.markdown).toBe('Run the check from step 1 again: the date must be the new one.');

    // "#### 1. …" after "#### Before you start": a sibling section of steps, not inside it.
    const certbot = runbook.procedures[1]!;
    expect(certbot.phases.map((ph) => [ph.title, ph.implicit, ph.steps.length, ph.prose.length])).toEqual([
      ['Before you start', false, 0, 1],
      ['Steps', true, 2, 0],
    ]);
    expect(certbot.phases[1]!.steps.map((s) => [s.id, s.title])).toEqual([
      ['renew-with-certbot.steps.1', 'Request the certificate'],
      ['renew-with-certbot.steps.2', 'Install it'],
    ]);
    expect(commandsOf(certbot).map(({ command }) => [command.line, command.language])).toEqual([
      [51, 'sh'],
      [59, 'sh'],
    ]);
  });

  it('plain numbered lists, console transcripts, and yaml/sql blocks as prose', () => {
    const runbook = parseRunbook(read('plain-lists.md'));
    const free = procedure(runbook, 'Free memory on the cache');
    expect(free.metadata).toEqual({
      severity: 'High',
      priority: 'P2',
      responseTime: { text: '30 min', minutes: 30 },
      resolutionTime: { text: '1h30m', minutes: 90 },
      extra: { Owner: 'cache-team' },
    });
    const steps = free.phases[0]!.steps;
    expect(steps.map((s) => [s.number, s.title, s.commands.length])).toEqual([
      [1, 'Confirm that memory is the problem', 2],
      [2, 'Compare with the settings the cache was deployed with', 0],
      [3, 'Find the users whose sessions hold the most memory', 0],
      [4, 'Raise the limit until the cause is fixed', 2],
      [5, 'Tell the incident channel what you changed', 0],
    ]);
    // `$ ` prompts stripped, output lines dropped.
    expect(steps[0]!.commands.map((c) => [c.line, c.language, c.text])).toEqual([
      [17, 'console', 'redis-cli -h $REDIS_HOST info memory | grep used_memory_human'],
      [19, 'console', 'redis-cli -h $REDIS_HOST config get maxmemory'],
    ]);
    expect(steps[0]!.commands[0]!.placeholders).toEqual([{ raw: '$REDIS_HOST', syntax: 'dollar', param: 'REDIS_HOST', line: 17 }]);
    expect(steps[1]!.prose).toEqual([{ markdown: '```yaml\nmaxmemory-policy: allkeys-lru\nmaxmemory: 4gb\n```', line: 26 }]);
    expect(steps[2]!.prose[0]!.markdown).toMatch(/^```sql\nSELECT user_id/);
    expect(steps[3]!.commands.map((c) => c.language)).toEqual(['sh', 'sh']);

    // A transcript's `> ` continuation joins its command; the output after it is not a command.
    const replication = procedure(runbook, 'Check replication');
    expect(commandsOf(replication).map(({ command }) => [command.line, command.endLine, command.text])).toEqual([
      [51, 52, "redis-cli -h $REDIS_REPLICA info replication \\\n  | grep -E 'master_link_status|master_last_io'"],
      [59, 59, 'kubectl rollout restart statefulset/nexus-redis-replica -n nexus-platform'],
    ]);
  });

  it('nested lists, continued commands, both placeholder styles and annotations', () => {
    const runbook = parseRunbook(read('annotated.md'));
    const drain = procedure(runbook, 'Drain a node');
    expect(drain.metadata.priority).toBeNull();
    expect(drain.phases.map((ph) => [ph.id, ph.implicit, ph.steps.length])).toEqual([
      ['drain-a-node.steps', true, 3],
      ['drain-a-node.after-the-maintenance', false, 1],
    ]);
    const [cordon, evict, check] = drain.phases[0]!.steps;
    // The nested bullets of step 1 hold prose, an annotated fence and a manual check.
    expect(cordon!.prose.map((p) => p.markdown)).toEqual(['Tell the maintenance channel which node you are taking out.', 'Stop new pods landing on it:']);
    expect(cordon!.commands).toEqual([
      {
        id: 'drain-a-node.steps.1.c1',
        text: 'kubectl cordon <node-name>',
        line: 15,
        endLine: 15,
        language: 'bash',
        description: null,
        placeholders: [{ raw: '<node-name>', syntax: 'angle', param: 'NODE_NAME', line: 15 }],
        assigns: [],
        annotations: { risk: 'change', timeoutSeconds: 30, runner: 'region=eu' },
      },
    ]);
    expect(cordon!.checks).toEqual([{ id: 'drain-a-node.steps.1.check1', text: 'Nobody objected within 5 minutes', line: 18, checked: false }]);

    expect(evict!.commands[0]).toMatchObject({
      text: 'kubectl drain <node-name> \\\n  --ignore-daemonsets \\\n  --delete-emptydir-data \\\n  --timeout=${DRAIN_TIMEOUT:-10m}',
      line: 24,
      endLine: 27,
      description: 'Evict everything but DaemonSets',
      annotations: { timeoutSeconds: 900, risk: 'destructive', approval: true },
      placeholders: [
        { raw: '<node-name>', syntax: 'angle', param: 'NODE_NAME', line: 24 },
        { raw: '${DRAIN_TIMEOUT:-10m}', syntax: 'braces', param: 'DRAIN_TIMEOUT', line: 27 },
      ],
    });

    expect(check!.commands.map((c) => [c.text, c.annotations, c.placeholders.map((p) => p.raw)])).toEqual([
      ['kubectl get pods --all-namespaces --field-selector spec.nodeName=${NODE_NAME}', { expect: 'No resources found' }, ['${NODE_NAME}']],
      // The loop variable is the command's own, not a parameter.
      ['for pod in $(kubectl get pods -o name); do echo "$pod"; done', {}, []],
    ]);

    const uncordon = drain.phases[1]!.steps[0]!;
    expect(uncordon.checks.map((c) => [c.id, c.text, c.checked])).toEqual([
      ['drain-a-node.after-the-maintenance.1.check1', 'Maintenance ticket updated', true],
      ['drain-a-node.after-the-maintenance.1.check2', 'Node back in the load balancer pool', false],
    ]);
    expect(runbook.contacts).toEqual([
      { role: 'Primary', value: 'https://example.pagerduty.com/schedules/P123', kind: 'url', line: 51 },
      { role: 'Team chat', value: '@platform-oncall', kind: 'slack', line: 52 },
    ]);
  });

  it('a runbook with only a title and numbered steps is one procedure', () => {
    const runbook = parseRunbook('# Restart the worker\n\n1. **Stop it**\n\n   ```bash\n   systemctl stop worker\n   ```\n\n2. Start it again\n');
    expect(runbook.procedures.map((p) => [p.id, p.title, p.group])).toEqual([['restart-the-worker', 'Restart the worker', null]]);
    expect(runbook.procedures[0]!.phases[0]!.steps.map((s) => [s.title, s.commands.length])).toEqual([
      ['Stop it', 1],
      ['Start it again', 0],
    ]);
  });

  it('a fence below a paragraph outside any list is a step titled by that paragraph', () => {
    const runbook = parseRunbook('# X\n\n### Clean up\n\nRemove the old dumps:\n\n```\nrm -f /var/backups/*.old\n```\n');
    expect(runbook.procedures[0]!.phases[0]!.steps.map((s) => [s.title, s.commands.map((c) => [c.text, c.language])])).toEqual([
      ['Remove the old dumps', [['rm -f /var/backups/*.old', 'sh']]],
    ]);
    expect(runbook.procedures[0]!.prose).toEqual([]);
  });

  it('a numbered "###" is a procedure; a numbered "####" and any "Step N" heading are steps', () => {
    const runbook = parseRunbook('## Recovery\n\n### 1. Restore the database\n\n#### 1. Stop writers\n\n#### 2) Restore\n\n### Step 3 - Verify\n');
    expect(runbook.procedures.map((p) => p.title)).toEqual(['1. Restore the database']);
    expect(runbook.procedures[0]!.phases[0]!.steps.map((s) => [s.number, s.title])).toEqual([
      [1, 'Stop writers'],
      [2, 'Restore'],
      [3, 'Verify'],
    ]);
  });

  it('a fence left unindented under a numbered item still belongs to it', () => {
    const runbook = parseRunbook('### Check\n\n1. **Look at the pods**\n```bash\nkubectl get pods\n```\n2. **Look at the nodes**\n');
    expect(runbook.procedures[0]!.phases[0]!.steps.map((s) => [s.title, s.commands.length])).toEqual([
      ['Look at the pods', 1],
      ['Look at the nodes', 0],
    ]);
  });
});

describe('commands, placeholders and annotations', () => {
  const commandsIn = (fence: string, lang = 'bash') =>
    parseRunbook(`### P\n\n1. **S**\n\n   \`\`\`${lang}\n${fence.split('\n').map((l) => `   ${l}`.trimEnd()).join('\n')}\n   \`\`\`\n`).procedures[0]!.phases[0]!.steps[0]!.commands;

  it('are not $( … ), $1, $?, $$, single-quoted text, redirects or here-documents', () => {
    const [cmd] = commandsIn(`echo $(date) $1 $? $$ '$NOT_ME' "$YES_ME" \${ALSO} < input.txt 2>&1 $HOME`);
    expect(cmd!.placeholders.map((p) => p.raw)).toEqual(['$YES_ME', '${ALSO}']);
    const heredoc = commandsIn(`cat <<EOF > /tmp/x\nline with $VAR\n# not a comment\nEOF\nnext-command`);
    expect(heredoc.map((c) => [c.text, c.line, c.endLine])).toEqual([
      ['cat <<EOF > /tmp/x\nline with $VAR\n# not a comment\nEOF', 6, 9],
      ['next-command', 10, 10],
    ]);
    expect(heredoc[0]!.placeholders.map((p) => [p.param, p.line])).toEqual([['VAR', 7]]);
  });

  it('quotes and pipes left open at the end of a line continue the command', () => {
    const cmds = commandsIn(`kubectl patch x -p '{\n  "a": 1\n}'\nkubectl get pods |\n  grep Running`);
    expect(cmds.map((c) => [c.line, c.endLine])).toEqual([
      [6, 8],
      [9, 10],
    ]);
    // An unmatched quote does not swallow the rest of the block.
    expect(commandsIn(`echo "oops\necho fine`).map((c) => c.text)).toEqual(['echo "oops', 'echo fine']);
  });

  it('export, read and plain assignments are recorded; env prefixes are not', () => {
    const cmds = commandsIn(`export A=1 B="two"\nread -r C\nD=4 some-command\nE=5; F=$(date)`);
    expect(cmds.map((c) => c.assigns)).toEqual([['A', 'B'], ['C'], [], ['E', 'F']]);
  });

  it('an unlabelled fence is shell only when it looks like shell; yaml is prose', () => {
    expect(commandsIn('kubectl get pods', '')).toHaveLength(1);
    expect(commandsIn('just some output text', '')).toHaveLength(0);
    expect(commandsIn('kubectl: get', 'yaml')).toHaveLength(0);
  });

  it('a bad annotation is a parse error naming its line', () => {
    expect(() => parseRunbook('### P\n\n<!-- nexus: risk=maybe -->\n```bash\nls\n```\n')).toThrow(
      new RunbookParseError('annotation risk=maybe must be one of read, change, destructive', 3),
    );
    expect(() => parseRunbook('### P\n\n```bash\n# nexus: timout=5s\nls\n```\n')).toThrow(/line 4: unknown annotation "timout"/);
    // Fence info strings are shared with other tools: unknown keys there are ignored.
    expect(() => parseRunbook('### P\n\n```bash title="x.sh" timeout=5\nls\n```\n')).not.toThrow();
  });

  it('bad front matter is a parse error naming its line', () => {
    expect(() => parseRunbook('---\ntitle: ok\ntags: [unclosed\n---\n# T\n')).toThrow(RunbookParseError);
    expect(() => parseRunbook('---\n- a list\n---\n# T\n')).toThrow(/line 2: front matter must be a mapping/);
  });

  it('CRLF line endings give the same structure and lines', () => {
    const crlf = parseRunbook(SEED.replace(/\n/g, '\r\n'));
    expect(crlf.procedures.flatMap(commandsOf).map(({ command }) => [command.line, command.text])).toEqual(
      parseRunbook(SEED).procedures.flatMap(commandsOf).map(({ command }) => [command.line, command.text]),
    );
  });
});

describe('a 5,000-line runbook', () => {
  it('parses completely (correctness only: speed is measured in bench/)', () => {
    const lines: string[] = ['# Generated runbook'];
    let groups = 0;
    while (lines.length < 5000) {
      lines.push('', `## Group ${++groups}`);
      for (let p = 1; p <= 4; p++) {
        lines.push('', `### P${p % 3 + 1} - Procedure ${groups}.${p}`, '', '**Severity**: High', '', '#### Actions', '');
        for (let s = 1; s <= 5; s++) {
          lines.push(`${s}. **Step ${s}**`, '', '   ```bash', `   # Check ${s}`, `   kubectl get pods -n ns-${groups} -l app=$APP_${s}`, '   curl -sf "http://svc/health" \\', '     --max-time 5', '   ```', '', '   - [ ] Looked fine', '');
        }
      }
    }
    const source = lines.join('\n');
    const runbook = parseRunbook(source);
    // The generator ends on an empty string, i.e. the text ends with a newline (which starts no line).
    expect(source.endsWith('\n')).toBe(true);
    expect(runbook.lineCount).toBe(lines.length - 1);
    expect(runbook.lineCount).toBeGreaterThanOrEqual(5000);
    expect(runbook.procedures).toHaveLength(groups * 4);
    const commands = runbook.procedures.flatMap(commandsOf);
    expect(commands).toHaveLength(groups * 4 * 5 * 2);
    expect(commands.every(({ command }, i) => (i % 2 === 0 ? command.placeholders.length === 1 : command.endLine === command.line + 1))).toBe(true);
    expect(runbook.procedures.at(-1)!.phases[0]!.steps.at(-1)!.checks).toHaveLength(1);
  });
});

describe('a runbook over the size bound', () => {
  it('is refused before parsing, naming the limit, so one request cannot hold the server', () => {
    const source = '# Too big\n\n' + 'text\n'.repeat(MAX_RUNBOOK_LINES);
    expect(() => parseRunbook(source)).toThrow(RunbookParseError);
    expect(() => parseRunbook(source)).toThrow(`the runbook has ${MAX_RUNBOOK_LINES + 3} lines; the limit is ${MAX_RUNBOOK_LINES}`);
    // Exactly at the limit still parses.
    expect(parseRunbook('# Fits\n' + 'text\n'.repeat(MAX_RUNBOOK_LINES - 2)).title).toBe('Fits');
  });
});

describe('deeply nested Markdown', () => {
  const refused = (source: string) => {
    const started = performance.now();
    let error: unknown;
    try {
      parseRunbook(source);
    } catch (caught) {
      error = caught;
    }
    // Refused before the Markdown parser sees it: that took seconds and overflowed the stack.
    expect(performance.now() - started).toBeLessThan(500);
    expect(error).toBeInstanceOf(RunbookParseError);
    return error as RunbookParseError;
  };
  const TOO_DEEP = `Markdown nested deeper than ${MAX_NESTING} levels of block quotes and list items`;

  it('refuses 8,000 nested block quotes, naming the line', () => {
    const error = refused('# T\n' + '> '.repeat(8000) + 'x');
    expect(error.message).toBe(`line 2: ${TOO_DEEP}: flatten it`);
    expect(error.line).toBe(2);
  });

  it('refuses 2,000 and 50,000 nested list items on one line, bullets and numbers alike', () => {
    expect(refused('# T\n' + '- '.repeat(2000) + 'x').message).toContain(`line 2: ${TOO_DEEP}`);
    expect(refused('# T\n' + '- '.repeat(50_000) + 'x').message).toContain(`line 2: ${TOO_DEEP}`);
    expect(refused('# T\n' + '1. '.repeat(2000) + 'x').message).toContain(TOO_DEEP);
    expect(refused('# T\n' + '> - '.repeat(4000) + 'x').message).toContain(TOO_DEEP);
  });

  it('refuses list items nested through indentation, on the first line too deep', () => {
    const indented = (marker: string, step: string) => '# T\n' + Array.from({ length: 500 }, (_, i) => `${step.repeat(i)}${marker} a`).join('\n');
    expect(refused(indented('-', '  ')).line).toBe(2 + MAX_NESTING);
    expect(refused(indented('1)', '   ')).line).toBe(2 + MAX_NESTING);
    expect(refused(indented('-', '\t')).line).toBe(2 + MAX_NESTING);
    expect(refused('# T\n' + Array.from({ length: 500 }, (_, i) => `${'  '.repeat(i)}> - a`).join('\n')).message).toContain(TOO_DEEP);
  });

  it('refuses deeply nested emphasis, links and images', () => {
    const inline = `emphasis, links or images nested deeper than ${MAX_NESTING} levels`;
    expect(refused('# T\n' + '*'.repeat(10_000) + 'x' + '*'.repeat(10_000)).message).toBe(`line 2: ${inline}: close them or use a code span`);
    expect(refused('# T\n' + '['.repeat(10_000) + 'x' + ']'.repeat(10_000)).message).toContain(inline);
    expect(refused('# T\n' + '[a '.repeat(10_000) + 'x' + '](u)'.repeat(10_000)).message).toContain(inline);
    expect(refused('# T\n' + '!['.repeat(10_000) + 'x' + '](u)'.repeat(10_000)).message).toContain(inline);
    // Spread over the lines of one paragraph (an `_` before the line's end cannot open, so one level a line).
    expect(refused('# T\n' + '*_\n'.repeat(3000) + 'x\n' + '_*\n'.repeat(3000)).line).toBe(2 + MAX_NESTING);
    // A ``` inside an HTML block is not a fence, so it does not hide what follows.
    expect(refused('# T\n<div>\n```\n\n' + '*'.repeat(10_000) + 'x' + '*'.repeat(10_000) + '\n').line).toBe(5);
  });

  it('refuses a paragraph with thousands of emphasis or link markers, nested or not', () => {
    const markers = `a paragraph with more than ${MAX_PARAGRAPH_DELIMITERS} emphasis or link markers`;
    expect(refused('# T\n' + '*_'.repeat(5000) + 'x' + '_*'.repeat(5000)).message).toContain(markers);
    expect(refused('# T\n' + '[a]('.repeat(10_000) + 'x').message).toContain(markers);
    expect(refused('# T\n' + '[a]'.repeat(10_000)).message).toContain(markers);
  });

  it('still parses ten levels of lists and quotes, and shell globs and brackets inside fences', () => {
    const nestedList = Array.from({ length: 10 }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n');
    const glob = '   ```bash\n' + '   ls /var/log/*.log | grep -E "[0-9]+*" && [ -f "$f" ]\n'.repeat(200) + '   ```\n';
    const runbook = parseRunbook(`# Deep\n\n### P\n\n1. **Look**\n\n${glob}\n${nestedList}\n\n${'> '.repeat(10)}quoted **bold _and [linked](u)_**\n`);
    expect(runbook.procedures).toHaveLength(1);
    expect(runbook.procedures[0]!.phases[0]!.steps[0]!.commands).toHaveLength(200);
    expect(JSON.stringify(runbook)).toContain('- level 10');
    expect(JSON.stringify(runbook)).toContain('quoted **bold _and [linked](u)_**');
  });
});
