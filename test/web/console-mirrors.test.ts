import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATES } from '../../src/incidents/schema.js';
import { TRANSITIONS } from '../../src/incidents/lifecycle.js';
import { parseRunbook } from '../../src/runbooks/parser/index.js';
import { parametersOf } from '../../src/runbooks/runs/params.js';
import { DEFAULT_POLICY } from '../../src/runbooks/runs/policy.js';
import { STEP_STATES } from '../../src/runbooks/runs/schema.js';
import type { Procedure } from '../../web/src/api/types.js';
import { actionsFor, INCIDENT_ACTIONS } from '../../web/src/incidents/lifecycle.js';
import { requiredParameters } from '../../web/src/runs/parameters.js';
import { RUN_POLICY, stepActions } from '../../web/src/runs/policy.js';
import { STEP_STATE } from '../../web/src/runs/presentation.js';

/**
 * The console offers only what the server allows, from its own copies of a
 * few server rules (the API does not publish them). These tests fail when
 * the two drift apart.
 */
describe('what the console mirrors from the server', () => {
  it('offers exactly the incident state transitions of the server state machine', () => {
    for (const [action, rule] of Object.entries(TRANSITIONS)) {
      expect(INCIDENT_ACTIONS[action as keyof typeof INCIDENT_ACTIONS]?.from, action).toEqual(rule.from);
      expect(INCIDENT_ACTIONS[action as keyof typeof INCIDENT_ACTIONS]?.done, action).toBe(rule.to);
    }
    expect(Object.keys(INCIDENT_ACTIONS).sort()).toEqual(Object.keys(TRANSITIONS).sort());
    expect(Object.fromEntries(STATES.map((state) => [state, actionsFor(state)]))).toEqual({
      triggered: ['ack', 'mitigate', 'resolve'],
      acknowledged: ['mitigate', 'resolve'],
      mitigated: ['resolve'],
      resolved: ['close', 'reopen'],
      closed: ['reopen'],
    });
  });

  it("assumes the server's default run policy and names every step state", () => {
    expect(RUN_POLICY.request).toEqual({ read: DEFAULT_POLICY.read, change: DEFAULT_POLICY.change, destructive: DEFAULT_POLICY.destructive });
    expect(RUN_POLICY.approver).toBe(DEFAULT_POLICY.approver);
    expect(RUN_POLICY.approvalFrom).toBe(DEFAULT_POLICY.approvalFrom);
    expect(Object.keys(STEP_STATE).sort()).toEqual([...STEP_STATES].sort());
  });

  it('shows each person only the step actions the policy lets them take', () => {
    const destructive = { state: 'awaiting-approval' as const, risk: 'destructive' as const, requestedBy: 'u-operator', cancelRequested: false };
    // The requester may withdraw but not approve; another operator may approve; a responder may neither.
    expect(stepActions(destructive, { id: 'u-operator', role: 'operator' }, true)).toEqual(['reject', 'skip', 'cancel']);
    expect(stepActions(destructive, { id: 'u-admin', role: 'admin' }, true)).toEqual(['approve', 'reject', 'skip', 'cancel']);
    expect(stepActions(destructive, { id: 'u-responder', role: 'responder' }, true)).toEqual(['skip', 'cancel']);
    const pendingChange = { state: 'pending' as const, risk: 'change' as const, requestedBy: null, cancelRequested: false };
    expect(stepActions(pendingChange, { id: 'u-responder', role: 'responder' }, true)).toEqual(['skip', 'cancel']);
    expect(stepActions(pendingChange, { id: 'u-operator', role: 'operator' }, true)).toEqual(['run', 'skip', 'cancel']);
    expect(stepActions({ ...pendingChange, risk: 'read' }, { id: 'u-viewer', role: 'viewer' }, true)).toEqual([]);
    expect(stepActions({ ...pendingChange, risk: 'read' }, { id: 'u-operator', role: 'operator' }, false)).toEqual([]);
    expect(stepActions({ ...pendingChange, state: 'failed', risk: 'read' }, { id: 'u-responder', role: 'responder' }, true)).toEqual(['retry', 'skip']);
    expect(stepActions({ ...pendingChange, state: 'running', risk: 'read', cancelRequested: true }, { id: 'u-responder', role: 'responder' }, true)).toEqual([]);
  });

  it('asks for the same run parameters as the server, for every procedure of the test runbooks', async () => {
    const dir = path.resolve('test/fixtures/runbooks');
    let procedures = 0;
    for (const file of await fs.readdir(dir)) {
      const parsed = parseRunbook(await fs.readFile(path.join(dir, file), 'utf8'));
      for (const procedure of parsed.procedures) {
        procedures += 1;
        const asked = requiredParameters(procedure as unknown as Procedure).map((p) => p.name);
        expect(asked, `${file} ${procedure.id}`).toEqual(parametersOf(procedure).required);
      }
    }
    expect(procedures).toBeGreaterThan(5);
  });
});
