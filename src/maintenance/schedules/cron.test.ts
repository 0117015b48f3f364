import { describe, expect, it } from 'vitest';
import { checkCron, checkTimeZone, dueBetween, MAX_DUE_TIMES, nextDue } from './cron.js';
import { plannedRuns } from './scheduler.js';

describe('cron and time zones', () => {
  it('normalises a valid expression and refuses anything but five cron fields', () => {
    expect(checkCron(' 0  6 * * 1-5 ', 'UTC')).toBe('0 6 * * 1-5');
    for (const bad of ['0 6 * * *; reboot', '@daily', '0 6 * *', '*/0 * * * *', '0 25 * * *', '0 6 * * * *', '0 6 `id` * *']) {
      expect(() => checkCron(bad, 'UTC'), bad).toThrow(/body\/cron/);
    }
  });

  it('accepts IANA names only', () => {
    expect(checkTimeZone('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    for (const bad of ['Nowhere/Special', 'UTC+1; rm', '/etc/localtime', '']) expect(() => checkTimeZone(bad), bad).toThrow(/body\/timeZone/);
  });

  it('finds due times across a daylight-saving change in the schedule\'s zone', () => {
    // Berlin moves to summer time on 28 March 2027: 06:00 local is 05:00 UTC before, 04:00 UTC after.
    expect(nextDue('0 6 * * *', 'Europe/Berlin', new Date('2027-03-27T06:00:00Z')).toISOString()).toBe('2027-03-28T04:00:00.000Z');
  });

  it('counts a long downtime without losing the newest due time', () => {
    const week = dueBetween('* * * * *', 'UTC', new Date('2027-01-01T00:00:00Z'), new Date('2027-01-08T00:00:30Z'));
    expect(week).toEqual({ earliest: new Date('2027-01-01T00:00:00Z'), latest: new Date('2027-01-08T00:00:00Z'), count: MAX_DUE_TIMES, capped: true });
    expect(dueBetween('0 * * * *', 'UTC', new Date('2027-01-01T00:00:00Z'), new Date('2027-01-01T03:30:00Z'))).toMatchObject({ count: 4, capped: false });
    expect(dueBetween('0 6 * * *', 'UTC', new Date('2027-01-01T06:00:01Z'), new Date('2027-01-01T07:00:00Z'))).toEqual({ latest: null, count: 0, earliest: null, capped: false });
  });

  it('plans one run per tick: on time, caught up once, or recorded as missed', () => {
    const now = new Date('2027-01-04T06:01:00Z');
    const due = { earliest: new Date('2027-01-01T06:00:00Z'), latest: new Date('2027-01-04T06:00:00Z'), count: 4 };
    const onTimeOnce = plannedRuns({ id: 's', missedPolicy: 'run-once' }, due, now, 300_000);
    expect(onTimeOnce.map((r) => [r.trigger, r.status])).toEqual([['due', 'queued']]);
    const onTimeSkip = plannedRuns({ id: 's', missedPolicy: 'skip' }, due, now, 300_000);
    expect(onTimeSkip.map((r) => [r.trigger, r.status, r.dueAt])).toEqual([
      ['missed', 'missed', due.earliest],
      ['due', 'queued', due.latest],
    ]);
    const late = new Date('2027-01-04T09:00:00Z');
    expect(plannedRuns({ id: 's', missedPolicy: 'run-once' }, due, late, 300_000).map((r) => [r.trigger, r.dueAt, r.details])).toEqual([
      ['catch-up', due.latest, { missedCount: 4, firstMissedAt: '2027-01-01T06:00:00.000Z' }],
    ]);
  });
});
