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

function parseTime(value: string | undefined, where: string): Date | null {
  if (value === undefined || value === '' || value === GO_ZERO_TIME) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InputError(`${where} is not an RFC 3339 timestamp`);
  return date.getUTCFullYear() <= GO_ZERO_YEAR ? null : date;
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
