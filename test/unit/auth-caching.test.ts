// The pure parts of auth.no-store, auth.refresh-token-not-in-body and the 429 handling: Cache-Control
// directives and their verdicts, refresh-token-like fields, Retry-After.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheDirectives, judgeProtectedResponse, judgeTokenResponse } from '../../checks/auth/no-store.js';
import { refreshFields } from '../../checks/auth/refresh-fields.js';
import { retryAfterMs } from '../../checks/auth/retry-after.js';
import type { HttpResponse } from '../../src/http/client.js';

test('Cache-Control directives: names lower-cased, values unquoted, quoted commas kept', () => {
  const d = cacheDirectives('Private, max-age=0, no-cache="set-cookie, x-foo", S-MAXAGE=10');
  assert.deepEqual(
    [...d],
    [
      ['private', true],
      ['max-age', '0'],
      ['no-cache', 'set-cookie, x-foo'],
      ['s-maxage', '10'],
    ],
  );
  assert.equal(cacheDirectives(undefined).size, 0);
  assert.equal(cacheDirectives('').size, 0);
});

const tokenCases: [string | undefined, string][] = [
  ['no-store', 'pass'],
  ['no-cache, no-store, must-revalidate', 'pass'],
  ['private', 'fail'],
  ['no-cache', 'fail'],
  [undefined, 'fail'],
];
for (const [value, verdict] of tokenCases) {
  test(`a token response with Cache-Control ${value ?? '(none)'} → ${verdict}`, () =>
    assert.equal(judgeTokenResponse(value), verdict));
}

const protectedCases: [string | undefined, string][] = [
  ['no-store', 'pass'],
  ['private', 'pass'],
  ['private, no-cache', 'pass'],
  ['private, max-age=0', 'pass'],
  ['private, max-age=300', 'fail'],
  ['public, max-age=300', 'fail'],
  ['public', 'fail'],
  ['max-age=60', 'fail'],
  ['s-maxage=60', 'fail'],
  ['no-cache', 'warn'],
  [undefined, 'warn'],
];
for (const [value, verdict] of protectedCases) {
  test(`the protected response with Cache-Control ${value ?? '(none)'} → ${verdict}`, () =>
    assert.equal(judgeProtectedResponse(value), verdict));
}

test('refresh-token-like fields are found wherever they sit; short strings and other names are not', () => {
  const long = 'r'.repeat(32);
  const found = refreshFields({
    accessToken: 'a'.repeat(40),
    refreshToken: long,
    data: { tokens: [{ refresh_token: long, refresh: 'short' }] },
    refreshed: long,
  });
  assert.deepEqual(
    found.map((f) => f.path),
    ['refreshToken', 'data.tokens[0].refresh_token'],
  );
  let deep: unknown = { refreshToken: long };
  for (let i = 0; i < 10_000; i++) deep = [deep];
  assert.deepEqual(refreshFields(deep), [], 'a hostile nesting depth is cut off, not a stack overflow');
});

test('Retry-After: seconds or an HTTP date; anything else is unknown', () => {
  const res = (v?: string) => ({ headers: v === undefined ? {} : { 'retry-after': v } }) as unknown as HttpResponse;
  const now = Date.parse('2026-12-03T10:00:00Z');
  assert.equal(retryAfterMs(res('30'), now), 30_000);
  assert.equal(retryAfterMs(res('Thu, 03 Dec 2026 10:00:05 GMT'), now), 5_000);
  assert.equal(retryAfterMs(res('Thu, 03 Dec 2026 09:00:00 GMT'), now), 0);
  assert.equal(retryAfterMs(res('soon'), now), undefined);
  assert.equal(retryAfterMs(res(), now), undefined);
});

test('header values the target chose reach messages as printable, bounded text (no terminal escapes)', async () => {
  const { shown } = await import('../../checks/auth/flow.js');
  assert.equal(shown('public, max-age=300'), 'public, max-age=300');
  assert.equal(shown('\u001b[2J\u001b[31mpublic\r\n'), '?[2J?[31mpublic??');
  assert.equal(shown('x'.repeat(100), 40), `${'x'.repeat(40)}…`);
});
