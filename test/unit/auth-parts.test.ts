// The auth gate's pieces: JWT decoding and forging, JSON paths, Set-Cookie parsing and the cookie jar,
// cookie path rules, and the demo's JWT verifier (which must reject every forgery the gate sends).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPath, isLoopback, pathMatches } from '../../checks/auth/cookie-flags.js';
import { CookieJar } from '../../checks/auth/cookies.js';
import { clearsValue, parseSetCookies } from '../../src/http/set-cookie.js';
import { JsonPathError, parseJsonPath, valueAt } from '../../src/lang/json-path.js';
import { decodeJwt, encodeSegment, JWT_PATTERN, withAlgNone, withFlippedSignature } from '../../checks/auth/jwt.js';
import { JwtSigner } from '../../src/demo/jwt.js';

const now = () => Math.floor(Date.now() / 1000);
const claims = () => ({ sub: 'demo', iat: now(), exp: now() + 900, jti: 'j1' });

test('decodeJwt reads header and payload; opaque strings are not JWTs', () => {
  const token = new JwtSigner().sign(claims());
  const jwt = decodeJwt(token)!;
  assert.deepEqual(jwt.header, { alg: 'HS256', typ: 'JWT' });
  assert.equal(jwt.payload.sub, 'demo');
  for (const opaque of [
    'abc',
    'a.b',
    'a.b.c',
    `${encodeSegment([1])}.${encodeSegment({})}.x`,
    'x'.repeat(40),
    `${token}.extra`,
  ]) {
    assert.equal(decodeJwt(opaque), undefined, opaque);
  }
});

test('the demo verifier accepts its own token and rejects every forgery the gate sends', () => {
  const signer = new JwtSigner();
  const token = signer.sign(claims());
  const jwt = decodeJwt(token)!;
  assert.equal(signer.verify(token)?.sub, 'demo');
  const forged: [string, string][] = [
    ['flipped signature byte', withFlippedSignature(jwt)],
    ['alg none', withAlgNone(jwt)],
    ['alg None', withAlgNone(jwt, 'None')],
    ['alg HS384 header', `${encodeSegment({ alg: 'HS384', typ: 'JWT' })}.${jwt.parts[1]}.${jwt.parts[2]}`],
    ['another key', new JwtSigner().sign(claims())],
    ['expired', signer.sign({ ...claims(), iat: now() - 1000, exp: now() - 10 })],
    ['no signature', `${jwt.parts[0]}.${jwt.parts[1]}.`],
    ['garbage', 'not-a-token'],
  ];
  for (const [what, t] of forged) {
    assert.notEqual(t, token, what);
    assert.equal(signer.verify(t), undefined, what);
  }
});

test('withAlgNone keeps the claims, changes only alg, and drops the signature', () => {
  const jwt = decodeJwt(new JwtSigner().sign(claims()))!;
  const forged = decodeJwt(withAlgNone(jwt, 'NONE'))!;
  assert.deepEqual(forged.header, { alg: 'NONE', typ: 'JWT' });
  assert.deepEqual(forged.payload, jwt.payload);
  assert.equal(forged.parts[2], '');
});

test('withFlippedSignature changes exactly one byte of the decoded signature', () => {
  const jwt = decodeJwt(new JwtSigner().sign(claims()))!;
  const a = Buffer.from(jwt.parts[2], 'base64url');
  const b = Buffer.from(decodeJwt(withFlippedSignature(jwt))!.parts[2], 'base64url');
  assert.equal(a.length, b.length);
  assert.equal([...a].filter((x, i) => x !== b[i]).length, 1);
});

test('the demo verifier with the auth-alg-none-accepted flaw takes unsigned tokens', () => {
  const jwt = decodeJwt(new JwtSigner().sign(claims()))!;
  assert.equal(new JwtSigner({ acceptAlgNone: true }).verify(withAlgNone(jwt))?.sub, 'demo');
});

test('JWT_PATTERN finds a JWT inside other text', () => {
  const token = new JwtSigner().sign(claims());
  assert.ok(JWT_PATTERN.test(`{"token":"${token}"}`));
  assert.ok(!JWT_PATTERN.test('{"token":"opaque-value"}'));
});

