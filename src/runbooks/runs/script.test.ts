import { describe, expect, it } from 'vitest';
import type { Placeholder } from '../model.js';
import { deriveStatus } from './progress.js';
import { isFollowStyle, rewritePlaceholders, selectorLabels } from './script.js';

const pod: Placeholder = { raw: '<affected-pod>', syntax: 'angle', param: 'AFFECTED_POD', line: 1 };
const ns: Placeholder = { raw: '$NAMESPACE', syntax: 'dollar', param: 'NAMESPACE', line: 1 };

describe('placeholders become environment references', () => {
  it.each([
    ['kubectl logs <affected-pod> -n $NAMESPACE', 'kubectl logs "${AFFECTED_POD}" -n $NAMESPACE'],
    ['echo "pod <affected-pod> is down"', 'echo "pod ${AFFECTED_POD} is down"'],
    ["echo 'pod <affected-pod>'", `echo 'pod '"\${AFFECTED_POD}"''`],
    ['echo \\"<affected-pod>', 'echo \\""${AFFECTED_POD}"'],
    ['POD_IP=$(kubectl get pod <affected-pod> -o jsonpath="{.status.podIP}")', 'POD_IP=$(kubectl get pod "${AFFECTED_POD}" -o jsonpath="{.status.podIP}")'],
  ])('%s', (text, expected) => {
    expect(rewritePlaceholders(text, [pod, ns])).toBe(expected);
  });
});

describe('command shapes', () => {
  it('knows follow-style commands', () => {
    expect(isFollowStyle('kubectl logs -f deployment/nexus-backend -n production | grep ERROR')).toBe(true);
    expect(isFollowStyle('tail -f /var/log/syslog')).toBe(true);
    expect(isFollowStyle('kubectl get pods -w')).toBe(true);
    expect(isFollowStyle('watch kubectl get pods')).toBe(true);
    expect(isFollowStyle('kubectl logs deployment/nexus-backend --tail=100')).toBe(false);
  });

  it('reads runner selectors', () => {
    expect(selectorLabels('k8s')).toEqual({ runner: 'k8s' });
    expect(selectorLabels('zone=eu,runner=db')).toEqual({ zone: 'eu', runner: 'db' });
    expect(selectorLabels(undefined)).toEqual({});
  });
});

describe('run status', () => {
  it.each([
    [['pending', 'pending'], 0, 'waiting'],
    [['succeeded', 'queued'], 0, 'running'],
    [['succeeded', 'running', 'failed'], 0, 'running'],
    [['succeeded', 'awaiting-approval'], 0, 'waiting'],
    [['succeeded', 'failed'], 0, 'failed'],
    [['succeeded', 'skipped'], 1, 'waiting'],
    [['succeeded', 'skipped'], 0, 'succeeded'],
    [['lost'], 0, 'failed'],
  ] as const)('%j with %i unticked checks is %s', (states, unchecked, status) => {
    expect(deriveStatus(states, unchecked)).toBe(status);
  });
});
