import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { AppError } from '../platform/errors.js';
import { ErrorResponse } from '../platform/http/schemas.js';
import type { App } from '../platform/http/types.js';
import type { AckLinks, UsableAckLink } from './ack-links.js';
import { Incident } from './schema.js';

const tags = ['incidents'];
/** Form posts (the page's button, a phone call) are answered in HTML or TwiML, JSON callers in JSON. */
const Markup = Type.String({ description: 'An HTML page (text/html) or TwiML (text/xml), for form posts' });
const errors = { '4xx': Type.Union([ErrorResponse, Markup]), '5xx': ErrorResponse };

const AckLinkParams = Type.Object(
  { id: Type.String({ format: 'uuid' }), token: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' }) },
  { additionalProperties: false },
);

/**
 * Nothing (ntfy's http action, curl), the confirmation page's form, or
 * Twilio's <Gather> callback: a form with `Digits` beside a dozen call fields
 * Twilio adds as it pleases (hence extra fields are allowed, and ignored).
 */
const AckLinkBody = Type.Union([
  Type.Null(),
  Type.Object(
    { Digits: Type.Optional(Type.String({ maxLength: 32 })), CallSid: Type.Optional(Type.String({ maxLength: 64 })) },
    { additionalProperties: Type.String({ maxLength: 2000 }), maxProperties: 64 },
  ),
]);
type AckLinkBody = Static<typeof AckLinkBody>;

const AckLinkResult = Type.Object({
  acknowledged: Type.Boolean(),
  /** Who the acknowledgement is recorded as: the contact or channel the link was sent to. */
  actor: Type.String(),
  incident: Incident,
});

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The token is a credential: the page is not cached, indexed, or given away in a Referer when a link on it is followed. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · NEXUS</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1.1rem;padding:.6rem 1.4rem;border-radius:.4rem;border:0;background:#c62828;color:#fff;cursor:pointer}.muted{color:#666}</style></head><body><main>${body}</main></body></html>`;
}

const consoleLink = (id: string) => `<p><a href="/incidents/${escapeHtml(id)}">Open the incident in NEXUS</a> (sign-in needed)</p>`;

/** GET: what would be acknowledged, and a button that POSTs. Prefetching the link (chat apps, mail scanners) acknowledges nothing. */
function confirmationPage(link: UsableAckLink): string {
  const { incident } = link;
  return page(
    'Acknowledge',
    `<h1>[${escapeHtml(incident.severity)}] ${escapeHtml(incident.title)}</h1>` +
      `<p class="muted">Triggered ${escapeHtml(incident.triggeredAt.toISOString())} · paged ${escapeHtml(link.recipient)}</p>` +
      `<form method="post"><button type="submit">Acknowledge</button></form>` +
      `<p class="muted">Acknowledging stops the escalation; it is recorded as ${escapeHtml(link.actor)}. This link works once.</p>` +
      consoleLink(incident.id),
  );
}

function donePage(actor: string, incidentId: string): string {
  return page('Acknowledged', `<h1>Acknowledged</h1><p>Recorded as ${escapeHtml(actor)}; escalation has stopped.</p>${consoleLink(incidentId)}`);
}

function refusedPage(error: AppError, incidentId: string): string {
  return page('Cannot acknowledge', `<h1>Cannot acknowledge</h1><p>${escapeHtml(error.message)}</p>${consoleLink(incidentId)}`);
}

function twiml(say: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${escapeHtml(say)}</Say></Response>`;
}

type Caller = 'json' | 'browser' | 'phone';

function callerOf(request: FastifyRequest, body: AckLinkBody): Caller {
  if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return 'json';
  return body?.CallSid !== undefined ? 'phone' : 'browser';
}

/** Form bodies: only the acknowledge-link routes take them (this plugin's scope), parsed by URLSearchParams. */
function acceptForms(app: App): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
}

/**
 * The acknowledge link (`…/incidents/:id/ack-link/:token`): public, because
 * the signed token is the credential. GET shows a confirmation page; POST
 * acknowledges, answering JSON, an HTML page (the page's button) or TwiML (a
 * phone call's "press 1"), each with the status that says what happened.
 */
export function ackLinkRoutes(app: App, links: AckLinks): void {
  void app.register(async (scope: App) => {
    acceptForms(scope);
    scope.get(
      '/api/v1/incidents/:id/ack-link/:token',
      {
        schema: {
          tags,
          summary: 'The confirmation page of an acknowledge link (HTML; acknowledges nothing)',
          params: AckLinkParams,
          response: { 200: Type.String(), '4xx': Type.Union([ErrorResponse, Type.String()]), '5xx': ErrorResponse },
        },
        config: { access: 'public' },
      },
      async (request, reply) => {
        const { id, token } = request.params;
        reply.headers(PAGE_HEADERS);
        try {
          return confirmationPage(await links.check(id, token));
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return reply.status(error.statusCode).send(refusedPage(error, id));
        }
      },
    );
    scope.post(
      '/api/v1/incidents/:id/ack-link/:token',
      {
        schema: {
          tags,
          summary: 'Acknowledge through a signed link from a page, without a login (once, before it expires)',
          params: AckLinkParams,
          body: AckLinkBody,
          response: { 200: Type.Union([AckLinkResult, Markup]), ...errors },
        },
        config: { access: 'public', audit: 'incident.ack_link' },
      },
      async (request, reply) => {
        const { id, token } = request.params;
        const caller = callerOf(request, request.body);
        request.auditTarget = id;
        try {
          // "Press 1 to acknowledge": another key acknowledges nothing and leaves the link usable.
          if (caller === 'phone' && request.body?.Digits !== undefined && request.body.Digits !== '1') {
            request.auditDetails = { via: 'ack link', caller, acknowledged: false };
            return reply.type('text/xml; charset=utf-8').send(twiml('Not acknowledged. Goodbye.'));
          }
          const { link, incident } = await links.use(id, token);
          request.auditActor = link.actor;
          request.auditDetails = { via: 'ack link', caller, deliveryId: link.nonce, ...(link.channel ? { channel: link.channel } : {}) };
          if (caller === 'phone') return reply.type('text/xml; charset=utf-8').send(twiml('Acknowledged. Escalation has stopped. Goodbye.'));
          if (caller === 'browser') return reply.headers(PAGE_HEADERS).send(donePage(link.actor, id));
          return { acknowledged: true, actor: link.actor, incident };
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          request.auditDetails = { via: 'ack link', caller, refused: error.code };
          if (caller === 'json') throw error;
          reply.status(error.statusCode);
          if (caller === 'phone') return reply.type('text/xml; charset=utf-8').send(twiml(`Not acknowledged. ${error.message}`));
          return reply.headers(PAGE_HEADERS).send(refusedPage(error, id));
        }
      },
    );
  });
}
