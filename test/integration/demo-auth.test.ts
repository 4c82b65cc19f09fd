// The demo target's auth module on its own: the limiter's keying, reuse detection and logout, as a
// client sees them (the gate's view of the same is in auth.test.ts).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { DEMO_PASSWORD, DEMO_USERNAME, LOGIN_MAX_FAILURES } from '../../src/demo/auth.js';
import { withDemo } from '../helpers/servers.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request from a chosen loopback address (127.0.0.2 is another client as far as the server knows). */
function send(
  base: string,
  method: string,
  path: string,
  opts: { body?: unknown; cookie?: string; from?: string } = {},
): Promise<Answer> {
  const url = new URL(path, base);
  const body = opts.body === undefined ? '' : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname,
        localAddress: opts.from,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(opts.cookie ? { cookie: opts.cookie } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const login = (base: string, username: string, password: string, from?: string) =>
  send(base, 'POST', '/api/auth/login', { body: { username, password }, from });
const refreshCookieOf = (a: Answer) => String((a.headers['set-cookie'] as string[] | undefined)?.[0] ?? '').split(';')[0];

test('failed logins are limited per (client, username): the burst locks out neither the account elsewhere nor other names', async () => {
  await withDemo([], async (demo) => {
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) assert.equal((await login(demo.url, DEMO_USERNAME, 'wrong')).status, 401);
    const locked = await login(demo.url, DEMO_USERNAME, DEMO_PASSWORD);
    assert.equal(locked.status, 429);
    assert.match(String(locked.headers['retry-after']), /^\d+$/);
    assert.equal((await login(demo.url, DEMO_USERNAME, DEMO_PASSWORD, '127.0.0.2')).status, 200, 'another client still logs in');
    assert.equal(
      (await login(demo.url, 'someone-else', 'wrong')).status,
      401,
      'another name from the same client is not limited',
    );
  });
});

test('wrong password and unknown user get the same answer', async () => {
  await withDemo([], async (demo) => {
    const a = await login(demo.url, DEMO_USERNAME, 'wrong');
    const b = await login(demo.url, 'nobody', 'wrong');
    const strip = (s: string) => ({ ...JSON.parse(s), requestId: undefined });
    assert.deepEqual([a.status, strip(a.body)], [b.status, strip(b.body)]);
  });
});

test('reusing a rotated-out refresh token revokes the whole family; logout revokes and clears', async () => {
  await withDemo([], async (demo) => {
    const r1 = refreshCookieOf(await login(demo.url, DEMO_USERNAME, DEMO_PASSWORD));
    const rotated = await send(demo.url, 'POST', '/api/auth/refresh', { cookie: r1 });
    assert.equal(rotated.status, 200);
    const r2 = refreshCookieOf(rotated);
    assert.notEqual(r2, r1);
    assert.equal((await send(demo.url, 'POST', '/api/auth/refresh', { cookie: r1 })).status, 401);
    assert.equal((await send(demo.url, 'POST', '/api/auth/refresh', { cookie: r2 })).status, 401, 'the family is revoked');

    const s1 = refreshCookieOf(await login(demo.url, DEMO_USERNAME, DEMO_PASSWORD));
    const out = await send(demo.url, 'POST', '/api/auth/logout', { cookie: s1 });
    assert.equal(out.status, 204);
    assert.match(String(out.headers['set-cookie']), /^refresh_token=; HttpOnly; SameSite=Strict; Path=\/api\/auth; Max-Age=0$/);
    assert.equal((await send(demo.url, 'POST', '/api/auth/refresh', { cookie: s1 })).status, 401);
  });
});

test('behind a TLS-terminating proxy the refresh cookie is Secure', async () => {
  await withDemo([], async (demo) => {
    const url = new URL('/api/auth/login', demo.url);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: DEMO_USERNAME, password: DEMO_PASSWORD }),
    });
    assert.match(res.headers.getSetCookie()[0], /; Secure$/);
  });
});
