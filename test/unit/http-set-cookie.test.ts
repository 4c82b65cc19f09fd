// One Set-Cookie parser and one deletion rule for every gate: the security gate's cookie audit skips
// exactly what the auth gate's cookie jar deletes, and an empty value is a cookie, not a deletion.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CookieJar } from '../../checks/auth/cookies.js';
import { auditCookies } from '../../checks/security/cookies.js';
import { clearsValue, isDeletion, parseSetCookies } from '../../src/http/set-cookie.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');

// [Set-Cookie line, deleted (the browser removes it), holds no value afterwards]
const table: [string, boolean, boolean][] = [
  ['sid=; Max-Age=0', true, true],
  ['sid=x; Max-Age=0', true, true],
  ['sid=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT', true, true],
  ['sid=x; Expires=Mon, 01 Jun 2026 00:00:00 GMT', true, true],
  ['sid=x; Expires=Tue, 02 Jun 2026 00:00:00 GMT', false, false],
  // Max-Age wins over Expires (RFC 6265 §5.3 step 3).
  ['sid=x; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT', false, false],
  ['sid=', false, true],
  ['sid=; Path=/', false, true],
  ['sid=x; Max-Age=60', false, false],
  ['sid=x', false, false],
];
for (const [line, deleted, cleared] of table) {
  test(`${line}: deletion ${deleted}, holds no value ${cleared}`, () => {
    const [c] = parseSetCookies([line]);
    assert.equal(isDeletion(c, NOW), deleted);
    assert.equal(clearsValue(c, NOW), cleared);
  });
}

test('the security audit skips a deletion but audits an empty cookie (it is stored, flags and all)', () => {
  const seen = ['del=x; Max-Age=0', 'empty=', 'kept=x; Secure; HttpOnly; SameSite=Lax'].map((setCookie) => ({
    url: 'https://app.example/',
    setCookie,
  }));
  const { audited } = auditCookies(seen, ['sid']);
  assert.deepEqual(
    audited.map((a) => a.name),
    ['empty', 'kept'],
  );
});

test('the auth jar forgets both a deletion and an empty value', () => {
  const jar = new CookieJar();
  jar.update(['a=1', 'b=2', 'c=3']);
  jar.update(['a=; Max-Age=0', 'b=']);
  assert.equal(jar.header(), 'c=3');
});

test('a line with control characters is dropped (undici answers null for it), not a crash', () => {
  assert.deepEqual(
    parseSetCookies(['bad\u0001=x', 'ok=1']).map((c) => c.name),
    ['ok'],
  );
  assert.deepEqual(auditCookies([{ url: 'https://app.example/', setCookie: 'bad\u0001=x' }], []), { audited: [], problems: [] });
});
