// Finding a browser: what the user named first (SHIPGATE_BROWSER, then the profile), then the system,
// then Playwright's browsers (its own revision, then any chromium-* folder), then the bundled one; a named
// browser that is missing is an error with the install hint.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBrowser, searchedSources } from '../../src/browser/finder.js';
import { INSTALL_HINT } from '../../src/browser/hint.js';
import { downloadedChromiums } from '../../src/browser/playwright-browsers.js';

const dir = mkdtempSync(join(tmpdir(), 'shipgate-finder-'));
const fake = (name: string, mode = 0o755) => {
  const p = join(dir, name);
  writeFileSync(p, '#!/bin/sh\n');
  chmodSync(p, mode);
  return p;
};
const envChrome = fake('env-chrome');
const profileChrome = fake('profile-chrome');
const systemChrome = fake('system-chrome');
const ownChrome = fake('playwright-chrome');
const notExecutable = fake('not-executable', 0o644);
const missing = join(dir, 'missing-chrome');
const HINT = INSTALL_HINT;
const bundledChrome = fake('bundled-chrome');
const bundled = async () => ({
  ok: true as const,
  path: bundledChrome,
  packageVersion: '147.0.0',
  env: { LD_LIBRARY_PATH: '/x/lib' },
  extracted: false,
});
const noBundle = async () => ({ ok: false as const, message: 'not installed' });
const none = async () => undefined;

const cases: { name: string; opts: Parameters<typeof findBrowser>[0]; expect: Awaited<ReturnType<typeof findBrowser>> }[] = [
  {
    name: 'SHIPGATE_BROWSER wins over everything',
    opts: { env: { SHIPGATE_BROWSER: envChrome }, configured: profileChrome, candidates: [systemChrome] },
    expect: { ok: true, path: envChrome, source: 'SHIPGATE_BROWSER' },
  },
  {
    name: 'the profile setting comes next',
    opts: { env: {}, configured: profileChrome, candidates: [systemChrome] },
    expect: { ok: true, path: profileChrome, source: 'profile' },
  },
  {
    name: 'then the first system browser that exists',
    opts: { env: {}, candidates: [missing, systemChrome], playwrightPath: async () => ownChrome },
    expect: { ok: true, path: systemChrome, source: 'system' },
  },
  {
    name: "then Playwright's own browser",
    opts: { env: {}, candidates: [missing], playwrightPath: async () => ownChrome },
    expect: { ok: true, path: ownChrome, source: 'playwright' },
  },
  {
    name: 'a missing SHIPGATE_BROWSER is an error, not a fallback',
    opts: { env: { SHIPGATE_BROWSER: missing }, candidates: [systemChrome] },
    expect: { ok: false, message: `no Chromium at ${missing} (SHIPGATE_BROWSER): ${HINT}` },
  },
  {
    name: 'a missing profile browser is an error, not a fallback',
    opts: { env: {}, configured: missing, configuredAt: 'gates.realtime.browser', candidates: [systemChrome] },
    expect: { ok: false, message: `no Chromium at ${missing} (gates.realtime.browser): ${HINT}` },
  },
  {
    name: 'a file that is not executable does not count',
    opts: { env: {}, configured: notExecutable, configuredAt: 'gates.realtime.browser' },
    expect: { ok: false, message: `no Chromium at ${notExecutable} (gates.realtime.browser): ${HINT}` },
  },
  {
    name: 'a folder does not count',
    opts: { env: {}, candidates: [dir], playwrightPath: none, playwrightDirs: [], bundled: noBundle },
    expect: { ok: false, message: `no Chromium found (not installed): ${HINT}` },
  },
  {
    name: "Playwright's path that was never downloaded does not count",
    opts: { env: {}, candidates: [], playwrightPath: async () => missing, playwrightDirs: [], bundled: noBundle },
    expect: { ok: false, message: `no Chromium found (not installed): ${HINT}` },
  },
  {
    name: 'then the bundled Chromium, with the environment it needs',
    opts: { env: {}, candidates: [missing], playwrightPath: none, playwrightDirs: [], bundled },
    expect: { ok: true, path: bundledChrome, source: 'bundled', env: { LD_LIBRARY_PATH: '/x/lib' } },
  },
  {
    name: 'SHIPGATE_BROWSER_SEARCH=bundled hides the system and Playwright browsers',
    opts: {
      env: { SHIPGATE_BROWSER_SEARCH: 'bundled' },
      candidates: [systemChrome],
      playwrightPath: async () => ownChrome,
      bundled,
    },
    expect: { ok: true, path: bundledChrome, source: 'bundled', env: { LD_LIBRARY_PATH: '/x/lib' } },
  },
  {
    name: 'a narrowed search that finds nothing says so',
    opts: { env: { SHIPGATE_BROWSER_SEARCH: 'bundled' }, candidates: [systemChrome], bundled: noBundle },
    expect: { ok: false, message: `no Chromium found (searched only bundled: SHIPGATE_BROWSER_SEARCH) (not installed): ${HINT}` },
  },
  {
    name: 'the search option wins over the environment',
    opts: { env: { SHIPGATE_BROWSER_SEARCH: 'bundled' }, search: ['system'], candidates: [systemChrome], bundled },
    expect: { ok: true, path: systemChrome, source: 'system' },
  },
  {
    name: 'a named browser still wins over a narrowed search',
    opts: { env: { SHIPGATE_BROWSER_SEARCH: 'bundled', SHIPGATE_BROWSER: envChrome }, bundled },
    expect: { ok: true, path: envChrome, source: 'SHIPGATE_BROWSER' },
  },
  {
    name: 'an empty SHIPGATE_BROWSER is ignored',
    opts: { env: { SHIPGATE_BROWSER: '  ' }, candidates: [systemChrome] },
    expect: { ok: true, path: systemChrome, source: 'system' },
  },
];
for (const c of cases) {
  test(`findBrowser: ${c.name}`, async () => {
    assert.deepEqual(await findBrowser(c.opts), c.expect);
  });
}

