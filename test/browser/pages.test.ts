import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/index.js';
import type { Run } from '../../src/runbooks/runs/schema.js';
import { act, startVersion, TestNginx, until, type ServiceVersion } from '../deployments/support.js';
import { stepEvent } from '../runs/support.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/app.js';
import { browserRunbook, READ_COMMAND } from './runbook.js';
import {
  apiClient,
  describeViolations,
  DESKTOP,
  ensureConsoleBuilt,
  eventually,
  launchChromium,
  newContext,
  PHONE,
  runAxe,
  screenshot,
  settle,
  signIn,
  visible,
  type AxeViolation,
  type ContextOptions,
  type PageGlobals,
} from './support.js';

/**
 * Issue 5, point 4, on every page of the console (web/src/router.tsx): at
 * 1280 px and at 390 px, axe-core finds no serious or critical violation
 * (all of them are printed), nothing scrolls sideways at 390 px, and each
 * page is photographed for docs/screenshots/ (1280 px, light; the dashboard
 * and the incident also dark and at 390 px).
 *
 * The data is seeded through the API so the pictures show a working
 * system: three open incidents (P1 with a run in progress, P2, P3), a
 * silence, an API token. Browser time is frozen a fixed while after the P1
 * opened, so countdowns read the same on every run.
 */

interface PageCase {
  name: string;
  path: (ids: Seeded) => string;
  /** Extra pictures: dark theme and phone width. */
  showcase?: boolean;
  signedOut?: boolean;
}

interface Seeded {
  p1: Incident;
  deploymentId: string;
}

const PAGES: PageCase[] = [
  { name: 'signin', path: () => '/signin', signedOut: true },
  { name: 'dashboard', path: () => '/', showcase: true },
  { name: 'incident', path: (s) => `/incidents/${s.p1.id}`, showcase: true },
  { name: 'incident-alerts', path: (s) => `/incidents/${s.p1.id}?tab=alerts` },
  { name: 'history', path: () => '/incidents' },
  { name: 'postmortems', path: () => '/postmortems' },
  { name: 'runbooks', path: () => '/runbooks' },
  { name: 'runbook', path: () => '/runbooks/checkout' },
  { name: 'deployments', path: () => '/deployments' },
  { name: 'deployment', path: (s) => `/deployments/${s.deploymentId}` },
  { name: 'schedules', path: () => '/schedules' },
  { name: 'backups', path: () => '/backups' },
  { name: 'alerts', path: () => '/alerts' },
  { name: 'oncall', path: () => '/oncall' },
  { name: 'audit', path: () => '/audit' },
  { name: 'users', path: () => '/admin/users' },
  { name: 'tokens', path: () => '/admin/tokens' },
  { name: 'secrets', path: () => '/admin/secrets' },
];

const BLOCKING = new Set(['serious', 'critical']);
/** The browser's clock for the pictures: this long after the P1 opened. */
const FROZEN_AFTER_MS = 4 * 60_000 + 30_000;
const REPORT_FILE = path.resolve('.tmp/axe-report.json');

