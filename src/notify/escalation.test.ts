import { describe, expect, it } from 'vitest';
import { planLevels, policyProblems, type PolicyShape } from './escalation.js';

const ON_CALL = '00000000-0000-4000-8000-000000000001';
const MANAGER = '00000000-0000-4000-8000-000000000002';
const SECURITY = '00000000-0000-4000-8000-000000000003';
const SLACK = '00000000-0000-4000-8000-000000000004';
const NAMES: Record<string, string> = { [ON_CALL]: 'On-Call Engineer', [MANAGER]: 'Escalation Manager', [SECURITY]: 'Security Team', [SLACK]: '#nexus-platform-alerts' };

/** The shape of the seed's default policy (created by defaults.ts). */
const seedPolicy: PolicyShape = {
  levels: [
    { delay: 0, targets: [{ type: 'contact', id: ON_CALL }, { type: 'contact', id: SECURITY, whenCategory: 'security' }] },
    { delay: 'response-time', targets: [{ type: 'contact', id: MANAGER }] },
  ],
  always: [{ type: 'channel', id: SLACK }],
};

const names = (t: { id: string }) => NAMES[t.id]!;
const summary = (plan: ReturnType<typeof planLevels>) => plan.map((l) => `L${l.level}@${l.afterMinutes}: ${l.targets.map((t) => t.name).join(', ')}`);

describe('escalation plan of the default policy', () => {
  it('pages the on-call engineer and Slack at trigger, the escalation manager at a P1 response time of 15 min', () => {
    expect(summary(planLevels(seedPolicy, { responseMinutes: 15 }, names))).toEqual([
      'L0@0: On-Call Engineer, #nexus-platform-alerts',
      'L1@15: Escalation Manager',
    ]);
  });

  it('adds the security team at trigger for a security incident', () => {
    const plan = planLevels(seedPolicy, { category: 'security', responseMinutes: 15 }, names);
    expect(summary(plan)).toEqual(['L0@0: On-Call Engineer, Security Team, #nexus-platform-alerts', 'L1@15: Escalation Manager']);
    expect(plan[0]!.targets[1]).toEqual({ type: 'contact', id: SECURITY, name: 'Security Team' });
  });

  it('uses the incident response time for response-time levels (P3: 60 min) and ignores other categories', () => {
    expect(summary(planLevels(seedPolicy, { category: 'performance', responseMinutes: 60 }, names))).toEqual([
      'L0@0: On-Call Engineer, #nexus-platform-alerts',
      'L1@60: Escalation Manager',
    ]);
  });

  it('orders levels by time and drops levels left without targets', () => {
    const policy: PolicyShape = {
      levels: [
        { delay: 0, targets: [{ type: 'contact', id: SECURITY, whenCategory: 'security' }] },
        { delay: 45, targets: [{ type: 'contact', id: ON_CALL }] },
        { delay: 'response-time', targets: [{ type: 'contact', id: MANAGER }] },
      ],
      always: [],
    };
    expect(summary(planLevels(policy, { responseMinutes: 30 }, names))).toEqual(['L2@30: Escalation Manager', 'L1@45: On-Call Engineer']);
  });

  it('names what is wrong with a policy: a first level after the trigger, a repeated target', () => {
    expect(policyProblems(seedPolicy)).toEqual([]);
    const bad: PolicyShape = {
      levels: [{ delay: 5, targets: [{ type: 'contact', id: ON_CALL }, { type: 'contact', id: ON_CALL }] }],
      always: [],
    };
    expect(policyProblems(bad)).toEqual([
      'levels/0/delay must be 0: the first level is paged at trigger',
      'levels/0/targets/1 repeats a target of the same level',
    ]);
  });
});
