// The one way shipgate finds a Chromium, for every gate and for `doctor`. In order:
//   1. SHIPGATE_BROWSER          what the person running shipgate named
//   2. the profile's setting     gates.realtime.browser / gates.auth.browser.executable
//   3. a system Chromium/Chrome
//   4. Playwright's browsers     its own revision, then any chromium-* in $PLAYWRIGHT_BROWSERS_PATH
//   5. the bundled Chromium      from the optional dependency, Linux x64 only, unpacked once
// A browser that was named but is missing is an error, not a reason to silently pick another one.
// SHIPGATE_BROWSER_SEARCH (or `search`) narrows steps 3–5, e.g. `bundled` to prove the bundled one works.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { bundledChromium, type BundledOutcome } from './bundled.js';
import { installHint } from './hint.js';
import { downloadedChromiums, playwrightBrowserDirs, playwrightsOwn } from './playwright-browsers.js';

export type BrowserSource = 'SHIPGATE_BROWSER' | 'profile' | 'system' | 'playwright' | 'bundled';
export type SearchedSource = 'system' | 'playwright' | 'bundled';
export const SEARCHED_SOURCES: SearchedSource[] = ['system', 'playwright', 'bundled'];

export interface BrowserFound {
  ok: true;
  path: string;
  source: BrowserSource;
  /** Environment the executable needs (the bundled one's libraries and fonts). */
  env?: Record<string, string>;
}

export type FoundBrowser = BrowserFound | { ok: false; message: string };

export const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

export interface FindOptions {
  env?: NodeJS.ProcessEnv;
  /** The profile's setting. */
  configured?: string;
  /** Its profile field, for messages. */
  configuredAt?: string;
  /** Which of steps 3–5 to take (default: $SHIPGATE_BROWSER_SEARCH, else all). */
  search?: SearchedSource[];
  /** System locations (tests replace them). */
  candidates?: string[];
  /** Playwright's own revision's executable; default asks playwright-core (lazily imported). */
  playwrightPath?: () => Promise<string | undefined>;
  /** Folders of Playwright downloads; default $PLAYWRIGHT_BROWSERS_PATH or Playwright's cache. */
  playwrightDirs?: string[];
  /** The bundled Chromium; default unpacks the optional dependency. */
  bundled?: () => Promise<BundledOutcome>;
  /** Told before slow work (unpacking the bundled browser). */
  onProgress?: (message: string) => void;
}

export async function executable(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** SHIPGATE_BROWSER_SEARCH=bundled,playwright → those sources; unknown words are ignored, none → all. */
export function searchedSources(env: NodeJS.ProcessEnv): SearchedSource[] {
  const words = (env.SHIPGATE_BROWSER_SEARCH ?? '').split(/[\s,]+/).filter(Boolean);
  const chosen = SEARCHED_SOURCES.filter((s) => words.includes(s));
  return chosen.length ? chosen : SEARCHED_SOURCES;
}

/** A one-line description for evidence and progress: "bundled (@sparticuz/chromium 147.0.0)". */
export function describeSource(source: BrowserSource): string {
  switch (source) {
    case 'system':
      return 'the system';
    case 'playwright':
      return "Playwright's browsers";
    case 'bundled':
      return 'the bundled Chromium';
    case 'profile':
      return 'the profile';
    default:
      return source;
  }
}

export async function findBrowser(opts: FindOptions = {}): Promise<FoundBrowser> {
  const env = opts.env ?? process.env;
  const hint = installHint();
  const named: [BrowserSource, string | undefined][] = [
    ['SHIPGATE_BROWSER', env.SHIPGATE_BROWSER?.trim() || undefined],
    ['profile', opts.configured?.trim() || undefined],
  ];
  for (const [source, path] of named) {
    if (!path) continue;
    if (await executable(path)) return { ok: true, path, source };
    const where = source === 'profile' ? (opts.configuredAt ?? 'the profile') : 'SHIPGATE_BROWSER';
    return { ok: false, message: `no Chromium at ${path} (${where}): ${hint}` };
  }
  const search = opts.search ?? searchedSources(env);
  if (search.includes('system')) {
    for (const path of opts.candidates ?? SYSTEM_BROWSERS) {
      if (await executable(path)) return { ok: true, path, source: 'system' };
    }
  }
  if (search.includes('playwright')) {
    const own = await (opts.playwrightPath ?? playwrightsOwn)();
    for (const path of [...(own ? [own] : []), ...downloadedChromiums(opts.playwrightDirs ?? playwrightBrowserDirs(env))]) {
      if (await executable(path)) return { ok: true, path, source: 'playwright' };
    }
  }
  let bundledWhy = '';
  if (search.includes('bundled')) {
    const bundled = await (opts.bundled ?? (() => bundledChromium({ env, onProgress: opts.onProgress })))();
    if (bundled.ok) return { ok: true, path: bundled.path, source: 'bundled', env: bundled.env };
    bundledWhy = ` (${bundled.message})`;
  }
  const looked =
    search.length === SEARCHED_SOURCES.length ? '' : ` (searched only ${search.join(', ')}: SHIPGATE_BROWSER_SEARCH)`;
  return { ok: false, message: `no Chromium found${looked}${bundledWhy}: ${hint}` };
}
