import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildConsole, staleReason } from '../../scripts/web-build.js';
import type { TestApp } from '../support/app.js';

/**
 * What the browser tests share: the built console, Debian's Chromium driven
 * by playwright-core, signing in through the sign-in page, axe-core, and
 * screenshots. Everything runs against a real NEXUS listening on a port.
 */

export const CHROMIUM = '/usr/bin/chromium';
/** docs/shared/ENVIRONMENT.md: the flags Debian's Chromium needs here (no sandbox as root, no GPU, nothing phoning home). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Two cores shared with the server and vitest: fewer processes, and no throttling of background tabs.
  '--renderer-process-limit=2',
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
];

/** Waits for the page wait up to this long: a live update crosses the server, the bus and SSE. */
export const UI_TIMEOUT_MS = 15_000;

/**
 * Web-first assertions without @playwright/test: read the page again until
 * the matcher passes or the time is up (`await eventually(() => x.textContent()).toContain('…')`).
 */
export function eventually<T>(read: () => Promise<T> | T, timeout = UI_TIMEOUT_MS) {
  return expect.poll(read, { timeout, interval: 100 });
}

/** Resolves once the locator's element is visible; fails with the locator's description otherwise. */
export async function visible(locator: Locator, timeout = UI_TIMEOUT_MS): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator;
}

/** An element as the page.evaluate callbacks read it. */
export interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  blur?: () => void;
}

/**
 * The few browser globals the callbacks passed to page.evaluate use: they
 * run in the page, but are type-checked here, where the tsconfig has no DOM
 * library (and should not: the server code must not see `window`).
 */
export interface PageGlobals {
  document: {
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): Iterable<PageElement>;
    fonts: { ready: Promise<unknown> };
    activeElement: PageElement | null;
    documentElement: { scrollWidth: number; clientWidth: number };
  };
  innerWidth: number;
  requestAnimationFrame(callback: () => void): number;
  axe?: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> };
  notReloaded?: boolean;
}

export const DESKTOP = { width: 1280, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

export const SCREENSHOT_DIR = path.resolve('docs/screenshots');
const LOCK_FILE = path.resolve('.tmp/web-build.lock');
const LOCK_STALE_MS = 180_000;

/**
 * Builds web/dist when its sources changed. Test files run in parallel
 * processes and the server serves web/dist itself, so a lock file keeps
 * two of them from building over each other.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  await fs.mkdir(path.dirname(LOCK_FILE), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      const handle = await fs.open(LOCK_FILE, 'wx');
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const stat = await fs.stat(LOCK_FILE).catch(() => null);
      if (stat && Date.now() - stat.mtimeMs > LOCK_STALE_MS) await fs.rm(LOCK_FILE, { force: true });
      if (Date.now() - started > LOCK_STALE_MS) throw new Error(`${LOCK_FILE} held for over ${LOCK_STALE_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if ((await staleReason()) !== null) await buildConsole({ logLevel: 'silent' });
  } finally {
    await fs.rm(LOCK_FILE, { force: true });
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface ContextOptions {
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

/** A fresh browser profile: its own sessionStorage, so its own signed-in user. */
export async function newContext(browser: Browser, baseURL: string, options: ContextOptions = {}): Promise<BrowserContext> {
  const contextOptions: BrowserContextOptions = {
    baseURL,
    viewport: options.viewport ?? DESKTOP,
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
    locale: 'en-GB',
    timezoneId: 'UTC',
    deviceScaleFactor: 1,
  };
  const context = await browser.newContext(contextOptions);
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  return context;
}

/** Signs in through the sign-in page, as a person would, and waits for the dashboard. */
export async function signIn(page: Page, username: string, password: string, next = '/'): Promise<void> {
  await page.goto(`/signin?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Username').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await eventually(() => page.getByTestId('signed-in-user').textContent()).toContain(username);
}

/** The NEXUS API over real HTTP with a bearer token, failing loudly with the server's words. */
export function apiClient(t: TestApp, token: string) {
  return async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, body?: unknown): Promise<T> {
    const res = await fetch(`${t.server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}


export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/** Runs axe-core in the page (WCAG 2.x A and AA rules and best practices) and returns every violation. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, which the console's Content-Security-Policy (scripts from 'self' only) does not cover;
  // a <script> tag would be refused, as it should be.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const { axe, document } = globalThis as unknown as PageGlobals;
    const result = await axe!.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `  [${v.impact ?? 'unknown'}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `      ${n.target.join(' ')}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n/g, '\n        ')}` : ''}`).join('\n')}`)
    .join('\n');
}

/** CSS that makes screenshots repeatable: no caret, no animations or transitions, no scrollbars flickering in. */
const STILL = `*, *::before, *::after { caret-color: transparent !important; animation: none !important; transition: none !important; }
html { scrollbar-width: none; }`;

/** Waits until the page has drawn its data: no loading placeholders, fonts ready, two frames painted. */
export async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => !(globalThis as unknown as PageGlobals).document.querySelector('[aria-label^="Loading"]'), undefined, { timeout: UI_TIMEOUT_MS });
  await page.evaluate(async () => {
    const { document, requestAnimationFrame } = globalThis as unknown as PageGlobals;
    await document.fonts.ready;
    await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.addStyleTag({ content: STILL });
  // Nothing focused, nothing hovered: the picture shows the page, not where the test last clicked.
  await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.blur?.());
  await page.mouse.move(0, 0);
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide', scale: 'css' });
  return file;
}