const paths: [string, (string | number)[]][] = [
  ['accessToken', ['accessToken']],
  ['data.tokens.access', ['data', 'tokens', 'access']],
  ['tokens[0].value', ['tokens', 0, 'value']],
  ['$.access_token', ['access_token']],
  ['body.token', ['token']],
];
for (const [source, segments] of paths) {
  test(`JSON path ${source}`, () => assert.deepEqual(parseJsonPath(source).segments, segments));
}
for (const bad of ['', 'a..b', 'a.', 'a.[0]', 'a[x]', 'a]b']) {
  test(`JSON path syntax error: ${JSON.stringify(bad)}`, () => assert.throws(() => parseJsonPath(bad), JsonPathError));
}

test('valueAt walks objects and arrays and gives undefined for missing steps', () => {
  const doc = { data: { tokens: [{ value: 't' }] } };
  assert.equal(valueAt(doc, parseJsonPath('data.tokens[0].value')), 't');
  assert.equal(valueAt(doc, parseJsonPath('data.tokens[1].value')), undefined);
  assert.equal(valueAt(doc, parseJsonPath('data.missing.x')), undefined);
  assert.equal(valueAt('text', parseJsonPath('a')), undefined);
});

test('Set-Cookie parsing reads the flags the cookie check judges', () => {
  const [c] = parseSetCookies(['refresh_token=abc; HttpOnly; Secure; SameSite=Strict; Path=/api/auth; Max-Age=60']);
  assert.deepEqual(
    {
      name: c.name,
      value: c.value,
      httpOnly: c.httpOnly,
      secure: c.secure,
      sameSite: c.sameSite,
      path: c.path,
      maxAge: c.maxAge,
    },
    {
      name: 'refresh_token',
      value: 'abc',
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/api/auth',
      maxAge: 60,
    },
  );
});

const deletions: [string, boolean][] = [
  ['r=; Max-Age=0', true],
  ['r=x; Max-Age=0', true],
  ['r=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT', true],
  ['r=', true],
  ['r=x; Max-Age=60', false],
  ['r=x', false],
];
for (const [line, deleted] of deletions) {
  test(`clearsValue(${line}) = ${deleted}`, () => assert.equal(clearsValue(parseSetCookies([line])[0]), deleted));
}

test('the cookie jar replaces, deletes and renders cookies like a browser', () => {
  const jar = new CookieJar();
  assert.equal(jar.header(), undefined);
  jar.update(['a=1; Path=/', 'refresh_token=r1; HttpOnly']);
  assert.equal(jar.header(), 'a=1; refresh_token=r1');
  jar.update(['refresh_token=r2; HttpOnly']);
  assert.equal(jar.get('refresh_token'), 'r2');
  jar.update(['refresh_token=; Max-Age=0']);
  assert.equal(jar.get('refresh_token'), undefined);
  assert.equal(jar.header(), 'a=1');
});

const pathCases: [string, string, boolean][] = [
  ['/api/auth', '/api/auth/refresh', true],
  ['/api/auth/', '/api/auth/refresh', true],
  ['/api/auth', '/api/authx', false],
  ['/api/auth/refresh', '/api/auth/logout', false],
  ['/', '/anything', true],
];
for (const [cookiePath, requestPath, ok] of pathCases) {
  test(`path-match ${cookiePath} vs ${requestPath}: ${ok}`, () => assert.equal(pathMatches(cookiePath, requestPath), ok));
}

test('default cookie path is the request path up to its last slash', () => {
  assert.equal(defaultPath('/api/auth/login'), '/api/auth');
  assert.equal(defaultPath('/login'), '/');
});

test('loopback hosts are recognised, others are not', () => {
  for (const u of ['http://localhost:3000', 'http://127.0.0.1:1', 'http://[::1]:80', 'http://app.localhost'])
    assert.ok(isLoopback(new URL(u)), u);
  for (const u of ['http://10.0.0.1', 'https://example.com', 'http://localhost.example.com'])
    assert.ok(!isLoopback(new URL(u)), u);
});
