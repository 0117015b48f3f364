import { describe, expect, it } from 'vitest';
import { labelFingerprint, linearRegexEngine, matches, matchesAll, validateMatchers } from './matchers.js';
import { defaultRules, RoutingService } from './routing.js';
import type { RuleRow } from './store.js';

describe('label matchers behave like Alertmanager', () => {
  const labels = { alertname: 'NexusHigh5xx', status: '503', team: 'core' };

  it('= and != compare whole values; a missing label is the empty string', () => {
    expect(matches({ name: 'team', op: '=', value: 'core' }, labels)).toBe(true);
    expect(matches({ name: 'team', op: '=', value: 'cor' }, labels)).toBe(false);
    expect(matches({ name: 'team', op: '!=', value: 'db' }, labels)).toBe(true);
    expect(matches({ name: 'team', op: '!=', value: 'core' }, labels)).toBe(false);
    expect(matches({ name: 'absent', op: '=', value: '' }, labels)).toBe(true);
    expect(matches({ name: 'absent', op: '!=', value: '' }, labels)).toBe(false);
  });

  it('=~ and !~ are anchored at both ends', () => {
    expect(matches({ name: 'status', op: '=~', value: '5..' }, labels)).toBe(true);
    expect(matches({ name: 'status', op: '=~', value: '5..' }, { status: '5030' })).toBe(false);
    expect(matches({ name: 'status', op: '=~', value: '0' }, labels)).toBe(false);
    expect(matches({ name: 'alertname', op: '=~', value: 'NexusHigh5xx|Other' }, labels)).toBe(true);
    expect(matches({ name: 'alertname', op: '=~', value: 'High5xx' }, labels)).toBe(false);
    expect(matches({ name: 'status', op: '!~', value: '4..' }, labels)).toBe(true);
    expect(matches({ name: 'status', op: '!~', value: '5..' }, labels)).toBe(false);
    // Anchoring covers alternations too: "a|b" is ^(?:a|b)$, not ^a|b$.
    expect(matches({ name: 'team', op: '=~', value: 'x|cor' }, labels)).toBe(false);
  });

  it('all matchers must hold, and no matchers match everything', () => {
    expect(matchesAll([{ name: 'team', op: '=', value: 'core' }, { name: 'status', op: '=~', value: '5..' }], labels)).toBe(true);
    expect(matchesAll([{ name: 'team', op: '=', value: 'core' }, { name: 'status', op: '=~', value: '4..' }], labels)).toBe(false);
    expect(matchesAll([], labels)).toBe(true);
  });

  it('an invalid regex is an input error naming the matcher', () => {
    expect(() => validateMatchers([{ name: 'a', op: '=', value: '(' }, { name: 'b', op: '=~', value: '(' }], 'body/matchers')).toThrow(
      /body\/matchers\/1\/value is not a valid regular expression/,
    );
  });

  it('regexes run in linear time, as on RE2: a rule like (a+)+$ cannot hold the process', () => {
    expect(linearRegexEngine).toBe(true);
    // On the backtracking engine each extra "a" doubles the time: 40 would take hours.
    const hostile = { x: `${'a'.repeat(40)}!` };
    expect(matches({ name: 'x', op: '=~', value: '(a+)+$' }, hostile)).toBe(false);
    expect(matches({ name: 'x', op: '=~', value: '(a|a)*' }, hostile)).toBe(false);
    expect(matches({ name: 'x', op: '=~', value: '.*.*.*b' }, { x: 'a'.repeat(4096) })).toBe(false);
    expect(matches({ name: 'x', op: '=~', value: '(a+)+!' }, hostile)).toBe(true);
  });

  it('refuses what RE2 has not either (backreferences, lookaround), naming the matcher', () => {
    expect(() => validateMatchers([{ name: 'a', op: '=~', value: '(a)\\1' }], 'body/matchers')).toThrow(/body\/matchers\/0\/value is not a valid regular expression/);
    expect(() => validateMatchers([{ name: 'a', op: '!~', value: '(?=a)a' }], 'body/matchers')).toThrow(/body\/matchers\/0\/value/);
  });

  it('remembered answers stay right, for short values and long ones', () => {
    const m = { name: 'alertname', op: '=~', value: 'NexusHigh.*|Other' } as const;
    for (let i = 0; i < 3; i++) {
      expect(matches(m, { alertname: 'NexusHighCPU' })).toBe(true);
      expect(matches(m, { alertname: 'NexusLow' })).toBe(false);
      expect(matches(m, { alertname: `NexusHigh${'x'.repeat(300)}` })).toBe(true);
      expect(matches(m, { alertname: `${'x'.repeat(300)}NexusHigh` })).toBe(false);
    }
  });

  it('the label fingerprint ignores label order and separates look-alike label sets', () => {
    const a = labelFingerprint({ alertname: 'X', service: 'api', env: 'prod' });
    expect(labelFingerprint({ env: 'prod', service: 'api', alertname: 'X' })).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(labelFingerprint({ a: 'b,c' })).not.toBe(labelFingerprint({ a: 'b', c: '' }));
    expect(labelFingerprint({ alertname: 'X', service: 'api', env: 'dev' })).not.toBe(a);
  });
});

describe('the default rules turn the seed symptoms into P1/P2/P3 with their procedure, titled by the alert', () => {
  const rules = defaultRules().map((r, i) => ({ ...r, id: `rule-${i}`, createdAt: new Date(), updatedAt: new Date() })) as RuleRow[];
  const route = (alertname: string) => {
    const rule = RoutingService.route(rules, { alertname, service: 'nexus-platform' });
    return rule && [rule.severity, rule.title, rule.procedureId];
  };

  it.each([
    ['NexusTargetDown', 'P1', 'Critical Service Down', 'p1-critical-service-down'],
    ['NexusHigh5xx', 'P1', 'Critical Service Down', 'p1-critical-service-down'],
    ['NexusHealthCheckFailing', 'P1', 'Critical Service Down', 'p1-critical-service-down'],
    ['NexusHighErrorRate', 'P2', 'High Error Rate', 'p2-high-error-rate'],
    ['NexusHighLatencyP95', 'P3', 'Performance Degradation', 'p3-performance-degradation'],
    ['NexusHighCPU', 'P3', 'Performance Degradation', 'p3-performance-degradation'],
    ['NexusHighMemory', 'P3', 'Performance Degradation', 'p3-performance-degradation'],
  ])('%s → %s %s', (alertname, severity, _procedure, procedureId) => {
    // No rule title: the incident is titled by the alert's summary, so two P1s of different causes read differently.
    expect(route(alertname)).toEqual([severity, null, procedureId]);
  });

  it('anything else falls to the catch-all, which takes the severity from the alert and attaches no runbook', () => {
    expect(route('DiskAlmostFull')).toEqual([null, null, null]);
    expect(route('NexusHighErrorRateX')).toEqual([null, null, null]);
  });
});
