import type { Clock } from '../platform/clock.js';
import { AppError, ConflictError } from '../platform/errors.js';
import type { LinkSigner } from '../platform/signed-links.js';
import type { NotifyModule } from '../notify/index.js';
import type { AckLinkStore } from './ack-link-store.js';
import type { IncidentRow } from './incident-store.js';
import type { Incident } from './schema.js';
import type { IncidentService } from './service.js';

/** How long a page's acknowledge link works after its level fell due. */
export const ACK_LINK_TTL_MS = 24 * 60 * 60_000;
/** The path the links are appended to; the route in ack-link-routes.ts answers it. */
export const ackLinkPrefix = (publicUrl: string, incidentId: string) => `${publicUrl}/api/v1/incidents/${incidentId}/ack-link/`;

/** A link that can no longer be used (expired, used, from before a reopen): 410, the link is gone for good. */
export class AckLinkGoneError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(410, code, message, details);
  }
}

/**
 * Not a link this NEXUS issued for this incident (forged, altered, another
 * incident's): 404, as for any path that names nothing. Not 401/403: the
 * route is public, the link itself is the credential, and it does not exist.
 */
export class AckLinkInvalidError extends AppError {
  constructor() {
    super(404, 'ack_link_invalid', 'This acknowledge link is not valid: it was not issued by this NEXUS for this incident, or it was altered');
  }
}

/** A link that would acknowledge now: the incident, and whom it was sent to. */
export interface UsableAckLink {
  incident: IncidentRow;
  nonce: string;
  /** Who acknowledges by using it: `On-Call Engineer via ack link`. */
  actor: string;
  recipient: string;
  channel: string | null;
}

export interface AckLinkDeps {
  signer: LinkSigner;
  store: AckLinkStore;
  incidents: Pick<IncidentService, 'row' | 'transition'>;
  recipients: Pick<NotifyModule, 'recipient'>;
  clock: Clock;
}

/** Audit and timeline actors are short; a contact's name may be up to 200 characters. */
const ACTOR_NAME_MAX = 48;

/**
 * Acknowledging from a page without a login: each delivery of a page carries
 * a link signed by notify (platform/signed-links.ts) naming the incident, the
 * escalation's start, an expiry and the delivery as nonce. A link works once,
 * until it expires, only for that incident and escalation, and only while the
 * incident waits for an acknowledgement; whoever uses it acknowledges as the
 * contact or channel it was sent to.
 */
export class AckLinks {
  constructor(private readonly deps: AckLinkDeps) {}

  /** Checks a link without using it (the confirmation page); throws what makes it unusable. */
  async check(incidentId: string, token: string): Promise<UsableAckLink> {
    const claims = this.deps.signer.verify(token);
    if (!claims || claims.subject !== incidentId) throw new AckLinkInvalidError();
    if (this.deps.clock() >= claims.expiresAt) {
      throw new AckLinkGoneError('ack_link_expired', `This acknowledge link expired at ${claims.expiresAt.toISOString()}; acknowledge in NEXUS instead`, {
        expiredAt: claims.expiresAt.toISOString(),
      });
    }
    const used = await this.deps.store.used(claims.nonce);
    if (used) {
      throw new AckLinkGoneError('ack_link_used', `This acknowledge link was used already, at ${used.usedAt.toISOString()}`, { usedAt: used.usedAt.toISOString() });
    }
    const incident = await this.deps.incidents.row(incidentId);
    if (incident.escalationStartedAt?.getTime() !== claims.epochMs) {
      throw new AckLinkGoneError('ack_link_stale', 'This acknowledge link was sent before the incident was reopened; use a newer page or NEXUS');
    }
    if (incident.state !== 'triggered') {
      throw new ConflictError(`The incident is ${incident.state} already: there is nothing to acknowledge`, { state: incident.state });
    }
    const recipient = await this.deps.recipients.recipient(claims.nonce);
    // A valid signature names a delivery of this incident; a missing one was deleted with its notification.
    if (recipient && recipient.incidentId !== incidentId) throw new AckLinkInvalidError();
    const name = recipient?.name ?? 'a paged recipient';
    const short = name.length > ACTOR_NAME_MAX ? `${name.slice(0, ACTOR_NAME_MAX - 1)}…` : name;
    return { incident, nonce: claims.nonce, actor: `${short} via ack link`, recipient: name, channel: recipient?.channel ?? null };
  }

  /** Acknowledges through the link, once. */
  async use(incidentId: string, token: string): Promise<{ link: UsableAckLink; incident: Incident }> {
    const link = await this.check(incidentId, token);
    if (!(await this.deps.store.markUsed(link.nonce, incidentId, link.actor, this.deps.clock()))) {
      throw new AckLinkGoneError('ack_link_used', 'This acknowledge link was used already');
    }
    try {
      return { link, incident: await this.deps.incidents.transition(link.actor, incidentId, 'ack') };
    } catch (error) {
      // Someone acknowledged (or resolved) in between: the link did nothing, so it is not spent.
      await this.deps.store.release(link.nonce, incidentId);
      throw error;
    }
  }
}