describe('every console page, at 1280 and 390 px, light and dark', () => {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  let seeded: Seeded;
  // A real nginx and two versions behind it, for a deployment in progress.
  let nginx: TestNginx | undefined;
  const versions: ServiceVersion[] = [];
  const contexts = new Map<string, BrowserContext>();
  const pages = new Map<string, Page>();
  const report: Array<{ page: string; variant: string; counts: Record<string, number>; violations: AxeViolation[] }> = [];

  async function seed(): Promise<Seeded> {
    const admin = apiClient(t!, t!.tokens.admin);
    const responder = apiClient(t!, t!.tokens.responder);
    const operator = apiClient(t!, t!.tokens.operator);
    // The destructive command is only ever requested here, never run; a fixed path keeps the pictures the same.
    await admin('POST', '/api/v1/runbooks', { source: browserRunbook('/tmp/nexus-checkout'), slug: 'checkout' });
    await admin('POST', '/api/v1/routing-rules', {
      name: 'Checkout down',
      position: 0,
      matchers: [{ name: 'alertname', op: '=', value: 'CheckoutDown' }],
      severity: 'P1',
      title: 'Checkout is down',
      service: 'checkout',
      runbook: { slug: 'checkout', procedureId: 'p1-checkout-down' },
    });
    const sender = (await admin<{ token: string }>('POST', '/api/v1/tokens', { name: 'alertmanager', role: 'responder' })).token;
    const send = apiClient(t!, sender);
    const fire = (labels: Record<string, string>, summary: string, extra: Record<string, unknown> = {}) =>
      send<{ incidents: string[] }>('POST', '/api/v1/alerts', { ...extra, labels, annotations: { summary, ...(extra.annotations as object) } });
    const { incidents } = await fire({ alertname: 'CheckoutDown', service: 'checkout', severity: 'critical' }, 'Checkout answers 503 to every request', {
      annotations: { dashboard: 'https://grafana.example/d/checkout', runbook_url: 'javascript:alert(1)' },
      generatorURL: 'http://prometheus.example:9090/graph?g0.expr=up%7Bjob%3D%22checkout%22%7D',
    });
    await fire({ alertname: 'NexusHighErrorRate', service: 'nexus-platform', severity: 'P2' }, '7 % of requests fail');
    await fire({ alertname: 'NexusHighLatencyP95', service: 'nexus-platform', severity: 'P3' }, 'p95 latency 1.8 s');
    await admin('POST', '/api/v1/silences', {
      matchers: [{ name: 'alertname', op: '=', value: 'NexusDiskFilling' }],
      endsAt: new Date(Date.now() + 4 * 3600_000).toISOString(),
      comment: 'Disk resize in progress',
    });
    const p1Id = incidents[0]!;

    // The P1's runbook in progress: the read step done, the destructive one waiting for a second person.
    const run = await responder<Run>('POST', `/api/v1/incidents/${p1Id}/runs`, {});
    const [read, destructive] = run.steps;
    const readDone = stepEvent(t!, run.id, read!.commandId);
    await responder('POST', `/api/v1/runs/${run.id}/steps/${read!.commandId}/run`, {});
    await readDone;
    await operator('POST', `/api/v1/runs/${run.id}/steps/${destructive!.commandId}/run`, {});
    await responder('POST', `/api/v1/incidents/${p1Id}/notes`, { text: 'Checkout pods restart in a loop since the 14:02 deploy; looking at the work queue.' });
    await admin('PATCH', `/api/v1/incidents/${p1Id}`, { commanderId: t!.userIds.admin, assigneeId: t!.userIds.responder });
    // History and post-mortems: one incident resolved, its post-mortem edited.
    const past = await responder<Incident>('POST', '/api/v1/incidents', { title: 'Backups failed overnight', severity: 'P3', service: 'backups' });
    await responder('POST', `/api/v1/incidents/${past.id}/ack`, {});
    await responder('POST', `/api/v1/incidents/${past.id}/resolve`, {});
    await responder('PUT', `/api/v1/incidents/${past.id}/postmortem`, { markdown: '# Post-mortem: Backups failed overnight\n\nThe bucket quota was full.', baseVersion: 0 });
    await t!.server.incidents.timeline.idle();
    // A canary held at 50 % after a promotion, with its weight on the chart.
    const [v1, v2] = versions;
    const deployment = await operator<{ id: string }>('POST', '/api/v1/deployments', {
      service: 'web',
      version: 'v1.4.2',
      upstream: v2!.address,
      stable: { version: 'v1.4.1', upstream: v1!.address },
      steps: [10, 50, 100].flatMap((weight) => (weight === 100 ? [{ kind: 'setWeight', weight }] : [{ kind: 'setWeight', weight }, { kind: 'pause' }])),
    });
    await until(t!, deployment.id, (d) => d.state === 'paused' && d.canaryWeight === 10);
    await act(t!, deployment.id, 'promote');
    await until(t!, deployment.id, (d) => d.state === 'paused' && d.canaryWeight === 50);
    return { p1: await admin<Incident>('GET', `/api/v1/incidents/${p1Id}`), deploymentId: deployment.id };
  }

  /** One signed-in tab per look (size and theme), reused across pages. */
  async function tab(variant: string, options: ContextOptions, signedOut = false): Promise<Page> {
    const key = `${variant}${signedOut ? ':signed-out' : ''}`;
    const existing = pages.get(key);
    if (existing) return existing;
    const context = await newContext(browser!, t!.server.url, options);
    contexts.set(key, context);
    const page = await context.newPage();
    if (!signedOut) await signIn(page, 'admin', ADMIN_PASSWORD);
    await context.clock.setFixedTime(Date.parse(seeded.p1.triggeredAt) + FROZEN_AFTER_MS);
    pages.set(key, page);
    return page;
  }

  async function open(page: Page, url: string): Promise<void> {
    await page.goto(url);
    await visible(page.getByRole('heading', { level: 1 }));
    await settle(page);
  }

  async function audit(page: Page, name: string, variant: string): Promise<AxeViolation[]> {
    const violations = await runAxe(page);
    const counts: Record<string, number> = {};
    for (const v of violations) counts[v.impact ?? 'unknown'] = (counts[v.impact ?? 'unknown'] ?? 0) + 1;
    report.push({ page: name, variant, counts, violations });
    if (violations.length) console.log(`axe: ${name} (${variant}): ${violations.length} violation(s)\n${describeViolations(violations)}`);
    return violations.filter((v) => BLOCKING.has(v.impact ?? ''));
  }

  beforeAll(async () => {
    versions.push(await startVersion('v1.4.1'), await startVersion('v1.4.2'));
    nginx = await TestNginx.start(versions[0]!);
    const started = await Promise.allSettled([
      ensureConsoleBuilt(),
      createTestApp('postgres', { start: { listen: true }, env: { ...nginx.env, NEXUS_DEPLOY_TICK_MS: '100' } }).then((app) => (t = app)),
      launchChromium().then((b) => (browser = b)),
    ]);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    seeded = await seed();
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts.values()) await context.close();
    await browser?.close();
    await t?.close();
    await nginx?.stop();
    for (const version of versions) await version.close();
    if (report.length) {
      await fs.mkdir(path.dirname(REPORT_FILE), { recursive: true });
      await fs.writeFile(REPORT_FILE, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`axe summary (details in ${path.relative(process.cwd(), REPORT_FILE)}):\n${report.map((r) => `  ${r.page.padEnd(10)} ${r.variant.padEnd(12)} ${JSON.stringify(r.counts)}`).join('\n')}`);
    }
  });

  for (const pageCase of PAGES) {
    it(`${pageCase.name}: no serious or critical axe findings, no sideways scrolling at 390 px, screenshots`, async () => {
      const url = pageCase.path(seeded);
      const blocking: string[] = [];

      const desktop = await tab('1280-light', { viewport: DESKTOP }, pageCase.signedOut);
      await open(desktop, url);
      if (pageCase.name === 'incident') await visible(desktop.getByTestId('step-output').first());
      blocking.push(...(await audit(desktop, pageCase.name, '1280 light')).map((v) => `1280 light: ${v.id}`));
      await screenshot(desktop, pageCase.name);

      const phone = await tab('390-light', { viewport: PHONE }, pageCase.signedOut);
      await open(phone, url);
      blocking.push(...(await audit(phone, pageCase.name, '390 light')).map((v) => `390 light: ${v.id}`));
      const widths = await phone.evaluate(() => {
        const { document, innerWidth } = globalThis as unknown as PageGlobals;
        return { scrollWidth: document.documentElement.scrollWidth, viewport: innerWidth };
      });
      expect(widths.scrollWidth, `${pageCase.name} is ${widths.scrollWidth} px wide at ${widths.viewport} px`).toBeLessThanOrEqual(widths.viewport);
      if (pageCase.showcase) {
        await screenshot(phone, `${pageCase.name}-390`);
        const dark = await tab('1280-dark', { viewport: DESKTOP, colorScheme: 'dark' });
        await open(dark, url);
        blocking.push(...(await audit(dark, pageCase.name, '1280 dark')).map((v) => `1280 dark: ${v.id}`));
        await screenshot(dark, `${pageCase.name}-dark`);
      }
      if (pageCase.name === 'incident') {
        // The other tab of the incident page: the post-mortem draft, rendered.
        await desktop.getByRole('tab', { name: 'Post-mortem' }).click();
        await visible(desktop.getByTestId('postmortem-document'));
        await settle(desktop);
        blocking.push(...(await audit(desktop, 'postmortem', '1280 light')).map((v) => `post-mortem 1280 light: ${v.id}`));
        await screenshot(desktop, 'incident-postmortem');
        await phone.getByRole('tab', { name: 'Post-mortem' }).click();
        await visible(phone.getByTestId('postmortem-document'));
        blocking.push(...(await audit(phone, 'postmortem', '390 light')).map((v) => `post-mortem 390 light: ${v.id}`));
        const wide = await phone.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth);
        expect(wide, 'the post-mortem at 390 px').toBeLessThanOrEqual(PHONE.width);
      }
      expect(blocking, 'serious or critical axe violations (printed above)').toEqual([]);
    });
  }

  it('keyboard: every control on the incident page is reached with Tab and shows where focus is', async () => {
    const page = await tab('1280-light', { viewport: DESKTOP });
    await open(page, `/incidents/${seeded.p1.id}`);
    const seen: string[] = [];
    const unmarked: string[] = [];
    for (let i = 0; i < 60; i += 1) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const element = (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement as {
          tagName: string;
          textContent: string | null;
          getAttribute(name: string): string | null;
        } | null;
        if (!element || element.tagName === 'BODY') return null;
        const style = (globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string; boxShadow: string } }).getComputedStyle(element);
        const label = `${element.tagName.toLowerCase()} "${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40)}"`;
        const marked = (style.outlineStyle !== 'none' && style.outlineWidth !== '0px') || style.boxShadow !== 'none';
        return { label, marked };
      });
      if (!focus) continue;
      seen.push(focus.label);
      if (!focus.marked) unmarked.push(focus.label);
    }
    expect(seen.some((label) => label.includes('Acknowledge'))).toBe(true);
    expect(seen.some((label) => label.includes('Add a note') || label.startsWith('textarea'))).toBe(true);
    expect(unmarked, `focused without a visible focus indicator: ${unmarked.join(', ')}`).toEqual([]);
  });

  it('the seeded P1 shows its read step output and the destructive step awaiting approval', async () => {
    const page = await tab('1280-light', { viewport: DESKTOP });
    await open(page, `/incidents/${seeded.p1.id}`);
    const read = page.getByTestId('run-step').filter({ has: page.getByText(READ_COMMAND, { exact: true }) });
    await eventually(() => read.getByTestId('step-output').textContent()).toBe('checking\ndone\n');
    await eventually(() => page.locator('[data-testid="run-step"][data-risk="destructive"]').getAttribute('data-state')).toBe('awaiting-approval');
  });
});
