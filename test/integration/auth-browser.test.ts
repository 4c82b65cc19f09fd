// auth.browser-storage: a real Chromium logs in through the demo's login page; a page that keeps the
// token in localStorage fails; a missing browser or a broken login routine says why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBrowser } from '../../src/browser/finder.js';
import { INSTALL_HINT } from '../../src/browser/hint.js';
import { DEMO_PASSWORD } from '../../src/demo/auth.js';
import { withProxy } from '../helpers/proxy.js';
import { check, runYaml } from '../helpers/run.js';
import { withDemo } from '../helpers/servers.js';

const found = await findBrowser();
const noBrowser = found.ok ? false : found.message;

const profile = (url: string, browser: string) => `name: t
target:
  baseUrl: ${url}
gates:
  auth:
    login:
      username: demo
      password: \${secret:TEST_DEMO_PASSWORD}
    rateLimit: { enabled: false }
    browser:
      page: /login
      loggedIn: "#signed-in"
${browser}`;
const run = (url: string, browser = '') =>
  runYaml(profile(url, browser), { env: { TEST_DEMO_PASSWORD: DEMO_PASSWORD }, gates: ['auth'] });

/** SHIPGATE_BROWSER wins over the profile's setting: tests of that setting run without it. */
async function withoutBrowserOverride<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.SHIPGATE_BROWSER;
  delete process.env.SHIPGATE_BROWSER;
  try {
    return await fn();
  } finally {
    if (saved !== undefined) process.env.SHIPGATE_BROWSER = saved;
  }
}

test('the demo login page keeps the token in memory: browser-storage passes', { skip: noBrowser }, async () => {
  await withDemo([], async (demo) => {
    const c = check(await run(demo.url), 'auth.browser-storage');
    assert.equal(c.status, 'pass', c.message);
    assert.match(c.message, /no token in localStorage \(0 keys\), sessionStorage \(0 keys\)/);
    // The evidence names the browser that ran: version, where it came from, its path.
    assert.match(String(c.evidence?.details?.browser), /^Chromium \d+[\d.]* \((SHIPGATE_BROWSER|system|playwright|bundled)\)$/);
    assert.equal(c.evidence?.details?.source, found.ok && found.source);
    assert.equal(c.evidence?.details?.executable, found.ok && found.path);
  });
});

test('a page that stores the token in localStorage fails, naming the key but never the value', { skip: noBrowser }, async () => {
  await withDemo([], async (demo) => {
    const storeIt = (req: { path: string }, res: { status: number; headers: Record<string, unknown>; body: string }) =>
      req.path === '/login.js'
        ? {
            ...res,
            body: res.body.replaceAll(
              'accessToken = (await res.json()).accessToken;',
              "accessToken = (await res.json()).accessToken; localStorage.setItem('auth', JSON.stringify({ token: accessToken }));",
            ),
          }
        : res;
    await withProxy(demo.url, storeIt as never, async (url, recording) => {
      const r = await run(url);
      const c = check(r, 'auth.browser-storage');
      assert.equal(c.status, 'fail', c.message);
      assert.match(c.message, /a token is readable by any script on the page: localStorage\["auth"\]/);
      const browserTokens = recording.exchanges
        .filter((e) => e.req.path === '/api/auth/login' && e.res.status === 200)
        .map((e) => JSON.parse(e.res.body).accessToken as string);
      assert.equal(browserTokens.length, 4, 'the main session, the rotation session, the reuse session and the browser login');
      for (const t of browserTokens) assert.ok(!JSON.stringify(r).includes(t));
    });
  });
});

test('a named browser that does not exist skips with the reason', async () => {
  await withDemo([], async (demo) => {
    const c = check(
      await withoutBrowserOverride(() => run(demo.url, '      executable: /nonexistent/chromium\n')),
      'auth.browser-storage',
    );
    assert.equal(c.status, 'skip');
    assert.equal(c.message, `no Chromium at /nonexistent/chromium (gates.auth.browser.executable): ${INSTALL_HINT}`);
  });
});

test('a login routine that never reaches the logged-in state is an error naming the step', { skip: noBrowser }, async () => {
  await withDemo([], async (demo) => {
    const c = check(await run(demo.url, '      submit: "#no-such-button"\n      timeout: 5s\n'), 'auth.browser-storage');
    assert.equal(c.status, 'error');
    assert.match(c.message, /^the browser login routine stopped while clicking #no-such-button: /);
  });
});
