import { InputError } from '../platform/errors.js';
import { labelFingerprint, type Labels } from './matchers.js';
import type { AlertmanagerPayload, GenericAlert } from './schema.js';

/** One alert as both receivers hand it to the service. */
export interface IncomingAlert {
  source: 'alertmanager' | 'generic';
  status: 'firing' | 'resolved';
  labels: Labels;
  annotations: Labels;
  startsAt: Date;
  endsAt: Date | null;
  generatorUrl: string | null;
  fingerprint: string;
  /** The sender's grouping (Alertmanager's groupKey); null lets routing derive one. */
  groupKey: string | null;
}

/** Go's zero time: Alertmanager's "has not ended" for firing alerts. */
const GO_ZERO_YEAR = 1;
/** How Alertmanager writes it: every firing alert carries it, so it is recognised without parsing. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** RFC 3339 as Go writes it (up to nanoseconds, `Z` or an offset); `Date` alone also takes "2024" or "March 7". */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function parseTime(value: string | undefined, where: string): Date | null {
  if (value === undefined || value === '' || value === GO_ZERO_TIME) return null;
  const parts = RFC3339.exec(value);
  const date = parts ? new Date(value) : null;
  if (!parts || !date || Number.isNaN(date.getTime())) throw new InputError(`${where} is not an RFC 3339 timestamp`);
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  // `Date` rolls 2024-02-30 over to March 1st; the sender meant a day that does not exist.
  const calendar = new Date(Date.UTC(2000, month - 1, day));
  calendar.setUTCFullYear(year);
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) throw new InputError(`${where} is not a calendar date`);
  if (date.getUTCFullYear() <= GO_ZERO_YEAR) return null;
  if (year < 1970) throw new InputError(`${where} must be in the years 1970 to 9999`);
  return date;
}

function common(
  raw: { labels: Labels; annotations?: Labels | undefined; startsAt?: string | undefined; endsAt?: string | undefined; generatorURL?: string | undefined; fingerprint?: string | undefined },
  where: string,
  now: Date,
) {
  return {
    labels: raw.labels,
    annotations: raw.annotations ?? {},
    // No start given: the receipt time, the same instant as last-seen (the upsert keeps an earlier start on repeats).
    startsAt: parseTime(raw.startsAt, `${where}/startsAt`) ?? now,
    endsAt: parseTime(raw.endsAt, `${where}/endsAt`),
    generatorUrl: raw.generatorURL || null,
    // The sender's fingerprint when it gives one (Alertmanager always does), else our own from the labels.
    fingerprint: raw.fingerprint || labelFingerprint(raw.labels),
  };
}

export function fromAlertmanager(payload: AlertmanagerPayload, now: Date): IncomingAlert[] {
  return payload.alerts.map((a, i) => ({
    source: 'alertmanager',
    status: a.status,
    groupKey: payload.groupKey,
    ...common(a, `body/alerts/${i}`, now),
  }));
}

export function fromGeneric(body: GenericAlert | GenericAlert[], now: Date): IncomingAlert[] {
  const list = Array.isArray(body) ? body : [body];
  return list.map((a, i) => {
    const base = common(a, Array.isArray(body) ? `body/${i}` : 'body', now);
    // A generic sender that only says "it ended at T" (in the past) means resolved.
    const status = a.status ?? (base.endsAt && base.endsAt <= now ? 'resolved' : 'firing');
    return { source: 'generic', status, groupKey: a.groupKey ?? null, ...base };
  });
}
