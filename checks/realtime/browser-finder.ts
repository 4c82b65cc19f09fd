// Finding a Chromium the way users expect: what they named (SHIPGATE_BROWSER, then the profile's
// `browser`), else the system's Chromium/Chrome, else Playwright's own downloaded browser.
// A browser that was named but is missing is an error, not a reason to silently pick another one.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { playwright } from '../../src/playwright.js';
import { INSTALL_HINT } from './catalogue.js';

export type BrowserSource = 'SHIPGATE_BROWSER' | 'profile' | 'system' | 'playwright';

export type FoundBrowser = { ok: true; path: string; source: BrowserSource } | { ok: false; message: string };

export const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export interface FindOptions {
  env?: NodeJS.ProcessEnv;
  /** gates.realtime.browser */
  configured?: string;
  /** Where to look on the system (tests replace it). */
  candidates?: string[];
  /** Playwright's own browser path; default asks Playwright (lazily imported). */
  playwrightPath?: () => Promise<string | undefined>;
}

async function executable(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function playwrightsOwn(): Promise<string | undefined> {
  try {
    const { chromium } = await playwright();
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

export async function findBrowser(opts: FindOptions = {}): Promise<FoundBrowser> {
  const env = opts.env ?? process.env;
  const named: [BrowserSource, string | undefined][] = [
    ['SHIPGATE_BROWSER', env.SHIPGATE_BROWSER?.trim() || undefined],
    ['profile', opts.configured],
  ];
  for (const [source, path] of named) {
    if (!path) continue;
    if (await executable(path)) return { ok: true, path, source };
    const where = source === 'profile' ? 'gates.realtime.browser' : 'SHIPGATE_BROWSER';
    return { ok: false, message: `no Chromium at ${path} (${where}): ${INSTALL_HINT}` };
  }
  for (const path of opts.candidates ?? SYSTEM_BROWSERS) {
    if (await executable(path)) return { ok: true, path, source: 'system' };
  }
  const own = await (opts.playwrightPath ?? playwrightsOwn)();
  if (own && (await executable(own))) return { ok: true, path: own, source: 'playwright' };
  return { ok: false, message: `no Chromium found: ${INSTALL_HINT}` };
}
