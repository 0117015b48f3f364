import { MantineProvider } from '@mantine/core';
import { createElement, type FunctionComponent } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../web/src/api/types.js';
import { auditSentence, auditSentenceText } from '../../web/src/audit/sentence.js';
import { httpUrl } from '../../web/src/common/links.js';
import { EMPTY_HISTORY_FORM, formFromSearch, historyQuery, searchFromForm } from '../../web/src/incidents/history-filters.js';
import { outcomeText } from '../../web/src/incidents/sla.js';

describe('links from alert text', () => {
  it('only absolute http(s) URLs become links', () => {
    expect(httpUrl('https://grafana.example/d/abc?var-service=api')).toBe('https://grafana.example/d/abc?var-service=api');
    expect(httpUrl('  HTTP://prometheus:9090/graph?g0.expr=up  ')).toBe('http://prometheus:9090/graph?g0.expr=up');
    for (const hostile of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      '\u0000javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      '//evil.example/x',
      '/api/v1/users',
      'https:/evil.example',
      'http:// evil.example',
      'see https://grafana.example for details',
      '',
      null,
      undefined,
    ]) {
      expect(httpUrl(hostile), String(hostile)).toBeNull();
    }
  });
});

const alert = (extra: Partial<Alert>): Alert => ({
  id: '7d0f5a4e-1b7e-4a57-9a1c-5b2f3c4d5e6f',
  fingerprint: 'fp',
  source: 'alertmanager',
  status: 'firing',
  labels: { alertname: 'NexusHighErrorRate', service: 'api' },
  annotations: {},
  groupKey: 'g',
  severity: 'P2',
  ruleId: null,
  silencedBy: null,
  incidentId: null,
  startsAt: '2026-01-01T10:00:00.000Z',
  endsAt: null,
  generatorURL: null,
  count: 1,
  firstSeenAt: '2026-01-01T10:00:00.000Z',
  lastSeenAt: '2026-01-01T10:00:00.000Z',
  resolvedAt: null,
  ...extra,
});

/**
 * Imported by a path TypeScript does not follow: the server's tsconfig (which
 * checks test/) has no JSX; the console's own typecheck covers the component.
 */
const COMPONENT = '../../web/src/incidents/IncidentAlerts.js';
const { AlertDetailsList } = (await import(COMPONENT)) as { AlertDetailsList: FunctionComponent<{ alerts: readonly Alert[] }> };

function render(alerts: Alert[]): string {
  return renderToStaticMarkup(createElement(MantineProvider, null, createElement(AlertDetailsList, { alerts })));
}

