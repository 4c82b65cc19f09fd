// Suites select gates; waivers accept a failure until a date, visibly; an expired one fails the run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProfileError } from '../../src/profile/errors.js';
import { parseProfile } from '../../src/profile/load.js';
import { applyWaivers } from '../../src/runner/waivers.js';
import { check, runYaml } from '../helpers/run.js';
import { withDemo } from '../helpers/servers.js';

const profile = (url: string, extra: string) =>
  `name: t\ntarget:\n  baseUrl: ${url}\ngates:\n  probes:\n    samples: 1\n${extra}`;

test('a waived failing check leaves the run green and shows as waived with its reason', async () => {
  await withDemo(['ready-fails'], async (demo) => {
    const r = await runYaml(
      profile(
        demo.url,
        'waivers:\n  - check: probes.readiness\n    reason: the database migration finishes next sprint\n    until: 2099-12-31\n    owner: team-data\n',
      ),
    );
    const c = check(r, 'probes.readiness');
    assert.equal(c.status, 'waived');
    assert.deepEqual(c.waiver, {
      reason: 'the database migration finishes next sprint',
      until: '2099-12-31',
      owner: 'team-data',
      originalStatus: 'fail',
    });
    assert.equal(r.verdict, 'pass');
  });
});

test('an expired waiver fails the run with a message naming it', async () => {
  await withDemo(['ready-fails'], async (demo) => {
    const r = await runYaml(
      profile(
        demo.url,
        'waivers:\n  - check: probes.readiness\n    reason: the database migration finishes next sprint\n    until: 2020-01-31\n    owner: team-data\n',
      ),
    );
    assert.equal(check(r, 'probes.readiness').status, 'fail');
    const expired = check(r, 'waivers.expired');
    assert.equal(expired.status, 'fail');
    assert.equal(
      expired.message,
      'the waiver for probes.readiness (owner team-data) expired on 2020-01-31: "the database migration finishes next sprint"',
    );
    assert.equal(r.verdict, 'fail');
  });
});

test('a waiver is valid through its until day', () => {
  const result: any = {
    verdict: 'fail',
    failOn: 'fail',
    gates: [
      {
        id: 'probes',
        title: 'P',
        status: 'fail',
        durationMs: 0,
        checks: [{ id: 'probes.latency', title: 't', status: 'fail', severity: 'high', message: 'm', durationMs: 0 }],
      },
    ],
  };
  const w = [{ check: 'probes.latency', reason: 'accepted for now', until: '2026-03-01' }];
  assert.equal(applyWaivers(result, w, new Date('2026-03-01T23:59:00Z')).verdict, 'pass');
  assert.equal(applyWaivers(result, w, new Date('2026-03-02T00:00:01Z')).verdict, 'fail');
});

const bad: [string, string, RegExp][] = [
  [
    'unknown check id',
    'waivers:\n  - check: probes.readyness\n    reason: because of reasons\n    until: 2099-01-01\n',
    /t\.yaml:8:12 waivers\[0\]\.check: no check has the id "probes\.readyness"; did you mean "probes\.readiness"\?/,
  ],
  [
    'bad date',
    'waivers:\n  - check: probes.readiness\n    reason: because of reasons\n    until: next week\n',
    /t\.yaml:10:12 waivers\[0\]\.until: expected a date like 2027-01-31/,
  ],
  [
    'no reason',
    'waivers:\n  - check: probes.readiness\n    reason: ok\n    until: 2099-01-01\n',
    /waivers\[0\]\.reason: say why in at least 10 characters/,
  ],
  [
    'suite names an unknown gate',
    'suites:\n  smoke: [probes, securty]\n',
    /t\.yaml:8:19 suites\.smoke\[1\]: unknown gate "securty"/,
  ],
];
for (const [what, extra, expected] of bad) {
  test(`profile error: ${what}`, () => {
    assert.throws(
      () => parseProfile(profile('http://127.0.0.1:1', extra), 't.yaml', {}),
      (e: unknown) => e instanceof ProfileError && expected.test(e.message),
    );
  });
}

test("--suite runs only the suite's gates; an unknown suite is a usage error", async () => {
  await withDemo([], async (demo) => {
    const yaml = profile(demo.url, 'suites:\n  smoke: [probes]\n  release: all\n');
    const r = await runYaml(yaml, { suite: 'smoke' });
    assert.deepEqual(
      r.gates.map((g) => g.id),
      ['probes'],
    );
    await assert.rejects(runYaml(yaml, { suite: 'nightly' }), /no suite "nightly" in the profile \(suites: smoke, release\)/);
  });
});
