// Chromium builds that Playwright downloaded: first the revision this playwright-core asks for, then any
// other chromium-*/chromium_headless_shell-* folder under $PLAYWRIGHT_BROWSERS_PATH or Playwright's cache.
// An image built for another Playwright version (mcr's playwright image pinned one patch behind the
// lockfile) has a different revision than ours, and its browser still works.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { playwright } from '../playwright.js';

/** Where an executable sits inside a revision folder, for every layout Playwright has used. */
const LAYOUTS = [
  ['chrome-linux64', 'chrome'],
  ['chrome-linux', 'chrome'],
  ['chrome-linux-arm64', 'chrome'],
  ['chrome-headless-shell-linux64', 'chrome-headless-shell'],
  ['chrome-headless-shell-linux-arm64', 'chrome-headless-shell'],
  ['chrome-linux', 'headless_shell'],
  ['chrome-mac-arm64', 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing'],
  ['chrome-mac-x64', 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing'],
  ['chrome-mac', 'Chromium.app', 'Contents', 'MacOS', 'Chromium'],
  ['chrome-headless-shell-mac-arm64', 'chrome-headless-shell'],
  ['chrome-headless-shell-mac-x64', 'chrome-headless-shell'],
  ['chrome-win64', 'chrome.exe'],
  ['chrome-win', 'chrome.exe'],
  ['chrome-headless-shell-win64', 'chrome-headless-shell.exe'],
];

/** The revision this playwright-core was built for, if it can say (it does not check that it exists). */
export async function playwrightsOwn(): Promise<string | undefined> {
  try {
    const { chromium } = await playwright();
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

/** Playwright's browser folders, as its registry computes them. */
export function playwrightBrowserDirs(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string[] {
  const named = env.PLAYWRIGHT_BROWSERS_PATH?.trim();
  if (named === '0') {
    // "0" means inside the playwright-core package itself.
    try {
      return [join(dirname(createRequire(import.meta.url).resolve('playwright-core/package.json')), '.local-browsers')];
    } catch {
      return [];
    }
  }
  if (named) return [named];
  let home: string;
  try {
    home = homedir();
  } catch {
    return [];
  }
  if (platform === 'darwin') return [join(home, 'Library', 'Caches', 'ms-playwright')];
  if (platform === 'win32') return [join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'ms-playwright')];
  return [join(env.XDG_CACHE_HOME || join(home, '.cache'), 'ms-playwright')];
}

/** Candidate executables in those folders, newest revision first, full Chromium before the headless shell. */
export function downloadedChromiums(dirs: string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    const revisions = names
      .map((name) => ({ name, m: /^chromium(_headless_shell)?-(\d+)$/.exec(name) }))
      .filter((e): e is { name: string; m: RegExpExecArray } => e.m !== null)
      .sort((a, b) => Number(b.m[2]) - Number(a.m[2]) || Number(Boolean(a.m[1])) - Number(Boolean(b.m[1])));
    for (const { name } of revisions) for (const layout of LAYOUTS) out.push(join(dir, name, ...layout));
  }
  return out;
}
