import { Type } from 'typebox';
import { decodeCursor, ErrorResponse, IdParams, Page, toPage } from '../platform/http/schemas.js';
import type { App } from '../platform/http/types.js';
import { toDelivery, type DeliveryService } from './delivery.js';
import {
  Channel,
  ChannelTestBody,
  ChannelTestResult,
  Contact,
  CreateChannelBody,
  CreateContactBody,
  Delivery,
  DeliveryListQuery,
  NameListQuery,
  UpdateChannelBody,
  UpdateContactBody,
} from './schema.js';
import { toChannel, toContact, type DirectoryService } from './service.js';

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse };

/** Keyset cursor over (name, id), the order of every named list in this domain. */
export function nameCursor(cursor: string | undefined): [string, string] | null {
  return decodeCursor(cursor, ['string', 'string']) as [string, string] | null;
}

/** What a channel change may say in the audit log: never the URL or the secret, only that they were set. */
function channelAuditDetails(body: { name?: string; kind?: string; url?: string | null; secret?: string | null; settings?: object; enabled?: boolean }) {
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.kind !== undefined ? { kind: body.kind } : {}),
    ...(body.url !== undefined ? { urlChanged: true } : {}),
    ...(body.secret !== undefined ? { secretChanged: true } : {}),
    ...(body.settings !== undefined ? { settings: body.settings } : {}),
    ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
  };
}

export function contactRoutes(app: App, directory: DirectoryService): void {
  const tags = ['contacts'];
  app.get(
    '/api/v1/contacts',
    { schema: { tags, summary: 'Contacts by name', querystring: NameListQuery, response: { 200: Page(Contact), ...errors } }, config: { access: 'viewer' } },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const rows = await directory.listContacts(limit, nameCursor(request.query.cursor));
      return toPage(rows, limit, toContact, (row) => [row.name, row.id]);
    },
  );
  app.post(
    '/api/v1/contacts',
    { schema: { tags, summary: 'Add a contact', body: CreateContactBody, response: { 201: Contact, ...errors } }, config: { access: 'admin', audit: 'contact.create' } },
    async (request, reply) => {
      request.auditDetails = { name: request.body.name };
      const contact = await directory.createContact(request.body);
      request.auditTarget = contact.id;
      return reply.status(201).send(contact);
    },
  );
  app.get(
    '/api/v1/contacts/:id',
    { schema: { tags, summary: 'One contact', params: IdParams, response: { 200: Contact, ...errors } }, config: { access: 'viewer' } },
    async (request) => directory.getContact(request.params.id),
  );
  app.patch(
    '/api/v1/contacts/:id',
    {
      schema: { tags, summary: 'Change a contact (null clears a field)', params: IdParams, body: UpdateContactBody, response: { 200: Contact, ...errors } },
      config: { access: 'admin', audit: 'contact.update' },
    },
    async (request) => {
      request.auditDetails = { fields: Object.keys(request.body) };
      return directory.updateContact(request.params.id, request.body);
    },
  );
  app.delete(
    '/api/v1/contacts/:id',
    {
      schema: { tags, summary: 'Delete a contact no rotation or policy pages', params: IdParams, response: { 204: Type.Null(), ...errors } },
      config: { access: 'admin', audit: 'contact.delete' },
    },
    async (request, reply) => {
      await directory.deleteContact(request.params.id);
      return reply.status(204).send(null);
    },
  );
}

export function channelRoutes(app: App, directory: DirectoryService, delivery: DeliveryService): void {
  const tags = ['channels'];
  app.get(
    '/api/v1/channels',
    { schema: { tags, summary: 'Notification channels (URLs shown as their origin, secrets never)', querystring: NameListQuery, response: { 200: Page(Channel), ...errors } }, config: { access: 'admin' } },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const rows = await directory.listChannels(limit, nameCursor(request.query.cursor));
      return toPage(rows, limit, toChannel, (row) => [row.name, row.id]);
    },
  );
  app.post(
    '/api/v1/channels',
    { schema: { tags, summary: 'Add a channel (Slack, Teams, Mattermost, Discord, Telegram, ntfy, webhook, e-mail, or an SMS / voice provider)', body: CreateChannelBody, response: { 201: Channel, ...errors } }, config: { access: 'admin', audit: 'channel.create' } },
    async (request, reply) => {
      request.auditDetails = channelAuditDetails(request.body);
      const channel = await directory.createChannel(request.body);
      request.auditTarget = channel.id;
      return reply.status(201).send(channel);
    },
  );
  app.get(
    '/api/v1/channels/:id',
    { schema: { tags, summary: 'One channel', params: IdParams, response: { 200: Channel, ...errors } }, config: { access: 'admin' } },
    async (request) => directory.getChannel(request.params.id),
  );
  app.patch(
    '/api/v1/channels/:id',
    {
      schema: { tags, summary: 'Change a channel; url and secret are write-only (secret: null removes it)', params: IdParams, body: UpdateChannelBody, response: { 200: Channel, ...errors } },
      config: { access: 'admin', audit: 'channel.update' },
    },
    async (request) => {
      request.auditDetails = channelAuditDetails(request.body);
      return directory.updateChannel(request.params.id, request.body);
    },
  );
  app.post(
    '/api/v1/channels/:id/test',
    {
      schema: {
        tags,
        summary: 'Send a test message now and answer how it went (sms and voice: to the phone number `to`)',
        params: IdParams,
        body: ChannelTestBody,
        response: { 200: ChannelTestResult, ...errors },
      },
      config: { access: 'admin', audit: 'channel.test' },
    },
    async (request) => {
      const to = request.body?.to;
      const result = await delivery.testChannel(request.params.id, to, request.principal?.username ?? 'an admin');
      // The outcome, and the number called when there is one: who was disturbed by a test is worth knowing.
      request.auditDetails = { outcome: result.outcome, ...(to ? { to: result.to } : {}), ...(result.reason ? { reason: result.reason } : {}) };
      return result;
    },
  );
  app.delete(
    '/api/v1/channels/:id',
    {
      schema: { tags, summary: 'Delete a channel no policy uses', params: IdParams, response: { 204: Type.Null(), ...errors } },
      config: { access: 'admin', audit: 'channel.delete' },
    },
    async (request, reply) => {
      await directory.deleteChannel(request.params.id);
      return reply.status(204).send(null);
    },
  );
}

export function notificationRoutes(app: App, delivery: DeliveryService): void {
  app.get(
    '/api/v1/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'The delivery log, newest first: one row per notification and destination',
        querystring: DeliveryListQuery,
        response: { 200: Page(Delivery), ...errors },
      },
      config: { access: 'viewer' },
    },
    async (request) => {
      const { limit = 50, cursor, incidentId, key, state } = request.query;
      const before = decodeCursor(cursor, ['timestamp', 'uuid']) as [string, string] | null;
      const rows = await delivery.list({ incidentId, key, state, before }, limit);
      return toPage(rows, limit, toDelivery, (row) => [row.cursor, row.delivery.id]);
    },
  );
}
