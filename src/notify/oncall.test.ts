import { describe, expect, it } from 'vitest';
import { instantOf, isTimeZone, onCallShift, scheduledShift, type OverrideWindow, type WeeklySchedule } from './oncall.js';

const at = (iso: string) => new Date(iso);
const iso = (date: Date | undefined) => date?.toISOString();

/** Alice, Bob, Carol; handoff Monday 09:00 UTC; starts Monday 2024-01-01. */
const weekly: WeeklySchedule = {
  memberIds: ['alice', 'bob', 'carol'],
  handoffWeekday: 1,
  handoffTime: '09:00',
  timezone: 'UTC',
  startDate: '2024-01-01',
};

function who(schedule: WeeklySchedule, when: string, overrides: OverrideWindow[] = []) {
  return onCallShift(schedule, overrides, at(when))?.contactId ?? null;
}

describe('a weekly rotation', () => {
  it('has nobody on call before its first shift starts', () => {
    expect(scheduledShift(weekly, at('2024-01-01T08:59:59Z'))).toBeNull();
  });

  it('hands off every Monday at 09:00 to the next member and wraps around', () => {
    expect(who(weekly, '2024-01-01T09:00:00Z')).toBe('alice');
    expect(who(weekly, '2024-01-08T08:59:59Z')).toBe('alice');
    expect(who(weekly, '2024-01-08T09:00:00Z')).toBe('bob');
    expect(who(weekly, '2024-01-15T09:00:00Z')).toBe('carol');
    expect(who(weekly, '2024-01-22T09:00:00Z')).toBe('alice');
    // A year on: 52 weeks = 17 full cycles of 3 plus 1, so the 53rd shift is Bob's.
    expect(who(weekly, '2024-12-30T09:00:00Z')).toBe('bob');
  });

  it('reports the shift window', () => {
    const shift = scheduledShift(weekly, at('2024-01-10T12:00:00Z'));
    expect(shift).toEqual({ contactId: 'bob', source: 'schedule', from: at('2024-01-08T09:00:00Z'), until: at('2024-01-15T09:00:00Z') });
  });

  it('gives the first member a short first shift when the start date is not the handoff weekday', () => {
    const fromWednesday = { ...weekly, startDate: '2024-01-03' };
    expect(who(fromWednesday, '2024-01-03T08:59:00Z')).toBeNull();
    expect(who(fromWednesday, '2024-01-03T09:00:00Z')).toBe('alice');
    expect(who(fromWednesday, '2024-01-08T08:59:00Z')).toBe('alice');
    expect(who(fromWednesday, '2024-01-08T09:00:00Z')).toBe('bob');
  });

  it('keeps a shift across the week boundary (Sunday 23:00 handoff, Monday morning unchanged)', () => {
    const sundayNight = { ...weekly, handoffWeekday: 7, handoffTime: '23:00', startDate: '2024-01-07' };
    expect(who(sundayNight, '2024-01-07T23:00:00Z')).toBe('alice');
    expect(who(sundayNight, '2024-01-08T01:00:00Z')).toBe('alice');
    expect(who(sundayNight, '2024-01-14T22:59:59Z')).toBe('alice');
    expect(who(sundayNight, '2024-01-14T23:00:00Z')).toBe('bob');
    expect(who(sundayNight, '2024-01-15T06:00:00Z')).toBe('bob');
  });

  it('hands off at local time: Monday 09:00 in Auckland is Sunday 20:00 UTC', () => {
    const auckland = { ...weekly, timezone: 'Pacific/Auckland', startDate: '2024-07-01' };
    // NZST is UTC+12 in July: Monday 09:00 local is Sunday 21:00 UTC.
    expect(who(auckland, '2024-06-30T20:59:59Z')).toBeNull();
    expect(who(auckland, '2024-06-30T21:00:00Z')).toBe('alice');
    expect(who(auckland, '2024-07-07T20:59:59Z')).toBe('alice');
    expect(who(auckland, '2024-07-07T21:00:00Z')).toBe('bob');
  });

  it('stays at 09:00 local across a daylight-saving change', () => {
    const newYork = { ...weekly, timezone: 'America/New_York', startDate: '2024-03-04' };
    // 2024-03-04 09:00 EST = 14:00 UTC; clocks go forward on 2024-03-10; 2024-03-11 09:00 EDT = 13:00 UTC.
    expect(who(newYork, '2024-03-04T13:59:59Z')).toBeNull();
    expect(who(newYork, '2024-03-04T14:00:00Z')).toBe('alice');
    expect(who(newYork, '2024-03-11T12:59:59Z')).toBe('alice');
    expect(who(newYork, '2024-03-11T13:00:00Z')).toBe('bob');
    expect(iso(scheduledShift(newYork, at('2024-03-05T00:00:00Z'))?.until)).toBe('2024-03-11T13:00:00.000Z');
  });

  it('lets overrides win, newest first where they overlap, ending exactly at endsAt', () => {
    const overrides: OverrideWindow[] = [
      { contactId: 'dave', startsAt: at('2024-01-09T00:00:00Z'), endsAt: at('2024-01-10T00:00:00Z'), createdAt: at('2024-01-01T00:00:00Z') },
      { contactId: 'erin', startsAt: at('2024-01-09T12:00:00Z'), endsAt: at('2024-01-09T18:00:00Z'), createdAt: at('2024-01-02T00:00:00Z') },
    ];
    expect(who(weekly, '2024-01-08T23:59:59Z', overrides)).toBe('bob');
    expect(who(weekly, '2024-01-09T00:00:00Z', overrides)).toBe('dave');
    expect(who(weekly, '2024-01-09T12:00:00Z', overrides)).toBe('erin');
    expect(who(weekly, '2024-01-09T18:00:00Z', overrides)).toBe('dave');
    expect(who(weekly, '2024-01-10T00:00:00Z', overrides)).toBe('bob');
    expect(onCallShift(weekly, overrides, at('2024-01-09T13:00:00Z'))).toEqual({
      contactId: 'erin',
      source: 'override',
      from: at('2024-01-09T12:00:00Z'),
      until: at('2024-01-09T18:00:00Z'),
    });
  });

  it('lets an override put someone on call before the rotation starts', () => {
    const early: OverrideWindow[] = [{ contactId: 'dave', startsAt: at('2023-12-31T00:00:00Z'), endsAt: at('2024-01-02T00:00:00Z'), createdAt: at('2023-12-30T00:00:00Z') }];
    expect(who(weekly, '2023-12-31T12:00:00Z', early)).toBe('dave');
  });
});

describe('time zones', () => {
  it('knows IANA names and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('moves a wall-clock time in the spring-forward gap forward by the gap', () => {
    // 02:30 does not exist in New York on 2024-03-10; 03:30 EDT (07:30 UTC) is what a clock shows an hour later.
    expect(instantOf(Date.UTC(2024, 2, 10, 2, 30), 'America/New_York').toISOString()).toBe('2024-03-10T07:30:00.000Z');
    expect(instantOf(Date.UTC(2024, 2, 10, 9, 0), 'America/New_York').toISOString()).toBe('2024-03-10T13:00:00.000Z');
  });
});