test("Playwright's folders: any chromium-* revision, newest first, full Chromium before the headless shell", () => {
  const root = mkdtempSync(join(tmpdir(), 'shipgate-pw-'));
  const put = (...parts: string[]) => {
    mkdirSync(join(root, ...parts.slice(0, -1)), { recursive: true });
    writeFileSync(join(root, ...parts), '');
  };
  put('chromium-1100', 'chrome-linux', 'chrome');
  put('chromium-1255', 'chrome-linux64', 'chrome');
  put('chromium_headless_shell-1255', 'chrome-headless-shell-linux64', 'chrome-headless-shell');
  put('firefox-1400', 'firefox', 'firefox');
  const found = downloadedChromiums([root, join(root, 'missing')]).filter((p) => p.startsWith(root));
  const present = found.filter((p) =>
    [
      'chromium-1255/chrome-linux64/chrome',
      'chromium_headless_shell-1255/chrome-headless-shell-linux64/chrome-headless-shell',
      'chromium-1100/chrome-linux/chrome',
    ].some((s) => p.endsWith(s)),
  );
  assert.deepEqual(
    present.map((p) => p.slice(root.length + 1)),
    [
      'chromium-1255/chrome-linux64/chrome',
      'chromium_headless_shell-1255/chrome-headless-shell-linux64/chrome-headless-shell',
      'chromium-1100/chrome-linux/chrome',
    ],
  );
  assert.ok(!found.some((p) => p.includes('firefox')));
});

test('a browser in $PLAYWRIGHT_BROWSERS_PATH of another Playwright revision is found', async () => {
  const root = mkdtempSync(join(tmpdir(), 'shipgate-pw-'));
  mkdirSync(join(root, 'chromium-1194', 'chrome-linux'), { recursive: true });
  const exe = join(root, 'chromium-1194', 'chrome-linux', 'chrome');
  writeFileSync(exe, '#!/bin/sh\n');
  chmodSync(exe, 0o755);
  const found = await findBrowser({
    env: { PLAYWRIGHT_BROWSERS_PATH: root },
    candidates: [],
    playwrightPath: async () => join(root, 'chromium-1255', 'chrome-linux64', 'chrome'),
    bundled: noBundle,
  });
  assert.deepEqual(found, { ok: true, path: exe, source: 'playwright' });
});

test('SHIPGATE_BROWSER_SEARCH reads a list; nothing known means everything', () => {
  assert.deepEqual(searchedSources({ SHIPGATE_BROWSER_SEARCH: 'bundled, playwright' }), ['playwright', 'bundled']);
  assert.deepEqual(searchedSources({ SHIPGATE_BROWSER_SEARCH: 'nonsense' }), ['system', 'playwright', 'bundled']);
  assert.deepEqual(searchedSources({}), ['system', 'playwright', 'bundled']);
});
