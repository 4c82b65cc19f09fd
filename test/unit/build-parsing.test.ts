// The build gate's little parsers: globs, sizes, and what looks like a real secret in .env.example.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { globToRegExp } from '../../checks/build/glob.js';
import { entropy, findSecrets, secretReason } from '../../checks/build/env-example.js';
import { formatSize, parseSize } from '../../checks/build/schema.js';
import { parseProfile } from '../../src/profile/load.js';

const globs: [string, string, string[], string[]][] = [
  // pattern, base, matching (relative to base), not matching
  ['dist/**/*.js', 'dist', ['main.js', 'a/b/c.js'], ['main.js.map', 'a/main.ts']],
  ['dist/*.js', 'dist', ['main.js'], ['a/main.js']],
  ['build/index.html', 'build', ['index.html'], ['index.htm', 'x/index.html']],
  ['/abs/out/{a,b}.css', '/abs/out', ['a.css', 'b.css'], ['c.css']],
  ['**/*.min.js', '.', ['x.min.js', 'a/b/x.min.js'], ['x.js']],
  ['assets/img-?.png', 'assets', ['img-1.png'], ['img-12.png']],
  ['out/[ab]*.txt', 'out', ['a1.txt', 'b.txt'], ['c.txt']],
];
for (const [pattern, base, yes, no] of globs) {
  test(`glob ${pattern}`, () => {
    const g = globToRegExp(pattern);
    assert.equal(g.base, base);
    for (const p of yes) assert.ok(g.regex.test(p), `${pattern} should match ${p}`);
    for (const p of no) assert.ok(!g.regex.test(p), `${pattern} should not match ${p}`);
  });
}

test('sizes: kB is 1000 bytes, KiB 1024; numbers are bytes', () => {
  const cases: [string | number, number | undefined][] = [
    ['500kB', 500_000],
    ['1.5 MB', 1_500_000],
    ['2MiB', 2 * 1024 * 1024],
    ['300', 300],
    [4096, 4096],
    ['12 KB', 12_000],
    ['lots', undefined],
    ['5 parsecs', undefined],
  ];
  for (const [input, bytes] of cases) assert.equal(parseSize(input), bytes, String(input));
  assert.equal(formatSize(512_000), '512.0 kB');
});

const secrets: [string, RegExp | undefined][] = [
  ['change-me', undefined],
  ['<your api key>', undefined],
  ['3000', undefined],
  ['http://localhost:3000/callback', undefined],
  ['postgres://user:password@localhost:5432/app', undefined],
  ['postgres://app:Zq8vL2mW9xR4@db.internal:5432/app', /URL with an embedded password/],
  ['ghp_R4nd0mT0k3nV4lu3Th4tL00ksR34l1234567', /GitHub token/],
  ['AKIAIOSFODNN7EXAMPL3', /AWS access key/],
  ['sk_live_51HxYzAbCdEfGhIjKlMnOp', /Stripe live key/],
  ['xoxb-123456789012-abcdefghijkl', /Slack token/],
  ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', /JSON Web Token/],
  ['9fQ2xL7vKp3Zr8TwYb6NcD1mHs4Ja0Ue', /random-looking string/],
  ['4f9a2c7e1b8d3f6a0c5e9b2d7f1a4c8e', /hex string/],
  ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', undefined],
  ['xxxxxxxxxxxxxxxxxxxxxxxx', undefined],
  ['my-app-production-database-name', undefined],
];
for (const [value, why] of secrets) {
  test(`secret detection: ${value.slice(0, 40)} → ${why ?? 'placeholder'}`, () => {
    const got = secretReason(value);
    if (why) assert.match(got ?? '(none)', why);
    else assert.equal(got, undefined);
  });
}

test('findSecrets reads KEY=VALUE lines, quotes, export, comments, and private keys', () => {
  const found = findSecrets(
    [
      '# comment ghp_R4nd0mT0k3nV4lu3Th4tL00ksR34l1234567',
      'export A="ghp_R4nd0mT0k3nV4lu3Th4tL00ksR34l1234567"',
      "B='change-me'",
      'C=abc # trailing',
      'KEY="-----BEGIN RSA PRIVATE KEY-----',
      'MIIE...',
      '-----END RSA PRIVATE KEY-----"',
    ].join('\n'),
  );
  assert.deepEqual(
    found.map((f) => `${f.line}:${f.key}`),
    ['2:A', '5:KEY'],
  );
  assert.ok(entropy('abcd') === 2);
});

const badBuild: [string, string, RegExp][] = [
  [
    'a bad step timeout',
    'steps:\n      - name: x\n        run: y\n        timeout: forever',
    /t\.yaml:9:18 gates\.build\.steps\[0\]\.timeout: expected a duration/,
  ],
  ['a step without a name', 'steps:\n      - run: y', /gates\.build\.steps\[0\]\.name: is required/],
  [
    'a bad size budget',
    'artifacts:\n      - path: dist/*.js\n        maxSize: big',
    /gates\.build\.artifacts\[0\]\.maxSize: expected a size like "500kB"/,
  ],
  ['a broken glob', 'artifacts:\n      - path: "dist/[a.js"', /gates\.build\.artifacts\[0\]\.path: unclosed "\[" in glob/],
  [
    'an empty requiredEnv',
    'failFast:\n      requiredEnv: []',
    /gates\.build\.failFast\.requiredEnv: name at least one required environment variable/,
  ],
  [
    'a bad variable name',
    'failFast:\n      requiredEnv: [not a name]',
    /gates\.build\.failFast\.requiredEnv\[0\]: expected an environment variable name/,
  ],
  [
    'a shutdown path without /',
    'gracefulShutdown:\n      path: slow',
    /gates\.build\.gracefulShutdown\.path: expected a path starting with "\/"/,
  ],
  ['a misspelt key', 'stepz: []', /gates\.build\.stepz: unknown key; did you mean "steps"\?/],
];
for (const [name, section, expected] of badBuild) {
  test(`profile error in gates.build: ${name}`, () => {
    assert.throws(
      () => parseProfile(`name: t\ntarget:\n  baseUrl: http://127.0.0.1:1\ngates:\n  build:\n    ${section}\n`, 't.yaml', {}),
      (err: Error) => expected.test(err.message) || assert.fail(err.message),
    );
  });
}
