import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_EVENT } from '../../src/incidents/timeline.js';
import { NOTIFICATION_EVENTS } from '../../src/notify/delivery.js';
import type { DomainEvent } from '../../src/platform/events/index.js';
import { RUN_EVENT } from '../../src/runbooks/runs/events.js';
import { queryKeys } from '../../web/src/api/query-keys.js';
import { keysToInvalidate } from '../../web/src/live/invalidation.js';
import type { ServerEvent } from '../../web/src/live/sse.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';

const event = (type: string, data: unknown = {}): ServerEvent => ({ id: 'x', type, at: '2024-01-01T00:00:00.000Z', data });

describe('live invalidation', () => {
  it("covers every event name the server's domains declare, except streamed output", () => {
    const declared = [...Object.values(INCIDENT_EVENT), ...Object.values(RUN_EVENT), ...Object.values(NOTIFICATION_EVENTS)];
    const unhandled = declared.filter((type) => keysToInvalidate(event(type, { id: 'i', incidentId: 'i', runId: 'r' })).length === 0);
    expect(unhandled).toEqual([RUN_EVENT.output]);
  });

  it('refetches exactly what an event changed', () => {
    expect(keysToInvalidate(event('incident.updated', { id: 'inc-1' }))).toEqual([
      queryKeys.incidents.lists(),
      queryKeys.alerts.all,
      queryKeys.incidents.detail('inc-1'),
    ]);
    expect(keysToInvalidate(event('incident.timeline', { incidentId: 'inc-1', kind: 'note' }))).toEqual([
      queryKeys.incidents.timeline('inc-1'),
      queryKeys.incidents.postmortem('inc-1'),
    ]);
    expect(keysToInvalidate(event('incident.timeline', { incidentId: 'inc-1', kind: 'alert.resolved' }))).toContainEqual(queryKeys.alerts.all);
    // A deployment step on the incident's timeline moves the header's changes too.
    expect(keysToInvalidate(event('incident.timeline', { incidentId: 'inc-1', kind: 'change.deployment' }))).toContainEqual(queryKeys.incidents.detail('inc-1'));
    expect(keysToInvalidate(event('run.step', { runId: 'run-1', incidentId: null }))).toEqual([queryKeys.runs.lists(), queryKeys.runs.detail('run-1')]);
    for (const kind of ['deployment.traffic', 'deployment.analysis', 'deployment.gate', 'deployment.promoted']) {
      expect(keysToInvalidate(event(kind, { deploymentId: 'dep-1', event: { kind } }))).toEqual([queryKeys.deployments.lists(), queryKeys.deployments.detail('dep-1')]);
    }
    // A schedule run's every state change and progress report: that schedule's history and the list's last result.
    expect(keysToInvalidate(event('schedule.run', { id: 'sr-1', scheduleId: 'sch-1', status: 'running' }))).toEqual([
      queryKeys.schedules.list(),
      queryKeys.schedules.runs('sch-1'),
    ]);
    expect(keysToInvalidate(event('schedule.changed', { id: 'sch-1', deleted: false }))).toEqual([queryKeys.schedules.list()]);
    expect(keysToInvalidate(event('run.output', { runId: 'run-1' }))).toEqual([]);
    // Streamed output is not under the run's detail key: a step changing state does not refetch it.
    expect(queryKeys.runs.output('run-1', 'c1', 1).slice(0, 3)).not.toEqual(queryKeys.runs.detail('run-1'));
    expect(keysToInvalidate(event('something.new'))).toEqual([]);
    // The audit page appends entries itself; an entry refreshes what the audited change touched, when it succeeded.
    expect(keysToInvalidate(event('audit.recorded', { id: 7, action: 'contact.update', outcome: 'success' }))).toEqual([
      queryKeys.oncall.contacts,
      queryKeys.oncall.rotations,
    ]);
    expect(keysToInvalidate(event('audit.recorded', { id: 8, action: 'silence.create', outcome: 'denied' }))).toEqual([]);
    expect(keysToInvalidate(event('alerts.config_changed'))).toContainEqual(queryKeys.silences.all);
    expect(keysToInvalidate(event('alert.received', { received: 1, alertIds: ['a'] }))).toEqual([queryKeys.alerts.all]);
    // A rotation may have revoked every API token and ended every session.
    expect(keysToInvalidate(event('secrets.rotated', { id: 'r', mode: 'revoke' }))).toEqual([queryKeys.secrets.all, queryKeys.tokens.all, queryKeys.users.all]);
    // Malformed data never throws: an event is only a hint to refetch.
    expect(keysToInvalidate(event('incident.updated', null))).toEqual([queryKeys.incidents.lists(), queryKeys.alerts.all]);
  });

  describe('with the events a real NEXUS publishes', () => {
    let t: TestApp;
    const seen: DomainEvent[] = [];
    beforeAll(async () => {
      t = await createTestApp('pglite');
      t.server.bus.subscribe((published) => seen.push(published));
    });
    afterAll(async () => t?.close());

    it('refreshes the pages that show incidents, users, tokens and the audit log as they change', async () => {
      const created = await t.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: bearer(t.tokens.responder),
        payload: { title: 'Checkout is down', severity: 'P1' },
      });
      expect(created.statusCode).toBe(201);
      const incidentId = json<{ id: string }>(created).id;
      await t.inject({ method: 'POST', url: `/api/v1/incidents/${incidentId}/ack`, headers: bearer(t.tokens.responder), payload: {} });
      await t.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(t.tokens.viewer), payload: { name: 'ci' } });
      await t.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: bearer(t.tokens.admin),
        payload: { username: 'newcomer', password: 'newcomer-password-1', role: 'viewer' },
      });

      const keysOf = (type: string) => seen.filter((e) => e.type === type).flatMap((e) => keysToInvalidate(e));
      expect(keysOf('incident.created')).toContainEqual(queryKeys.incidents.lists());
      expect(keysOf('incident.updated')).toContainEqual(queryKeys.incidents.detail(incidentId));
      expect(keysOf('incident.timeline')).toContainEqual(queryKeys.incidents.timeline(incidentId));
      expect(keysOf('token.created')).toContainEqual(queryKeys.tokens.all);
      expect(keysOf('user.created')).toContainEqual(queryKeys.users.all);
      expect(seen.filter((e) => e.type === 'audit.recorded').map((e) => (e.data as { action: string }).action)).toContain('user.create');
      // Every kind of event this flow produced is understood (audit entries are appended by the audit page, not refetched).
      const types = [...new Set(seen.map((e) => e.type))].filter((type) => type !== 'audit.recorded');
      expect(types.filter((type) => keysToInvalidate(event(type, { id: 'x', incidentId: 'x' })).length === 0)).toEqual([]);
    });
  });
});
