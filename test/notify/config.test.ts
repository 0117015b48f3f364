import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config.js';

describe('notification settings from the environment', () => {
  it('has safe defaults: nothing configured, delivery on, 6 attempts from 2 s', () => {
    expect(loadConfig({}).notify).toEqual({
      slackWebhookUrl: undefined,
      smtpUrl: undefined,
      smtpFrom: 'NEXUS <nexus@localhost>',
      delivery: true,
      retryLimit: 5,
      retryDelaySeconds: 2,
    });
  });

  it('reads the Slack webhook, SMTP server and sender, and keeps the SMTP password out of error messages', () => {
    const config = loadConfig({
      NEXUS_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x',
      NEXUS_SMTP_URL: 'smtps://ops:pa55word@mail.example.com:465',
      NEXUS_SMTP_FROM: 'ops@example.com',
      NEXUS_NOTIFY_DELIVERY: 'false',
    });
    expect(config.notify).toMatchObject({ smtpFrom: 'ops@example.com', delivery: false, smtpUrl: 'smtps://ops:pa55word@mail.example.com:465' });
    // The runners redact NEXUS's own secrets from command output; these are two more.
    expect(config.runs.redactValues).toEqual(expect.arrayContaining(['https://hooks.slack.com/services/T0/B0/x', 'pa55word']));
  });

  it.each([
    ['NEXUS_SLACK_WEBHOOK_URL', 'ftp://hooks.example.com/x', /scheme must be one of http, https/],
    ['NEXUS_SLACK_WEBHOOK_URL', 'https://user:pw@hooks.example.com/x', /must not contain credentials/],
    ['NEXUS_SMTP_URL', 'http://mail.example.com', /scheme must be one of smtp, smtps/],
    ['NEXUS_SMTP_URL', 'smtp://user:secretpw@[bad', /is not a valid URL/],
    ['NEXUS_SMTP_FROM', 'not an address', /expected an address/],
    ['NEXUS_NOTIFY_RETRY_LIMIT', '100', /between 0 and 20/],
  ])('refuses %s=%s', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('secretpw');
  });
});
