// The security section of a profile: defaults, and mistakes reported with file:line:column.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProfileError } from '../../src/profile/errors.js';
import { parseProfile } from '../../src/profile/load.js';

const base = (section: string) => `name: t
target:
  baseUrl: http://127.0.0.1:1
gates:
  security:
${section}`;

test('an empty security section gets working defaults; an absent one stays off', () => {
  const { profile } = parseProfile(base('    {}\n').replace('  security:\n    {}', '  security: {}'), 't.yaml', {});
  const s = profile.gates.security as any;
  assert.deepEqual(s.paths, ['/', '/api']);
  assert.equal(s.minGrade, 'B');
  assert.equal(s.concurrency, 32);
  assert.deepEqual(s.cors.preflight, { method: 'POST', headers: ['content-type'] });
  assert.equal(s.hsts.required, undefined);
  assert.equal(s.errors.requestIdHeader, 'X-Request-Id');
  const off = parseProfile('name: t\ntarget:\n  baseUrl: http://127.0.0.1:1\ngates:\n  probes: {}\n', 't.yaml', {});
  assert.equal((off.profile.gates as any).security, undefined);
});

const cases: { name: string; section: string; expect: RegExp }[] = [
  {
    name: 'origin with a trailing slash',
    section: '    cors:\n      allowedOrigins: [https://app.example.com/]\n',
    expect:
      /t\.yaml:7:24 gates\.security\.cors\.allowedOrigins\[0\]: expected a bare origin .*write "https:\/\/app\.example\.com"/,
  },
  {
    name: 'origin with a path',
    section: '    cors:\n      allowedOrigins: [https://app.example.com/app]\n',
    expect: /allowedOrigins\[0\]: expected a bare origin/,
  },
  {
    name: 'the null origin',
    section: '    cors:\n      allowedOrigins: ["null"]\n',
    expect: /allowedOrigins\[0\]: the "null" origin must never be allowed/,
  },
  {
    name: 'not a URL',
    section: '    cors:\n      allowedOrigins: [app.example.com]\n',
    expect: /allowedOrigins\[0\]: expected an origin like "https:\/\/app\.example\.com", got "app\.example\.com"/,
  },
  {
    name: 'unknown grade',
    section: '    minGrade: E\n',
    expect: /t\.yaml:6:15 gates\.security\.minGrade: expected one of "A\+", "A", "A-", .*"F", got "E"/,
  },
  {
    name: 'path without slash',
    section: '    paths: [health]\n',
    expect: /gates\.security\.paths\[0\]: expected a path starting with "\/"/,
  },
  {
    name: 'lower-case method',
    section: '    cors:\n      preflight: { method: put }\n',
    expect: /gates\.security\.cors\.preflight\.method: expected an upper-case HTTP method/,
  },
  {
    name: 'typo with suggestion',
    section: '    cros: {}\n',
    expect:
      /t\.yaml:6:5 gates\.security\.cros: unknown key \(expected one of: paths, concurrency, minGrade, cors, hsts, cookies, errors, exposure, tls, httpsRedirect\)/,
  },
];

for (const c of cases) {
  test(`security profile error: ${c.name}`, () => {
    assert.throws(
      () => parseProfile(base(c.section), 't.yaml', {}),
      (err: unknown) => {
        assert.ok(err instanceof ProfileError, String(err));
        assert.match(err.message.split('\n')[0], c.expect);
        return true;
      },
    );
  });
}
