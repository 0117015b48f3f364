import nodemailer, { type Transporter } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { DELIVERY_HEADER } from './webhook.js';
import { DeliveryError, scrub, SEND_TIMEOUT_MS, severityTag, type OutgoingMessage } from './index.js';

/** What an e-mail looks like; a pure function so tests and the console preview agree. */
export function emailContent(message: OutgoingMessage): { subject: string; text: string } {
  const tag = severityTag(message);
  const subject = `[NEXUS${tag ? ` ${tag}` : ''}] ${message.subject}`;
  const lines = [message.text, ''];
  if (message.ackUrl) lines.push(`Acknowledge (no sign-in needed): ${message.ackUrl}`);
  if (message.link) lines.push(`Open in NEXUS: ${message.link}`);
  if (message.incidentId) lines.push(`Incident: ${message.incidentId}`);
  lines.push(`Delivery: ${message.deliveryId}`);
  return { subject, text: lines.join('\n') };
}

/**
 * E-mail over SMTP with nodemailer, one transport for the process. The URL
 * (`smtp://user:pass@host:port`, `smtps://…`; nodemailer's query options such
 * as `?tls.rejectUnauthorized=false` work) is parsed by nodemailer itself.
 */
export class EmailSender {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;
  private readonly secrets: string[];

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    const options: SMTPTransport.Options = {
      ...parseConnectionUrl(smtpUrl),
      connectionTimeout: SEND_TIMEOUT_MS,
      greetingTimeout: SEND_TIMEOUT_MS,
      socketTimeout: SEND_TIMEOUT_MS,
      // nodemailer's own logger would print the SMTP dialogue, AUTH included.
      logger: false,
      debug: false,
    };
    this.transport = nodemailer.createTransport(options);
    const url = URL.parse(smtpUrl);
    this.secrets = [smtpUrl, url?.password ?? '', url?.password ? decodeURIComponent(url.password) : ''];
  }

  async send(to: string, message: OutgoingMessage): Promise<void> {
    const { subject, text } = emailContent(message);
    try {
      await this.transport.sendMail({
        from: this.from,
        to,
        subject,
        text,
        headers: { [DELIVERY_HEADER]: message.deliveryId },
      });
    } catch (error) {
      // SMTP replies ("535 Authentication failed") are useful; the password must never ride along.
      const reason = error instanceof Error ? error.message : String(error);
      throw new DeliveryError(`SMTP: ${scrub(reason, this.secrets)}`);
    }
  }

  close(): void {
    this.transport.close();
  }
}
