import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../web/src/api/types.js';
import { createBody, initialValues, parseParameters, updateBody } from '../../web/src/schedules/form.js';

const seeded: Schedule = {
  id: '7b0f6a39-3d4b-4a1e-9d7a-0c8e2f7a1b11',
  name: 'Weekly Tasks (nexus-platform)',
  description: null,
  cron: '0 7 * * 1',
  timeZone: 'UTC',
  targetKind: 'runbook',
  task: null,
  targetTitle: 'Weekly Tasks',
  runbookId: '1c8e2f7a-3d4b-4a1e-9d7a-7b0f6a390c8e',
  runbook: 'nexus-platform',
  procedure: 'weekly-tasks',
  parameters: {},
  owner: { id: '2d4b4a1e-3d4b-4a1e-9d7a-7b0f6a390c8e', username: 'admin' },
  enabled: false,
  missedPolicy: 'run-once',
  nextDueAt: null,
  lastRun: null,
  seeded: true,
  createdAt: '2027-01-01T00:00:00.000Z',
  updatedAt: '2027-01-01T00:00:00.000Z',
};

describe('the schedule form', () => {
  it('reads NAME=value lines, keeping an = inside the value, and names a bad line', () => {
    expect(parseParameters('S3_BUCKET=nexus-backups\n\n  QUERY=a=b  ')).toEqual({ values: { S3_BUCKET: 'nexus-backups', QUERY: 'a=b' } });
    expect(parseParameters('S3_BUCKET=x\njust words')).toEqual({ error: 'Line 2 is not NAME=value' });
  });

  it('sends only what changed, and the whole target when a parameter changed', () => {
    const values = initialValues(seeded);
    expect(updateBody(seeded, { ...values, cron: ' 0 5 * * 1 ' }, {})).toEqual({ cron: '0 5 * * 1' });
    const withBucket = { ...values, parameters: 'S3_BUCKET=nexus-backups' };
    expect(updateBody(seeded, withBucket, { S3_BUCKET: 'nexus-backups' })).toEqual({
      runbook: 'nexus-platform',
      procedure: 'weekly-tasks',
      parameters: { S3_BUCKET: 'nexus-backups' },
    });
    expect(updateBody(seeded, { ...values, description: '' }, {})).toEqual({});
  });

  it('creates a task schedule without runbook fields', () => {
    const values = { ...initialValues(null), name: ' nightly ', task: 'backup.create', enabled: true };
    expect(createBody(values, {})).toEqual({ name: 'nightly', cron: '0 6 * * *', timeZone: 'UTC', missedPolicy: 'run-once', enabled: true, task: 'backup.create' });
  });
});
