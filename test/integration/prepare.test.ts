// Gate preparation (GateModule.prepare): the realtime gate launches Chromium when the run starts and
// lends it to the auth gate's browser login, so a run starts one browser; a retried realtime attempt,
// whose prepared browser the first attempt closed, launches its own. A wrapper script in front of the
// Chromium shipgate finds counts the launches.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBrowser } from '../../src/browser/finder.js';
import { GATES } from '../../src/gates/registry.js';
import { chromiumDescendants } from '../helpers/processes.js';
import { check, runYaml } from '../helpers/run.js';
import { withDemo } from '../helpers/servers.js';

// Whichever Chromium shipgate finds (the bundled one needs its environment, which the wrapper sets).
const found = await findBrowser();
const skip = found.ok ? false : found.message;

/** A Chromium that appends a line to a log at every launch. */
function countingBrowser(): { path: string; launches: () => number } {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-counting-browser-'));
  const log = join(dir, 'launches.log');
  const path = join(dir, 'chromium');
  if (!found.ok) throw new Error(found.message);
  const env = Object.entries(found.env ?? {})
    .map(([k, v]) => `export ${k}='${v}'\n`)
    .join('');
  writeFileSync(path, `#!/bin/sh\necho launched >> '${log}'\n${env}exec '${found.path}' "$@"\n`);
  chmodSync(path, 0o755);
  return { path, launches: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').length : 0) };
}

async function withoutBrowserOverride<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.SHIPGATE_BROWSER;
  delete process.env.SHIPGATE_BROWSER;
  try {
    return await fn();
  } finally {
    if (saved !== undefined) process.env.SHIPGATE_BROWSER = saved;
  }
}

const realtimeSection = (browser: string) => `  realtime:
    browser: ${browser}
    page: /live
    ready: 'body[data-live="open"]'
    action:
      - fill: '#item-text'
        value: 'item {marker}'
      - click: '#add'
    observe: { selector: '#items li', text: 'item {marker}' }
    rounds: 2
    latency: p95 < 5s
    timeouts: { round: 3s }
`;

test('the registry flags exactly the gates whose module has prepare() (the runner loads those first)', async () => {
  for (const entry of GATES) assert.equal(Boolean(entry.prepares), typeof (await entry.load()).prepare === 'function', entry.id);
});

test('one Chromium for the run: realtime launches it while earlier phases run and lends it to auth', { skip }, async () => {
  const browser = countingBrowser();
  await withDemo([], (demo) =>
    withoutBrowserOverride(async () => {
      const r = await runYaml(`name: t
target: { baseUrl: ${demo.url} }
timeouts: { request: 5s, gate: 90s }
gates:
  probes:
    # Only there to be an earlier phase; a busy machine must not fail it.
    liveness: { path: /health, maxLatency: 10s }
    readiness: { maxLatency: 10s }
    samples: 1
  auth:
    login:
      path: /api/auth/login
      username: demo
      password: shipgate-demo-password
      body: { username: '{{username}}', password: '{{password}}' }
    accessToken: { jsonPath: accessToken }
    refreshCookie: { name: refresh_token }
    refresh: { path: /api/auth/refresh }
    logout: { path: /api/auth/logout }
    protected: { path: /api/me }
    browser:
      executable: ${browser.path}
      page: /login
      userField: input[name=username]
      passField: input[name=password]
      submit: button[type=submit]
      loggedIn: '#signed-in'
${realtimeSection(browser.path)}`);
      assert.equal(check(r, 'auth.browser-storage').status, 'pass', check(r, 'auth.browser-storage').message);
      assert.equal(check(r, 'realtime.sync').status, 'pass', check(r, 'realtime.sync').message);
      assert.equal(browser.launches(), 1, 'auth borrowed the browser realtime launched');
      const realtime = r.gates.find((g) => g.id === 'realtime')!;
      // How much of the preparation ran before the gate depends on how long probes took; it is reported either way.
      assert.equal(typeof realtime.prepareMs, 'number', 'realtime reports the time its preparation ran before it started');
      assert.equal(r.gates.find((g) => g.id === 'probes')!.prepareMs, undefined, 'a gate without prepare() reports none');
      assert.deepEqual(chromiumDescendants(), [], 'the shared browser is closed at the end');
    }),
  );
});

test(
  'a retried realtime attempt launches a browser of its own (the first attempt closed the prepared one)',
  { skip },
  async () => {
    const browser = countingBrowser();
    await withDemo(['realtime-no-broadcast'], (demo) =>
      withoutBrowserOverride(async () => {
        const r = await runYaml(`name: t
target: { baseUrl: ${demo.url} }
timeouts: { request: 5s, gate: 90s }
retries: { realtime: 1 }
gates:
${realtimeSection(browser.path)}`);
        const sync = check(r, 'realtime.sync');
        assert.equal(sync.status, 'fail', sync.message);
        assert.match(sync.message, /B did not show A's change/);
        assert.deepEqual(sync.attempts, ['fail']);
        assert.equal(browser.launches(), 2);
        assert.deepEqual(chromiumDescendants(), []);
      }),
    );
  },
);
