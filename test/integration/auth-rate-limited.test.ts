// The login burst must not turn the next run red: behind a limiter keyed on the client address only
// (every login from this address, whatever the username), a run right after a burst finds its own login
// answered 429. That is "shipgate could not decide", or a short wait, never a failed login. And the smoke
// suite does not send the burst at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PASSWORD } from '../../src/demo/auth.js';
import { check, runYaml, statuses } from '../helpers/run.js';
import { withProxy, type Rewrite } from '../helpers/proxy.js';
import { withDemo } from '../helpers/servers.js';

const profile = (url: string) => `name: t
target:
  baseUrl: ${url}
timeouts:
  request: 3s
gates:
  auth:
    login:
      username: demo
      password: \${secret:TEST_DEMO_PASSWORD}
suites:
  smoke: [auth]
`;
const env = { TEST_DEMO_PASSWORD: DEMO_PASSWORD };

/** An address-keyed login limiter in front of the demo: after `max` failed logins from anyone, every login gets 429. */
function addressKeyedLimiter(max: number, retryAfterS: number): Rewrite {
  let failures = 0;
  let blockedUntil = 0;
  return (req, res) => {
    if (req.path !== '/api/auth/login') return res;
    if (Date.now() < blockedUntil) {
      return {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': String(retryAfterS) },
        body: '{"error":"too many login attempts from this address"}',
      };
    }
    if (res.status === 401 && ++failures >= max) {
      blockedUntil = Date.now() + retryAfterS * 1000;
      failures = 0;
    }
    return res;
  };
}

const failing = (r: Awaited<ReturnType<typeof runYaml>>) =>
  Object.entries(statuses(r, 'auth'))
    .filter(([, s]) => s === 'fail')
    .map(([id]) => id);

test('right after a burst, a long Retry-After on the login is an error explaining the lockout, not a failed login', async () => {
  await withDemo([], async (demo) => {
    await withProxy(demo.url, addressKeyedLimiter(5, 60), async (url) => {
      const first = await runYaml(profile(url), { env, gates: ['auth'] });
      assert.equal(check(first, 'auth.login-rate-limit').status, 'pass', check(first, 'auth.login-rate-limit').message);
      assert.equal(check(first, 'auth.login').status, 'pass');

      const next = await runYaml(profile(url), { env, gates: ['auth'] });
      const login = check(next, 'auth.login');
      assert.equal(login.status, 'error', login.message);
      assert.match(
        login.message,
        /429 Too Many Requests \(Retry-After: 60, longer than the 10(\.0)?s shipgate waits\): this client is rate-limited, most likely still by the burst of failed logins of a previous run/,
      );
      assert.deepEqual(failing(next), [], 'no auth check blames the target');
      assert.equal(check(next, 'auth.refresh-rotates').status, 'skip');
      assert.equal(next.verdict, 'error');
    });
  });
});

test('right after a burst, a short Retry-After on the login is waited out and the run passes', async () => {
  await withDemo([], async (demo) => {
    await withProxy(demo.url, addressKeyedLimiter(5, 1), async (url) => {
      await runYaml(profile(url), { env, gates: ['auth'] });
      const next = await runYaml(profile(url), { env, gates: ['auth'] });
      assert.equal(check(next, 'auth.login').status, 'pass', check(next, 'auth.login').message);
      assert.deepEqual(failing(next), []);
      assert.equal(next.verdict, 'pass');
    });
  });
});

test('the smoke suite does not send the burst of failed logins', async () => {
  await withDemo([], async (demo) => {
    await withProxy(demo.url, undefined, async (url, recording) => {
      const r = await runYaml(profile(url), { env, suite: 'smoke' });
      const burst = check(r, 'auth.login-rate-limit');
      assert.equal(burst.status, 'skip');
      assert.match(
        burst.message,
        /^not sent in suite "smoke": an address-keyed limiter would still block the next scheduled run/,
      );
      assert.equal(check(r, 'auth.login').status, 'pass');
      assert.ok(
        !recording.exchanges.some((x) => x.req.body.includes('shipgate-burst-')),
        'no login for a burst username was sent',
      );
      assert.equal(r.verdict, 'pass');
    });
  });
});
