import { describe, expect, it } from 'vitest';
import { rolesUpTo } from '../../web/src/admin/roles.js';
import { formatMatcher, matcherProblem, matchesAll, parseMatchers, silenceMatchersFor } from '../../web/src/alerts/matchers.js';
import { auditQuery, EMPTY_AUDIT_FORM, matchesAuditQuery, prependEntry, type AuditEntry } from '../../web/src/audit/filters.js';
import { describeDelay, describeTarget, parseDelay } from '../../web/src/oncall/describe.js';

describe('silence matchers', () => {
  it('reads matchers pasted from Alertmanager, with or without braces and quotes', () => {
    expect(parseMatchers('{alertname="HighErrorRate", service=~"api|web"}')).toEqual({
      matchers: [
        { name: 'alertname', op: '=', value: 'HighErrorRate' },
        { name: 'service', op: '=~', value: 'api|web' },
      ],
      error: null,
    });
    expect(parseMatchers('severity!=P3\nstatus!~"5\\.."\nteam=\'core\'').matchers).toEqual([
      { name: 'severity', op: '!=', value: 'P3' },
      { name: 'status', op: '!~', value: '5\\..' },
      { name: 'team', op: '=', value: 'core' },
    ]);
    expect(parseMatchers('summary="say \\"hi\\""').matchers[0]?.value).toBe('say "hi"');
  });

  it('says what it cannot read', () => {
    expect(parseMatchers('alertname').error).toMatch(/Cannot read a matcher at "alertname"/);
    expect(parseMatchers('  ').error).toMatch(/at least one matcher/);
    expect(matcherProblem({ name: '1abc', op: '=', value: 'x' })).toMatch(/not a label name/);
    expect(matcherProblem({ name: 'job', op: '=~', value: '(' })).toMatch(/not a valid regular expression/);
    expect(matcherProblem({ name: 'job', op: '=~', value: 'api|web' })).toBeNull();
  });

  it('matches as Alertmanager does: anchored regexes, a missing label is empty', () => {
    const labels = { alertname: 'NexusHigh5xx', status: '503' };
    expect(matchesAll([{ name: 'status', op: '=~', value: '5..' }], labels)).toBe(true);
    expect(matchesAll([{ name: 'status', op: '=~', value: '50' }], labels)).toBe(false);
    expect(matchesAll([{ name: 'team', op: '!=', value: 'core' }], labels)).toBe(true);
    expect(matchesAll([{ name: 'team', op: '=', value: '' }], labels)).toBe(true);
    expect(matchesAll([{ name: 'alertname', op: '!~', value: 'Nexus.*' }], labels)).toBe(false);
    expect(formatMatcher({ name: 'service', op: '=~', value: 'a"b' })).toBe('service=~"a\\"b"');
  });

  it('starts a silence for one alert from the labels that name it', () => {
    expect(silenceMatchersFor({ alertname: 'DiskFull', instance: 'db-1', severity: 'P2' })).toEqual([
      { name: 'alertname', op: '=', value: 'DiskFull' },
      { name: 'instance', op: '=', value: 'db-1' },
    ]);
  });
});

describe('audit log filters', () => {
  const entry = (extra: Partial<AuditEntry>): AuditEntry => ({
    id: 1,
    at: '2024-05-01T10:00:00.000Z',
    actor: 'alice',
    actorId: null,
    action: 'user.create',
    targetLabel: null,
    target: null,
    outcome: 'success',
    statusCode: 201,
    requestId: null,
    ip: null,
    details: null,
    ...extra,
  });

  it('asks only for the filters that are set', () => {
    expect(auditQuery({ ...EMPTY_AUDIT_FORM, actor: ' alice ', action: 'user.', outcome: 'denied' })).toEqual({ actor: 'alice', action: 'user.', outcome: 'denied' });
    expect(auditQuery({ ...EMPTY_AUDIT_FORM, since: 'not a date' })).toEqual({});
    expect(auditQuery({ ...EMPTY_AUDIT_FORM, since: '2024-05-01T10:00' }).since).toBe(new Date('2024-05-01T10:00').toISOString());
  });

  it('appends a live entry only when it matches the filters, as the server would', () => {
    expect(matchesAuditQuery(entry({}), { action: 'user.' })).toBe(true);
    expect(matchesAuditQuery(entry({}), { action: 'user' })).toBe(false);
    expect(matchesAuditQuery(entry({ action: 'user' }), { action: 'user' })).toBe(true);
    expect(matchesAuditQuery(entry({}), { actor: 'bob' })).toBe(false);
    expect(matchesAuditQuery(entry({}), { since: '2024-05-01T11:00:00.000Z' })).toBe(false);
    expect(matchesAuditQuery(entry({}), { until: '2024-05-01T11:00:00.000Z', outcome: 'success' })).toBe(true);
  });

  it('puts a live entry on top once, even when the stream replays it', () => {
    const pages = [{ items: [entry({ id: 1 })], next: null }];
    const once = prependEntry(pages, entry({ id: 2 }));
    expect(once[0]!.items.map((e) => e.id)).toEqual([2, 1]);
    expect(prependEntry(once, entry({ id: 2 }))).toBe(once);
  });
});

describe('on-call wording', () => {
  it('says when an escalation level pages', () => {
    expect([0, 15, 60, 90, 1440, 'response-time' as const].map(describeDelay)).toEqual([
      'at once',
      'after 15 min',
      'after 1 h',
      'after 1 h 30 min',
      'after 1 d',
      "at the incident's response time",
    ]);
    expect([parseDelay(' 30 '), parseDelay('response-time'), parseDelay('soon'), parseDelay('99999')]).toEqual([30, 'response-time', null, null]);
  });

  it('names targets, and says a channel is one when the viewer may not list channels', () => {
    const directory = { contacts: new Map([['c1', 'Alice']]), rotations: new Map([['r1', 'Primary']]), channels: null };
    expect(describeTarget({ type: 'contact', id: 'c1' }, directory)).toBe('contact Alice');
    expect(describeTarget({ type: 'rotation', id: 'r1', whenCategory: 'security' }, directory)).toBe('rotation Primary, only for security incidents');
    expect(describeTarget({ type: 'channel', id: 'x' }, directory)).toBe('a channel');
  });

  it('offers token roles up to your own', () => {
    expect(rolesUpTo('operator')).toEqual(['viewer', 'responder', 'operator']);
    expect(rolesUpTo('viewer')).toEqual(['viewer']);
  });
});
