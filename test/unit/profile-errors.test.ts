// Table-driven: every bad profile gives file:line:column, the field and what was expected.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProfileError } from '../../src/profile/errors.js';
import { parseProfile } from '../../src/profile/load.js';

const GOOD = `name: t
target:
  baseUrl: http://127.0.0.1:1
gates:
  probes: {}
`;

const cases: { name: string; yaml: string; expect: string | RegExp; env?: Record<string, string> }[] = [
  {
    name: 'unknown top-level key with suggestion',
    yaml: GOOD + 'gatez: {}\n',
    expect: 't.yaml:6:1 gatez: unknown key; did you mean "gates"?',
  },
  {
    name: 'unknown nested key',
    yaml: GOOD.replace('probes: {}', 'probes:\n    samplez: 3'),
    expect: 't.yaml:6:5 gates.probes.samplez: unknown key; did you mean "samples"?',
  },
  {
    name: 'unknown gate',
    yaml: GOOD + '  bogus: {}\n',
    expect: /t\.yaml:6:3 gates\.bogus: unknown key \(expected one of: .*probes/,
  },
  {
    name: 'bad duration',
    yaml: GOOD.replace('probes: {}', 'probes:\n    interval: fast'),
    expect: 't.yaml:6:15 gates.probes.interval: expected a duration like "500ms", "2s", "5m" or "1m30s", got "fast"',
  },
  {
    name: 'wrong type',
    yaml: GOOD.replace('probes: {}', 'probes:\n    samples: many'),
    expect: 't.yaml:6:14 gates.probes.samples: expected a number, got "many"',
  },
  {
    name: 'bad url',
    yaml: GOOD.replace('http://127.0.0.1:1', 'not a url'),
    expect: /t\.yaml:3:12 target\.baseUrl: expected an absolute http\(s\) URL/,
  },
  { name: 'missing required field', yaml: 'name: t\ngates: {}\n', expect: /t\.yaml:1:1 target: is required/ },
  { name: 'yaml syntax error', yaml: 'name: t\ntarget: [\n', expect: /^t\.yaml:3:1: YAML syntax error/ },
  { name: 'duplicate key', yaml: 'name: t\nname: u\n', expect: /^t\.yaml:2:1: YAML error: duplicate key/ },
  {
    name: 'empty file',
    yaml: '',
    expect: 't.yaml:1:1: the profile is empty; expected a mapping with at least "name", "target" and "gates"',
  },
  { name: 'scalar document', yaml: 'hello\n', expect: /t\.yaml:1:1: expected a mapping/ },
  {
    name: 'undefined variable',
    yaml: GOOD.replace('http://127.0.0.1:1', 'http://${NOPE_HOST}'),
    expect: /t\.yaml:3:19: environment variable NOPE_HOST is not set/,
  },
  {
    name: 'bad condition',
    yaml: GOOD.replace('probes: {}', 'probes:\n    liveness:\n      conditions: ["body.status is ok"]'),
    expect: /t\.yaml:7:20 gates\.probes\.liveness\.conditions\[0\]: expected a condition like/,
  },
  {
    name: 'status out of range',
    yaml: GOOD.replace('probes: {}', 'probes:\n    readiness:\n      status: 700'),
    expect: 't.yaml:7:15 gates.probes.readiness.status: expected a number <= 599, got number 700',
  },
];

for (const c of cases) {
  test(`profile error: ${c.name}`, () => {
    try {
      parseProfile(c.yaml, 't.yaml', c.env ?? {});
    } catch (err) {
      assert.ok(err instanceof ProfileError, `expected a ProfileError, got ${err}`);
      const first = err.message.split('\n')[0];
      if (typeof c.expect === 'string') assert.equal(first, c.expect);
      else assert.match(first, c.expect);
      assert.doesNotMatch(err.message, /\n\s+at /);
      return;
    }
    assert.fail('the profile was accepted');
  });
}

test('a good profile gets its defaults', () => {
  const { profile } = parseProfile(GOOD, 't.yaml', {});
  const probes = profile.gates.probes as any;
  assert.equal(probes.liveness.path, '/health');
  assert.equal(probes.readiness.path, '/ready');
  assert.equal(probes.samples, 3);
  assert.equal(profile.timeouts.request, 10_000);
});

test('secrets: ${secret:…} and secret-looking keys are collected for redaction', () => {
  const yaml = GOOD.replace(
    'target:\n',
    'target:\n  headers:\n    Authorization: Bearer ${secret:API_TOKEN}\n    X-Trace: ${TRACE}\n',
  );
  const { secrets } = parseProfile(yaml, 't.yaml', { API_TOKEN: 'tok-123456', TRACE: 'trace-on' });
  assert.ok(secrets.includes('tok-123456'));
  assert.ok(secrets.includes('Bearer tok-123456'));
  assert.ok(!secrets.includes('trace-on'));
});
