// Finding a browser: what the user named first (SHIPGATE_BROWSER, then the profile), then the system,
// then Playwright's own; a named browser that is missing is an error with the install hint.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBrowser } from '../../checks/realtime/browser-finder.js';

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
const HINT = 'set SHIPGATE_BROWSER=/path/to/chrome, or apt-get install chromium, or npx playwright install chromium';
const none = async () => undefined;

const cases: { name: string; opts: Parameters<typeof findBrowser>[0]; expect: Awaited<ReturnType<typeof findBrowser>> }[] = [
  { name: 'SHIPGATE_BROWSER wins over everything', opts: { env: { SHIPGATE_BROWSER: envChrome }, configured: profileChrome, candidates: [systemChrome] }, expect: { ok: true, path: envChrome, source: 'SHIPGATE_BROWSER' } },
  { name: 'the profile setting comes next', opts: { env: {}, configured: profileChrome, candidates: [systemChrome] }, expect: { ok: true, path: profileChrome, source: 'profile' } },
  { name: 'then the first system browser that exists', opts: { env: {}, candidates: [missing, systemChrome], playwrightPath: async () => ownChrome }, expect: { ok: true, path: systemChrome, source: 'system' } },
  { name: "then Playwright's own browser", opts: { env: {}, candidates: [missing], playwrightPath: async () => ownChrome }, expect: { ok: true, path: ownChrome, source: 'playwright' } },
  { name: 'a missing SHIPGATE_BROWSER is an error, not a fallback', opts: { env: { SHIPGATE_BROWSER: missing }, candidates: [systemChrome] }, expect: { ok: false, message: `no Chromium at ${missing} (SHIPGATE_BROWSER): ${HINT}` } },
  { name: 'a missing profile browser is an error, not a fallback', opts: { env: {}, configured: missing, candidates: [systemChrome] }, expect: { ok: false, message: `no Chromium at ${missing} (gates.realtime.browser): ${HINT}` } },
  { name: 'a file that is not executable does not count', opts: { env: {}, configured: notExecutable }, expect: { ok: false, message: `no Chromium at ${notExecutable} (gates.realtime.browser): ${HINT}` } },
  { name: 'a folder does not count', opts: { env: {}, candidates: [dir], playwrightPath: none }, expect: { ok: false, message: `no Chromium found: ${HINT}` } },
  { name: "Playwright's path that was never downloaded does not count", opts: { env: {}, candidates: [], playwrightPath: async () => missing }, expect: { ok: false, message: `no Chromium found: ${HINT}` } },
  { name: 'an empty SHIPGATE_BROWSER is ignored', opts: { env: { SHIPGATE_BROWSER: '  ' }, candidates: [systemChrome] }, expect: { ok: true, path: systemChrome, source: 'system' } },
];
for (const c of cases) {
  test(`findBrowser: ${c.name}`, async () => {
    assert.deepEqual(await findBrowser(c.opts), c.expect);
  });
}

test('the default search asks Playwright lazily and finds something or says how to install one', async () => {
  const found = await findBrowser({ env: {} });
  if (found.ok) assert.ok(['system', 'playwright'].includes(found.source));
  else assert.match(found.message, /apt-get install chromium/);
});
