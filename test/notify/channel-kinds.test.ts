import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/index.js';
import type { Channel, ChannelTestResult, Delivery } from '../../src/notify/schema.js';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { startReceiver, waitFor, type ReceivedRequest } from './support.js';

const PUBLIC = 'https://nexus.example.test';
const TG_TOKEN = '123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0';
const TWILIO_TOKEN = 'twilio-auth-token-0123456789abcdef';
const NTFY_TOKEN = 'tk_ntfyaccesstoken0123456789abcd';
const SID = 'AC0123456789abcdef0123456789abcdef';
const PATH_SECRETS = ['teams-path-secret', 'mattermost-hook-secret', 'discord-token-secret', 'nexus-oncall'];
/** Hostile on purpose: markup for Telegram and TwiML, a mention for chats. */
const TITLE = 'Checkout <api> & @everyone down';
const SUBJECT = `[P1] ${TITLE}`;

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/**
 * Every channel kind through real delivery (incident → pager → queue →
 * sender) to a local receiver standing in for the service, checking the
 * exact request each service documents: method, path, headers, auth, body.
 */
describe.each(ENGINES)('channel kinds on %s', (engine) => {
  let t: TestApp;
  let receiver: Receiver;
  let incident: Incident;
  let text: string;
  const channels: Record<string, string> = {};

  const api = async <T>(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) => {
    const res = await t.inject({ method, url, headers: bearer(t.tokens.admin), ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: res.statusCode, body: res.json() as T };
  };
  const created = async (body: Record<string, unknown>) => {
    const res = await api<Channel>('POST', '/api/v1/channels', body);
    if (res.status !== 201) throw new Error(`channel ${String(body.name)}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  };
  const link = () => `${PUBLIC}/incidents/${incident.id}`;
  const ackPrefix = () => `${PUBLIC}/api/v1/incidents/${incident.id}/ack-link/`;
  const ackUrl = () => expect.stringMatching(new RegExp(`^${ackPrefix().replace(/[.]/g, '\\.')}[A-Za-z0-9_-]{82}$`));
  /** The one page that reached `path` (later tests send test messages there too). */
  const only = (path: string): ReceivedRequest => {
    const pages = receiver.requests.filter((r) => r.path === path && !r.body.includes('Test+message') && !r.body.includes('Test message'));
    expect(pages).toHaveLength(1);
    return pages[0]!;
  };
  const form = (request: ReceivedRequest) => Object.fromEntries(new URLSearchParams(request.body));

  beforeAll(async () => {
    // Refuses bot tokens that say "refused", quoting the token back as a careless service might.
    receiver = await startReceiver((_i, request) => {
      const token = /\/bot([^/]*refused[^/]*)\//.exec(request.path)?.[1];
      return token ? { status: 401, json: { ok: false, error_code: 401, description: `Unauthorized: bot${token} is revoked` } } : 200;
    });
    t = await createTestApp(engine, { env: { NEXUS_PUBLIC_URL: PUBLIC, NEXUS_NOTIFY_RETRY_DELAY_SECONDS: '1' } });
    channels.teams = await created({ name: 'teams-ops', kind: 'teams', url: `${receiver.url}/teams/webhookb2/teams-path-secret` });
    channels.mattermost = await created({
      name: 'mattermost-ops',
      kind: 'mattermost',
      url: `${receiver.url}/hooks/mattermost-hook-secret`,
      settings: { channel: 'ops-alerts', username: 'NEXUS' },
    });
    channels.discord = await created({ name: 'discord-ops', kind: 'discord', url: `${receiver.url}/api/webhooks/1234/discord-token-secret` });
    channels.telegram = await created({ name: 'telegram-ops', kind: 'telegram', url: `${receiver.url}/tg`, secret: TG_TOKEN, settings: { chatId: '-1001234567890' } });
    channels.ntfy = await created({ name: 'ntfy-oncall', kind: 'ntfy', url: `${receiver.url}/ntfy/nexus-oncall`, secret: NTFY_TOKEN });
    const twilio = { url: `${receiver.url}/twilio`, secret: TWILIO_TOKEN, settings: { accountSid: SID, from: '+14155550100' } };
    channels.sms = await created({ name: 'sms-provider', kind: 'sms', ...twilio });
    channels.voice = await created({ name: 'voice-provider', kind: 'voice', ...twilio });
    const dana = await api<{ id: string }>('POST', '/api/v1/contacts', { name: 'Dana Phone', phone: '+44 20 7946 0958' });
    const chats = ['teams', 'mattermost', 'discord', 'telegram', 'ntfy'].map((kind) => ({ type: 'channel', id: channels[kind] }));
    const policy = await api<{ id: string }>('POST', '/api/v1/escalation-policies', {
      name: 'every-kind',
      levels: [{ delay: 0, targets: [...chats, { type: 'contact', id: dana.body.id }] }],
    });
    const opened = await t.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: bearer(t.tokens.responder),
      payload: { title: TITLE, severity: 'P1', escalationPolicyId: policy.body.id },
    });
    incident = opened.json() as Incident;
    await t.server.incidents.pager.idle();
    await waitFor(async () => {
      const rows = (await api<{ items: Delivery[] }>('GET', `/api/v1/notifications?incidentId=${incident.id}`)).body.items;
      return rows.length === 7 && rows.every((r) => r.state === 'sent') ? rows : null;
    }, 'seven deliveries sent');
    const [row] = await t.server.db.query<{ text: string }>(`SELECT text FROM notifications WHERE incident_id = $1`, [incident.id]);
    text = row!.text;
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('texts and calls the paged contact through the sms and voice channels, once each', async () => {
    const rows = (await api<{ items: Delivery[] }>('GET', `/api/v1/notifications?incidentId=${incident.id}`)).body.items;
    expect(rows.filter((r) => r.contactId).map((r) => `${r.target} ${r.channel} ${r.state} ${r.via}`).sort()).toEqual([
      'sms:442079460958 sms sent contact:Dana Phone',
      'voice:442079460958 voice sent contact:Dana Phone',
    ]);
  });

  it('Teams: an Adaptive Card message with Acknowledge and Open buttons', () => {
    const request = only('/teams/webhookb2/teams-path-secret');
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: '[P1] Checkout <api> & @\u200beveryone down', weight: 'Bolder', size: 'Medium', wrap: true, color: 'Attention' },
              { type: 'TextBlock', text: text.replace('@everyone', '@\u200beveryone'), wrap: true },
              { type: 'TextBlock', text: 'Paging: Dana Phone', isSubtle: true, wrap: true },
            ],
            actions: [
              { type: 'Action.OpenUrl', title: 'Acknowledge', url: ackUrl() },
              { type: 'Action.OpenUrl', title: 'Open in NEXUS', url: link() },
            ],
          },
        },
      ],
    });
  });

  it('Mattermost: headline, a coloured attachment with the links, channel and username overrides, mentions defused', () => {
    const request = only('/hooks/mattermost-hook-secret');
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request.body) as { attachments: Array<{ text: string }> };
    expect(body).toEqual({
      text: '**[P1] Checkout <api> & @\u200beveryone down**',
      attachments: [{ fallback: '[P1] Checkout <api> & @\u200beveryone down', color: '#d32f2f', text: expect.any(String) }],
      channel: 'ops-alerts',
      username: 'NEXUS',
    });
    const [message, paging, links] = body.attachments[0]!.text.split('\n\n').slice(-3);
    expect(body.attachments[0]!.text.startsWith(text.replace('@everyone', '@\u200beveryone'))).toBe(true);
    expect(message).toContain('Open it:');
    expect(paging).toBe('Paging: Dana Phone');
    expect(links).toMatch(new RegExp(`^\\[Acknowledge\\]\\(${ackPrefix().replace(/[.]/g, '\\.')}[A-Za-z0-9_-]{82}\\) · \\[Open in NEXUS\\]\\(${link().replace(/[.]/g, '\\.')}\\)$`));
  });

  it('Discord: content and an embed, with mentions locked down', () => {
    const request = only('/api/webhooks/1234/discord-token-secret');
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request.body) as { embeds: Array<{ description: string }> };
    expect(body).toEqual({
      content: SUBJECT,
      embeds: [{ title: SUBJECT, description: expect.any(String), url: link(), color: 0xd32f2f, timestamp: expect.any(String) }],
      allowed_mentions: { parse: [] },
    });
    const description = body.embeds[0]!.description;
    expect(description.startsWith(`${text}\n\nPaging: Dana Phone\n[Acknowledge](${ackPrefix()}`)).toBe(true);
    expect(description.endsWith(`) · [Open in NEXUS](${link()})`)).toBe(true);
  });

  it('Telegram: sendMessage on the bot token path, HTML escaped, inline keyboard buttons', () => {
    const request = only(`/tg/bot${TG_TOKEN}/sendMessage`);
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    const escaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(JSON.parse(request.body)).toEqual({
      chat_id: '-1001234567890',
      text: `<b>[P1] Checkout &lt;api&gt; &amp; @everyone down</b>\n\n${escaped(text)}\n\nPaging: Dana Phone`,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: { inline_keyboard: [[{ text: 'Acknowledge', url: ackUrl() }, { text: 'Open in NEXUS', url: link() }]] },
    });
  });

  it('ntfy: JSON publish to the server with the topic, priority from severity, bearer token, an http action that acknowledges', () => {
    const request = only('/ntfy/');
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toBe(`Bearer ${NTFY_TOKEN}`);
    expect(JSON.parse(request.body)).toEqual({
      topic: 'nexus-oncall',
      title: SUBJECT,
      message: `${text}\n\nPaging: Dana Phone`,
      priority: 5,
      tags: ['rotating_light', 'P1'],
      click: link(),
      actions: [
        { action: 'http', label: 'Acknowledge', url: ackUrl(), method: 'POST', clear: true },
        { action: 'view', label: 'Open in NEXUS', url: link() },
      ],
    });
  });

  it('SMS: a form-encoded Messages.json with basic auth, to the E.164 number', () => {
    const request = only(`/twilio/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TWILIO_TOKEN}`).toString('base64')}`);
    const fields = form(request);
    expect(Object.keys(fields).sort()).toEqual(['Body', 'From', 'To']);
    expect(fields).toEqual({ To: '+442079460958', From: '+14155550100', Body: expect.any(String) });
    const [first, ack, open] = fields.Body!.split('\n');
    expect(first).toBe(`NEXUS ${SUBJECT}`);
    expect(ack).toEqual(`Acknowledge: ${ack!.slice('Acknowledge: '.length)}`);
    expect(ack!.slice('Acknowledge: '.length)).toEqual(ackUrl());
    expect(open).toBe(link());
  });

  it('Voice: a Calls.json with inline TwiML that says the incident and gathers "press 1" to the acknowledge link', () => {
    const request = only(`/twilio/2010-04-01/Accounts/${SID}/Calls.json`);
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TWILIO_TOKEN}`).toString('base64')}`);
    const fields = form(request);
    expect(Object.keys(fields).sort()).toEqual(['From', 'To', 'Twiml']);
    expect(fields.To).toBe('+442079460958');
    expect(fields.From).toBe('+14155550100');
    const action = /action="([^"]+)"/.exec(fields.Twiml!)![1]!;
    expect(action).toEqual(ackUrl());
    expect(fields.Twiml).toBe(
      '<Response>' +
        `<Gather numDigits="1" timeout="10" method="POST" action="${action}">` +
        '<Say loop="2">NEXUS incident. [P1] Checkout &lt;api&gt; &amp; @everyone down. Press 1 to acknowledge.</Say>' +
        '</Gather><Say>Not acknowledged. Goodbye.</Say></Response>',
    );
  });

  it('gives every delivery its own acknowledge link', () => {
    const links = receiver.requests.flatMap((r) => [...decodeURIComponent(r.body.replace(/\+/g, ' ')).matchAll(/ack-link\/([A-Za-z0-9_-]{82})/g)].map((m) => m[1]));
    expect(new Set(links).size).toBe(7);
  });

  it('"send test" sends through each kind now and answers the outcome; sms and voice need a number', async () => {
    for (const kind of ['teams', 'mattermost', 'discord', 'telegram', 'ntfy']) {
      const res = await api<ChannelTestResult>('POST', `/api/v1/channels/${channels[kind]}/test`);
      expect(res.status, kind).toBe(200);
      expect(res.body).toMatchObject({ outcome: 'sent', reason: null, to: `channel:${kind === 'ntfy' ? 'ntfy-oncall' : `${kind}-ops`}` });
    }
    expect((await api('POST', `/api/v1/channels/${channels.sms}/test`, {})).status).toBe(400);
    expect((await api('POST', `/api/v1/channels/${channels.sms}/test`, { to: '+0 12 345' })).status).toBe(400);
    expect((await api('POST', `/api/v1/channels/${channels.teams}/test`, { to: '+442079460958' })).status).toBe(400);
    const call = await api<ChannelTestResult>('POST', `/api/v1/channels/${channels.voice}/test`, { to: '+1 (415) 555-0199' });
    expect(call.body).toMatchObject({ outcome: 'sent', to: '+14155550199' });
    const tests = receiver.requests.filter((r) => decodeURIComponent(r.body.replace(/\+/g, ' ')).includes('Test message from NEXUS'));
    expect(tests).toHaveLength(6);
    const audit = await api<{ items: Array<{ action: string; details: Record<string, unknown> }> }>('GET', '/api/v1/audit?action=channel.test&limit=20');
    expect(audit.body.items.find((e) => e.details.to === '+14155550199')?.details).toMatchObject({ outcome: 'sent' });
  });

  it('"send test" reports a refusal with the service\'s reason and without the token', async () => {
    const refused = await created({ name: 'telegram-refused', kind: 'telegram', url: `${receiver.url}/tg`, secret: '987654321:refusedrefusedrefusedrefusedrefused12', settings: { chatId: '42' } });
    const res = await api<ChannelTestResult>('POST', `/api/v1/channels/${refused}/test`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'failed', reason: 'receiver answered HTTP 401: Unauthorized: bot[redacted] is revoked' });
  });

  it('shows settings, never URLs paths, tokens or topics', async () => {
    const list = await t.inject({ method: 'GET', url: '/api/v1/channels?limit=100', headers: bearer(t.tokens.admin) });
    for (const secret of [TG_TOKEN, TWILIO_TOKEN, NTFY_TOKEN, ...PATH_SECRETS]) expect(list.body).not.toContain(secret);
    const sms = (list.json() as { items: Channel[] }).items.find((c) => c.name === 'sms-provider')!;
    expect(sms).toMatchObject({ kind: 'sms', url: `${receiver.url}/…`, secretSet: true, settings: { accountSid: SID, from: '+14155550100' } });
  });

  it('refuses channels that could not send, naming the field', async () => {
    const refusal = async (body: Record<string, unknown>) => {
      const res = await api<{ error: { message: string } }>('POST', '/api/v1/channels', { name: `bad-${randomUUID().slice(0, 8)}`, ...body });
      expect(res.status).toBe(400);
      return res.body.error.message;
    };
    expect(await refusal({ kind: 'teams' })).toBe('body/url is required for a teams channel');
    expect(await refusal({ kind: 'telegram', secret: TG_TOKEN })).toBe('body/settings/chatId is required for a telegram channel');
    expect(await refusal({ kind: 'telegram', secret: '123:../../evil/path/aaaaaaaaaaaaaaaaaaaaaaaaa', settings: { chatId: '1' } })).toMatch(/^body\/secret must be a bot token/);
    expect(await refusal({ kind: 'ntfy', url: 'https://ntfy.example.com/' })).toMatch(/^body\/url must be the topic URL/);
    expect(await refusal({ kind: 'sms', secret: TWILIO_TOKEN, settings: { accountSid: SID } })).toBe('body/settings/from is required for a sms channel');
    expect(await refusal({ kind: 'voice', settings: { accountSid: SID, from: '+14155550100' } })).toBe('body/secret (the auth token) is required for a voice channel');
    expect(await refusal({ kind: 'discord', url: 'https://discord.example/x', settings: { chatId: '1' } })).toBe('body/settings/chatId is not used by discord channels');
    expect(await refusal({ kind: 'mattermost', url: 'https://mm.example/hooks/x', secret: 'sixteen-characters-or-more' })).toBe('body/secret is not used by mattermost channels');
  });

  it('skips a phone that is not E.164 with the reason, and phones when no provider is enabled', async () => {
    const odd = await api<{ id: string }>('POST', '/api/v1/contacts', { name: 'Odd Number', phone: '+0 555 123 4567' });
    const first = await t.server.notify.notify({ key: `test:${randomUUID()}`, subject: 'S', text: 'T', targets: [{ type: 'contact', id: odd.body.id }] });
    expect(first.deliveries.map((d) => `${d.target} ${d.state} ${d.lastError}`).sort()).toEqual([
      'sms:05551234567 skipped the phone number +0 555 123 4567 is not in E.164 form (+ and 7 to 15 digits, no leading 0)',
      'voice:05551234567 skipped the phone number +0 555 123 4567 is not in E.164 form (+ and 7 to 15 digits, no leading 0)',
    ]);
    await api('PATCH', `/api/v1/channels/${channels.sms}`, { enabled: false });
    await api('PATCH', `/api/v1/channels/${channels.voice}`, { enabled: false });
    const second = await t.server.notify.notify({ key: `test:${randomUUID()}`, subject: 'S', text: 'T', targets: [{ type: 'contact', id: odd.body.id }] });
    expect(second.deliveries.map((d) => `${d.target} ${d.state} ${d.lastError}`)).toEqual([
      'phone:05551234567 skipped not configured: no sms or voice channel is enabled to text or call phones',
    ]);
  });
});
