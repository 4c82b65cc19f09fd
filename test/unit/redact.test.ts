// The redactor (issue 19 items 6 and 7): every encoded form of a secret, and what an excerpt leaves of one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { excerpt } from '../../src/http/client.js';
import { Redactor } from '../../src/redact.js';
import { ECHO_FORMS } from '../fixtures/secret-echo-target.js';

const secret = 'hunter2$x y"q"/<&>0123456789abcdef0123456789abcd'; // 48 characters

for (const [name, form] of Object.entries(ECHO_FORMS)) {
  test(`redacts the secret ${name}-encoded inside other text`, () => {
    const r = new Redactor();
    r.add(secret);
    const encoded = form(secret);
    const out = r.text(`before ${encoded} after`);
    assert.ok(!out.includes(encoded), out);
    assert.match(out, /\*\*\*/);
    // What survives of a base64 form is a few characters of padding-alignment, not the secret.
    assert.ok(out.length < encoded.length, out);
  });
}

test('redacts base64 of user:secret for any user name length (Basic auth)', () => {
  const r = new Redactor();
  r.add(secret);
  for (const user of ['a', 'ab', 'abc', 'shipgate']) {
    const basic = Buffer.from(`${user}:${secret}`).toString('base64');
    const out = r.text(`Authorization: Basic ${basic}`);
    assert.ok(out.length < 30 + user.length * 2, out);
  }
});

for (const kept of [47, 46, 30, 24, 12, 6]) {
  test(`an excerpt cut through the secret after ${kept} characters leaks none of them`, () => {
    const r = new Redactor();
    r.add(secret);
    const body = `${'x'.repeat(300 - kept)}${secret} trailing text`;
    const out = r.text(excerpt(body, 300));
    assert.ok(!out.includes(secret.slice(0, Math.min(kept, 4))), out);
    assert.match(out, /\*\*\*… \(/);
  });
}

test('a tail that starts inside the secret leaks none of its end', () => {
  const r = new Redactor();
  r.add(secret);
  for (const kept of [40, 20, 8]) {
    const out = r.text(`…${secret.slice(-kept)}\nnext line`);
    assert.equal(out, `…***\nnext line`);
  }
});

test('ordinary text sharing a short prefix with a secret stays readable', () => {
  const r = new Redactor();
  r.add('hunter2-and-a-long-tail');
  assert.equal(r.text('hunting season is open'), 'hunting season is open');
});

test('url(): userinfo password and credential query parameters become ***, the rest stays', () => {
  const r = new Redactor();
  const url = 'https://deploy:pa55w0rd@preview.example.com/app?x-vercel-protection-bypass=abcd1234efgh&page=2';
  r.addUrl(url);
  assert.equal(r.url(url), 'https://deploy:***@preview.example.com/app?x-vercel-protection-bypass=***&page=2');
  assert.equal(r.text(`GET ${url}`).includes('pa55w0rd'), false);
  assert.equal(r.text(Buffer.from('deploy:pa55w0rd').toString('base64')).includes('ZGVwbG95OnBhNTV3MHJk'), false);
});
