import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { expandQuery, judge, measure, verdict, withDefaults, type MeasurementPhase } from './analysis.js';
import { renderUpstream } from './nginx.js';
import { planSteps } from './plan.js';

const errors = { name: '5xx-rate', query: 'x', max: 0.05 };

describe('analysis', () => {
  it('judges every sample against the thresholds and keeps the worst value', () => {
    expect(judge(errors, [0.01, 0.02])).toEqual({ metric: '5xx-rate', value: 0.02, phase: 'successful', message: null });
    expect(judge(errors, [0.01, 0.2])).toEqual({ metric: '5xx-rate', value: 0.2, phase: 'failed', message: '0.2 > max 0.05' });
    expect(judge({ name: 'rps', query: 'x', min: 1 }, [0.5])).toMatchObject({ phase: 'failed', message: '0.5 < min 1' });
    // 0/0 is NaN in PromQL: a canary without requests proves nothing either way.
    expect(judge(errors, [NaN])).toMatchObject({ phase: 'inconclusive', value: null });
    expect(judge(errors, [Infinity])).toMatchObject({ phase: 'inconclusive' });
  });

  it('fails past the failure limit, hands inconclusive rounds to a person past theirs, and passes after count rounds', () => {
    const settings = withDefaults({ metrics: [errors], count: 3, failureLimit: 1, inconclusiveLimit: 1 });
    const rounds = (...phases: MeasurementPhase[]) => phases.map((p) => [p]);
    expect(verdict(settings, rounds('successful'))).toBe('running');
    expect(verdict(settings, rounds('failed', 'successful'))).toBe('running');
    expect(verdict(settings, rounds('failed', 'failed'))).toBe('failed');
    expect(verdict(settings, rounds('inconclusive', 'inconclusive'))).toBe('inconclusive');
    expect(verdict(settings, rounds('successful', 'failed', 'inconclusive'))).toBe('successful');
    // A round with one failed metric fails, whatever the others said.
    expect(verdict(withDefaults({ metrics: [errors] }), [['successful', 'inconclusive', 'failed']])).toBe('failed');
  });

  it('substitutes only the named placeholders', () => {
    expect(expandQuery('rate(x{service="{{service}}",version="{{version}}"}[1m]) / rate(x{version="{{stableVersion}}"}[1m]) {{other}}', { service: 'web', version: 'v2', stableVersion: 'v1' })).toBe(
      'rate(x{service="web",version="v2"}[1m]) / rate(x{version="v1"}[1m]) {{other}}',
    );
  });
});

describe('plans and the nginx upstream', () => {
  it('defaults a canary to the seed 10 → 25 → 50 → 100, with analysis after each weight when there is one', () => {
    const base = { service: 'web', version: 'v2', upstream: '127.0.0.1:2' };
    expect(planSteps(base).map((s) => (s.kind === 'setWeight' ? s.weight : s.kind))).toEqual([10, 'pause', 25, 'pause', 50, 'pause', 100]);
    expect(planSteps({ ...base, analysis: { metrics: [errors] } }).map((s) => (s.kind === 'setWeight' ? s.weight : s.kind))).toEqual([10, 'analysis', 25, 'analysis', 50, 'analysis', 100]);
    expect(planSteps({ ...base, strategy: 'blue-green', blueGreen: { scaleDownDelaySeconds: 5 } }).map((s) => s.kind)).toEqual(['healthCheck', 'setWeight', 'pause', 'scaleDown']);
  });

  it('writes weights reduced to their smallest cycle and a 0 % backend as down', () => {
    const text = renderUpstream('web', [
      { version: 'v1', upstream: '127.0.0.1:1', weight: 75 },
      { version: 'v2', upstream: '127.0.0.1:2', weight: 25 },
      { version: 'v0', upstream: '127.0.0.1:3', weight: 0 },
    ]);
    expect(text.split('\n').filter((l) => !l.startsWith('#'))).toEqual([
      'upstream web {',
      '    server 127.0.0.1:1 weight=3;',
      '    server 127.0.0.1:2 weight=1;',
      '    server 127.0.0.1:3 down;',
      '}',
      '',
    ]);
    expect(() => renderUpstream('web', [{ version: 'v1', upstream: '127.0.0.1:1', weight: 0 }])).toThrow(/at least one backend/);
  });
});

describe('asking Prometheus', () => {
  it('sends the credentials of PROMETHEUS_URL as Basic auth and never shows them in a measurement', async () => {
    const seen: Array<string | undefined> = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success","data":{"resultType":"vector","result":[]}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const result = await measure(`http://prom-user:s3cret@127.0.0.1:${port}/`, errors, 'up');
      expect(result).toEqual({ metric: '5xx-rate', value: null, phase: 'inconclusive', message: 'no data' });
      expect(seen).toEqual([`Basic ${Buffer.from('prom-user:s3cret').toString('base64')}`]);
      const down = await measure(`http://prom-user:s3cret@127.0.0.1:1/`, errors, 'up');
      expect(down.phase).toBe('inconclusive');
      expect(down.message).not.toContain('s3cret');
    } finally {
      server.close();
    }
  });
});
