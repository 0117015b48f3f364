import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/app.js';
import { ensureConsoleBuilt, eventually, launchChromium, newContext, signIn, visible } from './support.js';

/**
 * Issue 18, point 8: rotation from the console's Secrets page. A rotation
 * with grace keeps the admin signed in; one that revokes ends the admin's
 * own session, and the console goes back to sign-in.
 */
describe('the Secrets page rotates the signing key', () => {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;

  beforeAll(async () => {
    const started = await Promise.allSettled([
      ensureConsoleBuilt(),
      createTestApp('pglite', { start: { listen: true } }).then((app) => (t = app)),
      launchChromium().then((b) => (browser = b)),
    ]);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    context = await newContext(browser!, t!.server.url);
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  const rotateWith = async (options: { revoke: boolean; graceHours?: string }) => {
    await page.getByRole('button', { name: 'Rotate the signing key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate the signing key?' });
    await visible(dialog);
    if (options.graceHours !== undefined) await dialog.getByLabel('Grace (hours)').fill(options.graceHours);
    if (options.revoke) await dialog.getByRole('switch', { name: /Revoke every earlier key now/ }).check();
    await dialog.getByRole('button', { name: options.revoke ? 'Rotate and end every session' : 'Rotate' }).click();
  };

  it('with a grace of 2 hours: the history shows it and the admin stays signed in', async () => {
    await signIn(page, 'admin', ADMIN_PASSWORD, '/admin/secrets');
    await visible(page.getByRole('heading', { level: 1, name: 'Secrets' }));
    await visible(page.getByText('No rotation yet'));
    await rotateWith({ revoke: false, graceHours: '2' });
    const row = page.getByTestId('rotation-row');
    await visible(row);
    expect(await row.getAttribute('data-mode')).toBe('grace');
    expect(await row.textContent()).toContain('grace 2 h');
    const history = await fetch(`${t!.server.url}/api/v1/secrets/rotations`, { headers: { authorization: `Bearer ${t!.tokens.admin}` } });
    expect(((await history.json()) as { items: Array<{ graceSeconds: number }> }).items[0]?.graceSeconds).toBe(7200);
  });

  it('revoking ends the session it was asked from: the console returns to sign-in', async () => {
    await rotateWith({ revoke: true });
    await eventually(() => new URL(page.url()).pathname, 15_000).toBe('/signin');
    await signIn(page, 'admin', ADMIN_PASSWORD, '/admin/secrets');
    await eventually(() => page.getByTestId('rotation-row').count()).toBe(2);
    expect(await page.getByTestId('rotation-row').first().getAttribute('data-mode')).toBe('revoke');
  });
});
