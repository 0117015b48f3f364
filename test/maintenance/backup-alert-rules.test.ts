import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function promtool(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('promtool', args, { timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, output: stdout + stderr }),
    );
  });
}

describe('the shipped backup alert rule', () => {
  it('is valid', async () => {
    const res = await promtool(['check', 'rules', 'deploy/prometheus/rules/nexus-backups.yml']);
    expect(res.output).toContain('SUCCESS: 2 rules found');
    expect(res.code).toBe(0);
  });

  it('fires when no backup was verified for 26 hours, and stays quiet while verifications keep coming (promtool test rules)', async () => {
    const res = await promtool(['test', 'rules', 'test/maintenance/promtool/nexus-backups.test.yml']);
    expect(res.output).toContain('SUCCESS');
    expect(res.code).toBe(0);
  });
});
