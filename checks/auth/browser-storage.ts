// auth.browser-storage (optional): a real Chromium logs in through the frontend's login form, then
// localStorage, sessionStorage and script-readable cookies are searched for tokens (IndexedDB names listed).
// The browser is the one shipgate finds everywhere (src/browser/finder.ts); Playwright is imported
// lazily, only when this check is configured.
import { mkdirSync } from 'node:fs';
import { browserRefusal, chromiumTrustArgs } from '../../src/http/chromium-trust.js';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserDetails } from '../../src/browser/details.js';
import { findBrowser, type BrowserFound } from '../../src/browser/finder.js';
import { launchChromium } from '../../src/browser/launch.js';
import type { BrowserLoan } from '../../src/browser/pool.js';
import { readStorage } from '../../src/browser/storage.js';
import type { CheckResult } from '../../src/result.js';
import { browserStorage } from './catalogue.js';
import type { AuthFlow } from './flow.js';
import { JWT_PATTERN } from './jwt.js';
import type { LoginOutcome } from './login.js';

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err)
    .split('\n')[0]
    .slice(0, 300);
}

type BrowserConfig = NonNullable<AuthFlow['config']['browser']>;

/** What the check holds: a borrowed (realtime's) or launched browser, and its own context in it. */
interface Held {
  browser?: Browser;
  loan?: BrowserLoan;
  context?: BrowserContext;
}

/** Gives back what the check holds: a borrowed browser keeps running (only this context closes). */
async function release(held: Held): Promise<void> {
  const { browser, loan } = held;
  held.browser = undefined;
  held.loan = undefined;
  if (loan) {
    await held.context?.close().catch(() => {});
    loan.release();
  } else await browser?.close().catch(() => {});
}

export async function checkBrowserStorage(flow: AuthFlow, main: LoginOutcome): Promise<CheckResult> {
  const cfg = flow.config.browser;
  if (!cfg)
    return browserStorage.skip(
      'not configured: name the frontend login page and its form in gates.auth.browser to look into browser storage',
    );
  if (main.failure) return browserStorage.skip(main.failure);
  const found = await findBrowser({
    configured: cfg.executable,
    configuredAt: 'gates.auth.browser.executable',
    onProgress: (m) => flow.ctx.progress(m),
  });
  if (!found.ok) return browserStorage.skip(found.message);
  const { ctx } = flow;
  const started = performance.now();
  const held: Held = {};
  const close = () => release(held);
  ctx.onCleanup(close);
  const at = { step: 'launching the browser' };
  try {
    const launchError = await holdBrowser(flow, cfg, found, held);
    if (launchError) return browserStorage.error(launchError, { durationMs: performance.now() - started });
    const browser = held.browser!;
    at.step = 'opening a browser context';
    const context = (held.context = await browser.newContext({ baseURL: ctx.baseUrl.toString() }));
    const page = await context.newPage();
    page.setDefaultTimeout(cfg.timeout);
    const seenTokens = watchAuthResponses(page, flow);
    const refused = await logInThroughForm(page, flow, cfg, at, started);
    if (refused) return refused;
    at.step = 'reading browser storage';
    return await judgeStorage(page, context, flow, {
      cfg,
      details: browserDetails(found, browser.version()),
      seenTokens,
      started,
    });
  } catch (err) {
    return browserStorage.error(`the browser login routine stopped while ${at.step}: ${firstLine(err)}`, {
      evidence: { attachments: await screenshotOf(ctx.artifactsDir, held.context) },
      durationMs: performance.now() - started,
    });
  } finally {
    await close();
  }
}

/**
 * Borrows the browser another gate of this run launched (realtime) rather than starting a second one, or
 * launches one; the message when the launch failed.
 */
async function holdBrowser(flow: AuthFlow, cfg: BrowserConfig, found: BrowserFound, held: Held): Promise<string | undefined> {
  const { ctx } = flow;
  const lender = ctx.shared.browser;
  held.loan = lender?.found.path === found.path ? await lender.borrow() : undefined;
  if (held.loan) {
    held.browser = held.loan.browser;
    return undefined;
  }
  // Launch gets its own generous bound: a loaded CI machine is slow to start a browser, not the page.
  const launched = await launchChromium(found, {
    extraArgs: (await chromiumTrustArgs(ctx.baseUrl, ctx.http.trust, cfg.timeout)).args,
    timeoutMs: Math.max(cfg.timeout, 30_000),
    timeoutSetting: 'gates.auth.browser.timeout',
  });
  if (!launched.ok) return launched.message;
  held.browser = launched.browser;
  return undefined;
}

