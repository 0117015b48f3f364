import { describe, expect, it } from 'vitest';
import type { DeploymentDetail } from '../../web/src/api/types.js';
import { availableActions, chartData, describeStep, elapsed } from '../../web/src/deployments/model.js';

const T0 = Date.parse('2026-12-07T10:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
type Step = DeploymentDetail['steps'][number];
const step = (index: number, kind: string, spec: Record<string, unknown>, state: Step['state']): Step => ({
  index,
  kind,
  spec: { kind, ...spec },
  state,
  message: null,
  startedAt: null,
  finishedAt: null,
});
const steps = [step(0, 'setWeight', { weight: 10 }, 'succeeded'), step(1, 'pause', {}, 'running'), step(2, 'gate', { url: 'https://ci.example' }, 'pending'), step(3, 'setWeight', { weight: 100 }, 'pending')];

describe('deployment page logic', () => {
  it('offers only what the server accepts in each state', () => {
    // Waiting for promotion: resume would be refused (promote it instead).
    expect(availableActions({ state: 'paused', currentStep: 1, steps })).toEqual(['promote', 'abort', 'rollback']);
    expect(availableActions({ state: 'progressing', currentStep: 2, steps })).toEqual(['promote', 'pause', 'abort', 'rollback']);
    expect(availableActions({ state: 'progressing', currentStep: 0, steps })).toEqual(['pause', 'abort', 'rollback']);
    expect(availableActions({ state: 'paused', currentStep: 0, steps })).toEqual(['resume', 'abort', 'rollback']);
    expect(availableActions({ state: 'succeeded', currentStep: 4, steps })).toEqual(['rollback']);
    for (const state of ['aborting', 'rolling_back', 'aborted', 'failed', 'rolled_back'] as const) expect(availableActions({ state, currentStep: 1, steps })).toEqual([]);
    expect(steps.map(describeStep)).toEqual(['Set weight 10 %', 'Pause until promoted', 'Gate: https://ci.example confirms', 'Set weight 100 %']);
  });

  it('shows a blue-green plan with its health URL, gate and promotion pause, and offers promote while it waits before the switch', () => {
    const plan = [
      step(0, 'healthCheck', { paths: ['/health', '/api/health'], url: 'http://nexus-backend-green.nexus-platform.svc:8000', timeoutSeconds: 60 }, 'succeeded'),
      step(1, 'gate', { url: 'https://ci.example' }, 'succeeded'),
      step(2, 'pause', {}, 'running'),
      step(3, 'setWeight', { weight: 100 }, 'pending'),
      step(4, 'pause', { durationSeconds: 30 }, 'pending'),
      step(5, 'scaleDown', {}, 'pending'),
    ];
    expect(plan.map(describeStep)).toEqual([
      'Health check /health, /api/health at http://nexus-backend-green.nexus-platform.svc:8000',
      'Gate: https://ci.example confirms',
      'Pause until promoted',
      'Set weight 100 %',
      'Pause 30 s',
      'Scale down the old colour',
    ]);
    expect(availableActions({ state: 'paused', currentStep: 2, steps: plan })).toEqual(['promote', 'abort', 'rollback']);
  });

  it('charts the weight as the router confirmed it and each metric with its threshold', () => {
    const detail = {
      createdAt: at(0),
      finishedAt: at(100),
      analysis: { metrics: [{ name: 'error rate', query: 'q', max: 0.05 }, { name: 'p95', query: 'q', max: 0.5 }] },
      timeline: [
        { seq: 1, at: at(1), kind: 'created', actor: 'a', summary: '', data: {} },
        { seq: 2, at: at(2), kind: 'traffic', actor: 'c', summary: '', data: { weight: 10 } },
        { seq: 3, at: at(40), kind: 'traffic', actor: 'c', summary: '', data: { weight: 0 } },
      ],
      measurements: [
        { seq: 1, step: 1, round: 0, metric: 'error rate', value: 0.01, phase: 'successful', message: null, weight: 10, at: at(20) },
        { seq: 2, step: 1, round: 1, metric: 'error rate', value: 0.2, phase: 'failed', message: null, weight: 10, at: at(30) },
        { seq: 3, step: 1, round: 1, metric: 'p95', value: null, phase: 'inconclusive', message: 'no data', weight: 10, at: at(30) },
      ],
    } as unknown as DeploymentDetail;
    const data = chartData(detail, T0 + 999_000);
    expect(data.weight).toEqual([
      { at: T0, value: 0 },
      { at: T0 + 2000, value: 10 },
      { at: T0 + 40_000, value: 0 },
      { at: T0 + 100_000, value: 0 },
    ]);
    expect(data.metrics).toEqual([
      { metric: 'error rate', max: 0.05, points: [{ at: T0 + 20_000, value: 0.01, phase: 'successful' }, { at: T0 + 30_000, value: 0.2, phase: 'failed' }] },
      { metric: 'p95', max: 0.5, points: [] },
    ]);
    expect([0, 59_600, 270_000, 3_720_000].map(elapsed)).toEqual(['0:00', '1:00', '4:30', '1:02:00']);
  });
});