describe("an incident's alerts, rendered", () => {
  it('shows labels and annotations as text, links only http(s) values, and the source', () => {
    const html = render([
      alert({
        annotations: { summary: 'Error rate over 5 %', dashboard: 'https://grafana.example/d/api', runbook_url: 'http://wiki.example/runbooks/api' },
        generatorURL: 'http://prometheus:9090/graph?g0.expr=rate',
      }),
    ]);
    expect(html).toContain('href="https://grafana.example/d/api"');
    expect(html).toContain('href="http://wiki.example/runbooks/api"');
    expect(html).toContain('href="http://prometheus:9090/graph?g0.expr=rate"');
    expect(html).toContain('Error rate over 5 %');
    expect(html).toContain('rel="noreferrer noopener"');
  });

  it('never renders a hostile annotation, label or generator URL as markup or as a script link', () => {
    const html = render([
      alert({
        labels: { alertname: '<img src=x onerror=alert(1)>', service: '"><script>alert(2)</script>' },
        annotations: { dashboard: 'javascript:alert(3)', description: '<a href="javascript:alert(4)">click</a>', runbook_url: 'data:text/html,<b>x</b>' },
        generatorURL: 'javascript:alert(5)',
      }),
    ]);
    expect(html).not.toMatch(/<img|<script|<a [^>]*href="(?:javascript|data):/i);
    expect(html).not.toMatch(/href="[^"]*alert\(/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;a href=&quot;javascript:alert(4)&quot;&gt;click&lt;/a&gt;');
    expect(html).not.toContain('>Source<');
  });
});

describe('the history filters', () => {
  it('go to the URL and back, and make the API query', () => {
    const form = { ...EMPTY_HISTORY_FORM, q: ' db-1 ', states: ['resolved', 'closed'] as const, severities: ['P1'] as const, assignee: 'unassigned', sort: 'longest' as const };
    const search = searchFromForm({ ...form, states: [...form.states], severities: [...form.severities] });
    expect(search.toString()).toBe('q=db-1&state=resolved&state=closed&severity=P1&assignee=unassigned&sort=longest');
    const back = formFromSearch(search);
    expect(back).toMatchObject({ q: 'db-1', states: ['resolved', 'closed'], severities: ['P1'], assignee: 'unassigned', sort: 'longest' });
    expect(historyQuery(back)).toEqual({ q: 'db-1', state: ['resolved', 'closed'], severity: ['P1'], assigneeId: 'unassigned', sort: 'duration', order: 'desc' });
  });

  it('drop what they do not know from a hand-edited URL', () => {
    const form = formFromSearch(new URLSearchParams('state=bogus&state=triggered&severity=P9&sort=__proto__&from=yesterday'));
    expect(form).toMatchObject({ states: ['triggered'], severities: [], sort: 'newest', from: '' });
    expect(historyQuery(form)).toEqual({ state: ['triggered'], sort: 'triggeredAt', order: 'desc' });
  });
});

describe('SLA outcomes in words', () => {
  const outcome = (extra: object) => ({ result: 'met', startedAt: '2026-01-01T10:00:00.000Z', stoppedAt: '2026-01-01T10:07:00.000Z', stoppedBy: 'ack', tookMs: 7 * 60_000, overdueMs: null, ...extra }) as const;
  it('says met in how long, missed by how much, or nothing while running', () => {
    expect(outcomeText('acknowledge', outcome({}))).toBe('met in 7 min 00 s');
    expect(outcomeText('resolve', outcome({ result: 'missed', tookMs: 65 * 60_000, overdueMs: 5 * 60_000, stoppedBy: 'resolve' }))).toBe('missed by 5 min 00 s, took 1 h 05 min');
    expect(outcomeText('acknowledge', outcome({ stoppedBy: 'resolve' }))).toBe('met in 7 min 00 s, resolved before anyone acknowledged');
    expect(outcomeText('acknowledge', outcome({ result: 'running', stoppedAt: null, stoppedBy: null, tookMs: null }))).toBeNull();
  });
});

describe('audit entries in words', () => {
  const entry = { actor: 'alice', action: 'incident.ack', target: '0b5a2f0e-3c1d-4e5f-8a9b-0c1d2e3f4a5b', targetLabel: 'Disk full on db-1', outcome: 'success', details: null };
  it('says who did what to what, by its name', () => {
    expect(auditSentenceText(auditSentence(entry))).toBe('alice acknowledged incident Disk full on db-1');
    expect(auditSentenceText(auditSentence({ ...entry, actor: 'admin', action: 'channel.create', targetLabel: '#ops' }))).toBe('admin created channel #ops');
    expect(auditSentenceText(auditSentence({ ...entry, action: 'escalation_policy.update', targetLabel: null, details: { name: 'Default' } }))).toBe('alice changed escalation policy Default');
    expect(auditSentenceText(auditSentence({ ...entry, action: 'auth.login', targetLabel: 'alice' }))).toBe('alice signed in');
  });

  it('says when it did not go through, and falls back to the id and the action name', () => {
    expect(auditSentenceText(auditSentence({ ...entry, actor: 'viewer', outcome: 'denied' }))).toBe('viewer tried to acknowledge incident Disk full on db-1 — denied');
    expect(auditSentenceText(auditSentence({ ...entry, targetLabel: null }))).toBe('alice acknowledged incident 0b5a2f0e…');
    expect(auditSentenceText(auditSentence({ ...entry, action: 'widget.spin', targetLabel: null, target: 'w-1' }))).toBe('alice performed widget.spin on w-1');
  });
});
