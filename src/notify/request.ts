import { InputError } from '../platform/errors.js';
import { TARGET_TYPES } from './oncall-schema.js';
import type { TargetRef } from './escalation.js';
import { isUuid } from '../platform/uuid.js';

/** What the incidents domain (or anyone) asks to send. */
export interface NotifyRequest {
  /** Idempotency key, e.g. `incident:<id>:level:<n>`: the same key never sends to the same destination twice. */
  key: string;
  incidentId?: string | undefined;
  subject: string;
  text: string;
  /** `P1`, `P2`, … shown in subjects and Slack messages. */
  severity?: string | undefined;
  /** Where to act on it (the incident in the console); http(s) only. */
  link?: string | undefined;
  targets: readonly TargetRef[];
  /**
   * Recipients may acknowledge from the message: each delivery carries its own
   * signed link, `urlPrefix` + token (claims: the incident, the escalation's
   * start, the expiry, the delivery as nonce). Needs `incidentId`.
   */
  ack?: AckLinkRequest | undefined;
  /**
   * When to look up who is on call for rotation targets (default: now). A
   * page names its escalation level's due time, so a pass repeating the
   * level after a handoff reaches the same people, and the key makes it a no-op.
   */
  at?: Date | undefined;
}

export interface AckLinkRequest {
  /** Where the token is appended: the incidents domain's acknowledge-link route for this incident. */
  urlPrefix: string;
  escalationStartedAt: Date;
  expiresAt: Date;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;
const SEVERITY = /^[A-Za-z0-9_-]{1,16}$/;
/** Longer subjects are refused: callers that quote free text (incident titles) cut it to fit. */
export const SUBJECT_MAX = 200;
const TEXT_MAX = 20_000;
const TARGETS_MAX = 200;

/**
 * Checked like an HTTP body, although it comes from other services: a
 * subject is an e-mail header (no line breaks) and a link ends up in Slack
 * markup and in e-mails people click.
 */
export function checkNotifyRequest(request: NotifyRequest): NotifyRequest {
  if (!KEY.test(request.key)) throw new InputError('notify: key must be 1-200 characters of letters, digits and . _ : / -');
  if (request.incidentId !== undefined && !isUuid(request.incidentId)) throw new InputError('notify: incidentId must be a UUID');
  const subject = request.subject.replace(/[\r\n\t]+/g, ' ').trim();
  if (subject === '' || subject.length > SUBJECT_MAX) throw new InputError(`notify: subject must be 1-${SUBJECT_MAX} characters`);
  if (request.text.length > TEXT_MAX) throw new InputError(`notify: text must be at most ${TEXT_MAX} characters`);
  if (request.at !== undefined && Number.isNaN(request.at.getTime())) throw new InputError('notify: at must be a valid time');
  if (request.severity !== undefined && !SEVERITY.test(request.severity)) throw new InputError('notify: severity must be a short label like P1');
  let link: string | undefined;
  if (request.link !== undefined) {
    const url = URL.parse(request.link);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new InputError('notify: link must be an http(s) URL');
    link = url.href;
  }
  if (request.ack !== undefined) checkAck(request.ack, request.incidentId);
  if (request.targets.length === 0 || request.targets.length > TARGETS_MAX) {
    throw new InputError(`notify: between 1 and ${TARGETS_MAX} targets are needed`);
  }
  for (const target of request.targets) {
    if (!(TARGET_TYPES as readonly string[]).includes(target.type) || !isUuid(target.id)) {
      throw new InputError('notify: each target needs a type (contact, rotation, channel) and a UUID id');
    }
  }
  return { ...request, subject, ...(link ? { link } : {}) };
}

function checkAck(ack: AckLinkRequest, incidentId: string | undefined): void {
  if (incidentId === undefined) throw new InputError('notify: an acknowledge link needs the incidentId');
  const url = URL.parse(ack.urlPrefix);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !ack.urlPrefix.endsWith('/')) {
    throw new InputError('notify: ack.urlPrefix must be an http(s) URL ending in /');
  }
  if (Number.isNaN(ack.escalationStartedAt.getTime()) || Number.isNaN(ack.expiresAt.getTime())) throw new InputError('notify: ack times must be valid');
}
