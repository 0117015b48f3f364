import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailSender, emailContent } from '../../src/notify/channels/email.js';
import { DeliveryError, type OutgoingMessage } from '../../src/notify/channels/index.js';
import { slackPayload } from '../../src/notify/channels/slack.js';
import { sendWebhook } from '../../src/notify/channels/webhook.js';
import { pageSubject } from '../../src/incidents/paging.js';
import { startReceiver, startSmtp } from './support.js';

const message: OutgoingMessage = {
  deliveryId: '11111111-1111-4111-8111-111111111111',
  key: 'test:1',
  incidentId: null,
  subject: 'Subject',
  text: 'Body',
  severity: null,
  link: null,
  ackUrl: null,
  sentAt: '2025-01-01T00:00:00.000Z',
  paging: [],
};

describe('message rendering', () => {
  it('shows the severity once, whether or not the subject (a page) carries it already', () => {
    const page = { ...message, severity: 'P1', subject: pageSubject('Escalated: [P1] ', 'Database down') };
    expect(slackPayload(page).text).toBe('Escalated: [P1] Database down');
    expect(emailContent(page).subject).toBe('[NEXUS] Escalated: [P1] Database down');
    const plain = { ...message, severity: 'P2', subject: 'Backup verification failed' };
    expect(slackPayload(plain).text).toBe('[P2] Backup verification failed');
    expect(emailContent(plain).subject).toBe('[NEXUS P2] Backup verification failed');
  });
});

describe('channel senders against real servers', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    receiver = await startReceiver((_i, request) => (request.path === '/moved' ? 302 : 200));
  });
  afterAll(async () => Promise.all([smtp?.close(), receiver?.close()]));

  it('reports an SMTP login failure with the server reply and without the password', async () => {
    const wrong = 'wrong-password-9876543210';
    const sender = new EmailSender(smtp.url.replace(smtp.password, wrong), 'nexus@example.com');
    try {
      const failure = await sender.send('ops@example.com', message).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(DeliveryError);
      expect((failure as Error).message).toMatch(/^SMTP: .*535/);
      expect((failure as Error).message).not.toContain(wrong);
      expect(smtp.mails).toEqual([]);
    } finally {
      sender.close();
    }
  });

  it('does not follow a webhook redirect: a 3xx is a failed attempt', async () => {
    await expect(sendWebhook(`${receiver.url}/moved`, null, message)).rejects.toThrow(new DeliveryError('receiver answered HTTP 302'));
    expect(receiver.requests.map((r) => r.path)).toEqual(['/moved']);
  });

  it('reports a refused connection by its code, not by its URL', async () => {
    const closed = await startReceiver();
    await closed.close();
    await expect(sendWebhook(`${closed.url}/secret-path-token`, null, message)).rejects.toThrow(new DeliveryError('connection failed: ECONNREFUSED'));
  });
});
