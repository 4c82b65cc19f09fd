// auth.browser-storage (optional): a real Chromium logs in through the frontend's login form, then
// localStorage, sessionStorage and script-readable cookies are searched for tokens.
// Playwright is imported lazily, only when this check is configured.
import { existsSync, mkdirSync } from 'node:fs';
import { chromiumTrustArgs } from '../../src/http/chromium-trust.js';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import type { BrowserLoan } from '../../src/gate.js';
import { playwright } from '../../src/playwright.js';
import type { CheckResult } from '../../src/result.js';
import { browserStorage } from './catalogue.js';
import type { AuthFlow } from './flow.js';
import { JWT_PATTERN } from './jwt.js';
import type { LoginOutcome } from './login.js';

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The profile's executable if named (and nothing else), else $SHIPGATE_BROWSER, else a system Chromium/Chrome. */
export function findBrowser(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): { path?: string; looked: string[] } {
  const candidates = configured ? [configured] : [env.SHIPGATE_BROWSER, ...SYSTEM_BROWSERS].filter((p): p is string => Boolean(p));
  return { path: candidates.find((p) => existsSync(p)), looked: candidates };
}

interface StorageSnapshot {
  local: [string, string][];
  session: [string, string][];
  cookie: string;
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0].slice(0, 300);
}

export async function checkBrowserStorage(flow: AuthFlow, main: LoginOutcome): Promise<CheckResult> {
  const cfg = flow.config.browser;
  if (!cfg) return browserStorage.skip('not configured: name the frontend login page and its form in gates.auth.browser to look into browser storage');
  if (main.failure) return browserStorage.skip(main.failure);
  const found = findBrowser(cfg.executable);
  const { chromium } = await playwright();
  if (!found.path && !cfg.executable) {
    // Last resort: a browser Playwright downloaded itself (npx playwright install).
    const own = chromium.executablePath();
    if (own && existsSync(own)) found.path = own;
    else found.looked.push('Playwright\'s own browsers');
  }
  if (!found.path) {
    const where = cfg.executable ? `gates.auth.browser.executable ${cfg.executable} does not exist` : `no Chromium found (looked at ${found.looked.join(', ')}); set gates.auth.browser.executable or SHIPGATE_BROWSER, or apt-get install chromium`;
    return browserStorage.skip(where);
  }
  const { ctx, config } = flow;
  const started = performance.now();
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  // A browser another gate of this run launched (realtime) is borrowed rather than starting a second
  // one; then only this check's own context is closed.
  let loan: BrowserLoan | undefined;
  const close = async () => {
    const b = browser;
    const l = loan;
    browser = undefined;
    loan = undefined;
    if (l) {
      await context?.close().catch(() => {});
      l.release();
    } else await b?.close().catch(() => {});
  };
  ctx.onCleanup(close);
  const seenTokens = new Set<string>();
  let step = 'launching the browser';
  try {
    // Launch gets its own generous bound: a loaded CI machine is slow to start a browser, not the page.
    const lender = ctx.shared.browser;
    loan = lender?.executable === found.path ? await lender.borrow() : undefined;
    browser = loan?.browser ?? (await chromium.launch({ executablePath: found.path, args: [...LAUNCH_ARGS, ...(await chromiumTrustArgs(ctx.baseUrl, ctx.http.trust, cfg.timeout)).args], headless: true, timeout: Math.max(cfg.timeout, 30_000) }));
    step = 'opening a browser context';
    context = await browser.newContext({ baseURL: ctx.baseUrl.toString() });
    const page = await context.newPage();
    page.setDefaultTimeout(cfg.timeout);
    // Whatever the page's own login/refresh calls return is a secret too, before anything is recorded.
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
    step = `opening ${cfg.page}`;
    const nav = await page.goto(cfg.page, { waitUntil: 'domcontentloaded' });
    if (nav && !nav.ok()) return browserStorage.fail(`the login page ${cfg.page} answered ${nav.status()}`, { evidence: { request: `GET ${new URL(cfg.page, ctx.baseUrl)}`, status: nav.status() }, durationMs: performance.now() - started });
    step = `filling ${cfg.userField}`;
    await page.fill(cfg.userField, config.login.username);
    step = `filling ${cfg.passField}`;
    await page.fill(cfg.passField, config.login.password);
    step = `clicking ${cfg.submit}`;
    await page.click(cfg.submit);
    step = `waiting for ${cfg.loggedIn} after submitting the form`;
    await page.waitForSelector(cfg.loggedIn, { state: 'visible' });
    step = 'reading browser storage';
    for (const c of await context.cookies()) ctx.redactor.add(c.value);
    const snapshot: StorageSnapshot = await page.evaluate(() => ({
      local: Object.entries(window.localStorage),
      session: Object.entries(window.sessionStorage),
      cookie: document.cookie,
    }));
    const cookies = await context.cookies();
    const secretValues = [...seenTokens, ...cookies.filter((c) => c.httpOnly).map((c) => c.value)].filter((v) => v.length >= 8);
    const holdsToken = (v: string) => JWT_PATTERN.test(v) || secretValues.some((s) => v.includes(s));
    for (const [, v] of [...snapshot.local, ...snapshot.session]) if (JWT_PATTERN.test(v)) ctx.redactor.add(v);
    const findings = [
      ...snapshot.local.filter(([, v]) => holdsToken(v)).map(([k]) => `localStorage[${JSON.stringify(k)}]`),
      ...snapshot.session.filter(([, v]) => holdsToken(v)).map(([k]) => `sessionStorage[${JSON.stringify(k)}]`),
      ...cookies.filter((c) => !c.httpOnly && holdsToken(c.value)).map((c) => `cookie "${c.name}" (not HttpOnly, readable through document.cookie)`),
    ];
    const durationMs = performance.now() - started;
    const details = { browser: `Chromium ${browser.version()}`, localStorageKeys: snapshot.local.map(([k]) => k), sessionStorageKeys: snapshot.session.map(([k]) => k) };
    if (findings.length) {
      return browserStorage.fail(`after logging in at ${cfg.page}, a token is readable by any script on the page: ${findings.join(', ')}`, { evidence: { details }, durationMs });
    }
    return browserStorage.pass(`after logging in at ${cfg.page} (${cfg.loggedIn} appeared), no token in localStorage (${snapshot.local.length} keys), sessionStorage (${snapshot.session.length} keys) or script-readable cookies`, { evidence: { details }, durationMs });
  } catch (err) {
    const attachments: string[] = [];
    try {
      const page = context?.pages()[0];
      if (page) {
        mkdirSync(ctx.artifactsDir, { recursive: true });
        const file = join(ctx.artifactsDir, 'auth-browser-storage.png');
        await page.screenshot({ path: file, timeout: 5_000 });
        attachments.push(file);
      }
    } catch {
      // no screenshot; the message says enough
    }
    return browserStorage.error(`the browser login routine stopped while ${step}: ${firstLine(err)}`, { evidence: { attachments }, durationMs: performance.now() - started });
  } finally {
    await close();
  }
}