/** Whatever the page's own login/refresh calls return is a secret too, before anything is recorded. */
function watchAuthResponses(page: Page, flow: AuthFlow): Set<string> {
  const { ctx, config } = flow;
  const seenTokens = new Set<string>();
  const authPaths = new Set([config.login.path, config.refresh.path]);
  page.on('response', async (response) => {
    try {
      if (!authPaths.has(new URL(response.url()).pathname)) return;
      const body = await response.text();
      for (const m of body.matchAll(new RegExp(JWT_PATTERN.source, 'g'))) {
        ctx.redactor.add(m[0]);
        seenTokens.add(m[0]);
      }
      const token = flow.tokenIn(body);
      if (typeof token === 'string') {
        ctx.redactor.add(token);
        seenTokens.add(token);
      }
    } catch {
      // the page navigated away; the body is gone
    }
  });
  return seenTokens;
}

/** Logs in through the frontend's form, saying in `at` which step it is at; a failing login page is the result. */
async function logInThroughForm(
  page: Page,
  flow: AuthFlow,
  cfg: BrowserConfig,
  at: { step: string },
  started: number,
): Promise<CheckResult | undefined> {
  const { ctx, config } = flow;
  at.step = `opening ${cfg.page}`;
  const loginUrl = new URL(cfg.page, ctx.baseUrl);
  const nav = await page.goto(cfg.page, { waitUntil: 'domcontentloaded' }).catch(async (err: unknown) => {
    // A page Chromium could not reach reads like every other client's refusal (one transport-error wording).
    const refusal = await browserRefusal(err, loginUrl, ctx.http.trust, cfg.timeout);
    if (refusal) return refusal;
    throw err;
  });
  if (typeof nav === 'string')
    return browserStorage.fail(`the login page ${cfg.page} could not be opened: ${nav}`, {
      evidence: { request: `GET ${loginUrl}` },
      durationMs: performance.now() - started,
    });
  if (nav && !nav.ok())
    return browserStorage.fail(`the login page ${cfg.page} answered ${nav.status()}`, {
      evidence: { request: `GET ${loginUrl}`, status: nav.status() },
      durationMs: performance.now() - started,
    });
  at.step = `filling ${cfg.userField}`;
  await page.fill(cfg.userField, config.login.username);
  at.step = `filling ${cfg.passField}`;
  await page.fill(cfg.passField, config.login.password);
  at.step = `clicking ${cfg.submit}`;
  await page.click(cfg.submit);
  at.step = `waiting for ${cfg.loggedIn} after submitting the form`;
  await page.waitForSelector(cfg.loggedIn, { state: 'visible' });
  return undefined;
}

/** After the login: a token in localStorage, sessionStorage or a script-readable cookie fails the check. */
async function judgeStorage(
  page: Page,
  context: BrowserContext,
  flow: AuthFlow,
  seen: { cfg: BrowserConfig; details: Record<string, unknown>; seenTokens: Set<string>; started: number },
): Promise<CheckResult> {
  const { ctx } = flow;
  const { cfg, seenTokens, started } = seen;
  for (const c of await context.cookies()) ctx.redactor.add(c.value);
  const snapshot = await readStorage(page);
  const cookies = await context.cookies();
  const secretValues = [...seenTokens, ...cookies.filter((c) => c.httpOnly).map((c) => c.value)].filter((v) => v.length >= 8);
  const holdsToken = (v: string) => JWT_PATTERN.test(v) || secretValues.some((s) => v.includes(s));
  for (const [, v] of [...snapshot.local, ...snapshot.session]) if (JWT_PATTERN.test(v)) ctx.redactor.add(v);
  const findings = [
    ...snapshot.local.filter(([, v]) => holdsToken(v)).map(([k]) => `localStorage[${JSON.stringify(k)}]`),
    ...snapshot.session.filter(([, v]) => holdsToken(v)).map(([k]) => `sessionStorage[${JSON.stringify(k)}]`),
    ...cookies
      .filter((c) => !c.httpOnly && holdsToken(c.value))
      .map((c) => `cookie "${c.name}" (not HttpOnly, readable through document.cookie)`),
  ];
  const durationMs = performance.now() - started;
  const details = {
    ...seen.details,
    localStorageKeys: snapshot.local.map(([k]) => k),
    sessionStorageKeys: snapshot.session.map(([k]) => k),
    indexedDbNames: snapshot.indexedDb,
  };
  if (findings.length) {
    return browserStorage.fail(
      `after logging in at ${cfg.page}, a token is readable by any script on the page: ${findings.join(', ')}`,
      { evidence: { details }, durationMs },
    );
  }
  return browserStorage.pass(
    `after logging in at ${cfg.page} (${cfg.loggedIn} appeared), no token in localStorage (${snapshot.local.length} keys), sessionStorage (${snapshot.session.length} keys) or script-readable cookies`,
    { evidence: { details }, durationMs },
  );
}

/** A screenshot of where the routine stopped, if there is a page; none is no loss (the message says enough). */
async function screenshotOf(artifactsDir: string, context: BrowserContext | undefined): Promise<string[]> {
  try {
    const page = context?.pages()[0];
    if (!page) return [];
    mkdirSync(artifactsDir, { recursive: true });
    const file = join(artifactsDir, 'auth-browser-storage.png');
    await page.screenshot({ path: file, timeout: 5_000 });
    return [file];
  } catch {
    return [];
  }
}
