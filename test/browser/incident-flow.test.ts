import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/index.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/app.js';
import { browserRunbook, READ_COMMAND } from './runbook.js';
import { apiClient, ensureConsoleBuilt, eventually, launchChromium, newContext, signIn, visible, type PageGlobals } from './support.js';

/**
 * Issue 5, point 6: the console in a real browser (Debian's Chromium)
 * against a real NEXUS on PostgreSQL, with a second person in a second
 * browser profile. Each step is checked in the page, the way a person
 * would see it: nothing is reloaded after the first sign-in.
 */

const ALERT_NAME = 'CheckoutDown';
const TITLE = 'Checkout is down';

describe('an alert becomes a P1 incident that two people work through in the browser', () => {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  let adminContext: BrowserContext | undefined;
  let operatorContext: BrowserContext | undefined;
  let scratch = '';
  let page: Page;
  let senderToken = '';
  let procedureId = '';
  let destructiveCommand = '';
  let incidentId = '';

  beforeAll(async () => {
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-browser-'));
    await fs.mkdir(path.join(scratch, 'queue'));
    // Commands run as the runner user, not as the test's user: theirs to change.
    await fs.chmod(scratch, 0o777);
    destructiveCommand = `rm -rf ${scratch}/queue`;
    const started = await Promise.allSettled([
      ensureConsoleBuilt(),
      createTestApp('postgres', { start: { listen: true } }).then((app) => (t = app)),
      launchChromium().then((b) => (browser = b)),
    ]);
    for (const result of started) if (result.status === 'rejected') throw result.reason;

    const admin = apiClient(t!, t!.tokens.admin);
    const imported = await admin<{ runbook: { slug: string } }>('POST', '/api/v1/runbooks', { source: browserRunbook(scratch), slug: 'checkout' });
    const detail = await admin<{ parsed: { procedures: Array<{ id: string; title: string }> } }>('GET', `/api/v1/runbooks/${imported.runbook.slug}`);
    procedureId = detail.parsed.procedures.find((p) => p.title.startsWith('P1'))!.id;
    await admin('POST', '/api/v1/routing-rules', {
      name: 'Checkout down',
      position: 0,
      matchers: [{ name: 'alertname', op: '=', value: ALERT_NAME }],
      severity: 'P1',
      title: TITLE,
      service: 'checkout',
      runbook: { slug: 'checkout', procedureId },
      // The seed's policy: on-call engineer (a phone NEXUS cannot call) and Slack (not configured here).
      escalationPolicy: 'default',
    });
    // What a monitoring system would hold: an API token of its own.
    senderToken = (await admin<{ token: string }>('POST', '/api/v1/tokens', { name: 'browser-test-sender', role: 'responder' })).token;
  }, 120_000);

  afterAll(async () => {
    await operatorContext?.close();
    await adminContext?.close();
    await browser?.close();
    await t?.close();
    if (scratch) await fs.rm(scratch, { recursive: true, force: true });
  });

  const step = (p: Page, command: string): Locator => p.getByTestId('run-step').filter({ has: p.getByText(command, { exact: true }) });

  it('1. the admin signs in and sees the dashboard, live', async () => {
    adminContext = await newContext(browser!, t!.server.url);
    page = await adminContext.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await visible(page.getByRole('heading', { level: 1, name: 'Dashboard' }));
    await eventually(() => page.getByTestId('live-indicator').getAttribute('data-state')).toBe('connected');
    await visible(page.getByTestId('incidents-P1'));
  });

  it('2. an alert posted to the receiver appears as a P1 incident on the open dashboard, without a reload', async () => {
    // A reload would lose this mark.
    await page.evaluate(() => ((globalThis as unknown as PageGlobals).notReloaded = true));
    const res = await fetch(`${t!.server.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${senderToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ labels: { alertname: ALERT_NAME, service: 'checkout', severity: 'critical' }, annotations: { summary: 'Checkout answers 503' } }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    incidentId = ((await res.json()) as { incidents: string[] }).incidents[0]!;

    const card = page.getByTestId('incidents-P1').getByTestId('incident-card').filter({ hasText: TITLE });
    await visible(card);
    expect(await card.getAttribute('data-incident-id')).toBe(incidentId);
    expect(await card.getAttribute('data-severity')).toBe('P1');
    expect(await card.getAttribute('data-state')).toBe('triggered');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).notReloaded)).toBe(true);
  });

  it('3. opening it shows the incident with its runbook procedure attached', async () => {
    await page.getByTestId('incident-card').filter({ hasText: TITLE }).getByRole('link', { name: TITLE }).click();
    await visible(page.getByRole('heading', { level: 1, name: TITLE }));
    expect(new URL(page.url()).pathname).toBe(`/incidents/${incidentId}`);
    const header = page.getByTestId('incident-header');
    expect(await header.getAttribute('data-state')).toBe('triggered');
    expect(await header.getAttribute('data-severity')).toBe('P1');
    // Out of the box nothing can deliver (no SMTP, no Slack URL, no phone provider): the page says so, loudly.
    await visible(page.getByTestId('unreachable-banner').getByText('Nobody was reached for this incident'));
    const checklist = page.getByTestId('runbook-checklist');
    await visible(checklist.getByText('P1 - Checkout Down'));
    await visible(checklist.getByText(READ_COMMAND, { exact: true }));
    await visible(checklist.getByText(destructiveCommand, { exact: true }));
  });

  it('4. the read step runs from the page and its output arrives while it runs', async () => {
    await page.getByTestId('runbook-checklist').getByRole('button', { name: 'Start run' }).click();
    const read = step(page, READ_COMMAND);
    await visible(read);
    expect(await read.getAttribute('data-risk')).toBe('read');
    expect(await read.getAttribute('data-state')).toBe('pending');
    await read.getByRole('button', { name: 'Run', exact: true }).click();

    // The first line is on screen before the command has finished: streamed, not fetched at the end.
    await page.waitForFunction(
      (command) => {
        const { document } = globalThis as unknown as PageGlobals;
        const item = [...document.querySelectorAll('[data-testid="run-step"]')].find((el) => el.textContent?.includes(command));
        const output = item?.querySelector('[data-testid="step-output"]')?.textContent ?? '';
        return item?.getAttribute('data-state') === 'running' && output.includes('checking') && !output.includes('done');
      },
      READ_COMMAND,
      { timeout: 15_000, polling: 'raf' },
    );
    await eventually(() => read.getAttribute('data-state')).toBe('succeeded');
    await eventually(() => read.getByTestId('step-output').textContent()).toBe('checking\ndone\n');
    expect(await read.getByTestId('step-result').textContent()).toContain('exit 0');
  });

  it('5. the destructive step waits for a second person, an operator in another browser, and then runs', async () => {
    const destructive = step(page, destructiveCommand);
    expect(await destructive.getAttribute('data-risk')).toBe('destructive');
    await destructive.getByRole('button', { name: 'Request approval to run' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run a destructive command?' });
    await visible(dialog);
    expect(await dialog.getByTestId('who-must-approve').textContent()).toBe(
      'a second person with the operator role or higher, not you (admin).',
    );
    await dialog.getByRole('button', { name: 'Request approval' }).click();
    await eventually(() => destructive.getAttribute('data-state')).toBe('awaiting-approval');
    await eventually(() => dialog.count()).toBe(0);
    expect(await destructive.getByTestId('awaiting-approval').textContent()).toContain('Requested by you (admin)');
    // The requester cannot approve their own request.
    expect(await destructive.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    operatorContext = await newContext(browser!, t!.server.url);
    const operator = await operatorContext.newPage();
    await signIn(operator, 'operator-user', 'operator-password-123', `/incidents/${incidentId}`);
    await visible(operator.getByRole('heading', { level: 1, name: TITLE }));
    const waiting = step(operator, destructiveCommand);
    await eventually(() => waiting.getAttribute('data-state')).toBe('awaiting-approval');
    expect(await waiting.getByTestId('awaiting-approval').textContent()).toContain('Requested by admin');
    await waiting.getByRole('button', { name: 'Approve', exact: true }).click();
    const approveDialog = operator.getByRole('dialog', { name: 'Approve a destructive command?' });
    await approveDialog.getByRole('button', { name: 'Approve and run' }).click();

    // The admin, who did nothing since, sees it proceed.
    await eventually(() => destructive.getAttribute('data-state')).toBe('succeeded');
    expect(await destructive.getByTestId('step-result').textContent()).toContain('exit 0');
    await visible(page.getByTestId('timeline-event').filter({ hasText: 'approved by operator-user' }));
    await expect(fs.stat(path.join(scratch, 'queue'))).rejects.toThrow(/ENOENT/);

    // The manual check of that step, ticked by the admin.
    await page.getByRole('checkbox', { name: 'Confirm checkout answers again' }).check();
    await eventually(() => page.getByTestId('run-status').getAttribute('data-status')).toBe('succeeded');
  });

  it('6. the admin acknowledges and resolves it from the header', async () => {
    const header = page.getByTestId('incident-header');
    await header.getByRole('button', { name: 'Acknowledge' }).click();
    await eventually(() => header.getAttribute('data-state')).toBe('acknowledged');
    await header.getByRole('button', { name: 'Resolve' }).click();
    await eventually(() => header.getAttribute('data-state')).toBe('resolved');
    await visible(header.getByRole('button', { name: 'Reopen' }));
    const incident = await apiClient(t!, t!.tokens.viewer)<Incident>('GET', `/api/v1/incidents/${incidentId}`);
    expect(incident.state).toBe('resolved');
  });

  it('7. the post-mortem draft lists the commands with their exit codes', async () => {
    await page.getByRole('tab', { name: 'Post-mortem' }).click();
    const document = page.getByTestId('postmortem-document');
    await visible(document.getByRole('heading', { name: 'Commands run' }));
    const row = (command: string) => document.getByRole('row').filter({ has: page.getByRole('cell', { name: command, exact: true }) });
    for (const command of [READ_COMMAND, destructiveCommand]) {
      const cells = await row(command).getByRole('cell').allTextContents();
      // | Time (UTC) | Command | Result | Exit code | Duration | By |
      expect(cells.slice(1, 4)).toEqual([command, 'succeeded', '0']);
    }
    expect(await page.getByTestId('postmortem-version').getAttribute('data-version')).toBe('0');
  });

  it('8. the post-mortem is edited as versions; a stale save is refused in words; it downloads as Markdown', async () => {
    const operator = operatorContext!.pages()[0]!;
    // Both start editing version 0; the operator saves first.
    await page.getByTestId('postmortem').getByRole('button', { name: 'Edit' }).click();
    await operator.goto(`/incidents/${incidentId}?tab=postmortem`);
    await operator.getByTestId('postmortem').getByRole('button', { name: 'Edit' }).click();
    const operatorEditor = operator.getByLabel('Post-mortem (Markdown)');
    await operatorEditor.fill('# Post-mortem: Checkout is down\n\n## Root cause\n\nThe work queue filled the disk.\n');
    await operator.getByRole('button', { name: 'Save version 1' }).click();
    await eventually(() => operator.getByTestId('postmortem-version').getAttribute('data-version')).toBe('1');
    await visible(operator.getByTestId('postmortem-document').getByText('The work queue filled the disk.'));

    const adminEditor = page.getByLabel('Post-mortem (Markdown)');
    await adminEditor.fill('# Post-mortem\n\nMy version.\n');
    await page.getByRole('button', { name: 'Save version 1' }).click();
    await visible(page.getByText('The post-mortem is at version 1, not 0: reload and edit again'));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await eventually(() => page.getByTestId('postmortem-version').getAttribute('data-version')).toBe('1');
    await visible(page.getByTestId('postmortem-document').getByText('The work queue filled the disk.'));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .md' }).click()]);
    expect(download.suggestedFilename()).toBe(`postmortem-${incidentId}-v1.md`);
    const file = await download.path();
    expect(await fs.readFile(file, 'utf8')).toBe('# Post-mortem: Checkout is down\n\n## Root cause\n\nThe work queue filled the disk.\n');
  });
});
