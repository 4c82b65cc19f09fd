// `shipgate doctor`: ✓/✗ lines with a one-line fix, exit 0 when everything holds and 1 otherwise, --json.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBrowser } from '../../src/browser/finder.js';
import { runCli } from '../helpers/cli.js';
import { closedPort, withDemo } from '../helpers/servers.js';
import { startTlsTarget } from '../helpers/tls-target.js';
import { ThrowawayCa } from '../../src/demo/throwaway-ca.js';

const found = await findBrowser();
const noBrowser = found.ok ? false : found.message;
const dir = mkdtempSync(join(tmpdir(), 'shipgate-doctor-'));
const profileFor = (url: string, extra = '', gates = '') => {
  const file = join(dir, `p-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `name: t\ntarget:\n  baseUrl: ${url}\n${extra}gates:\n  probes:\n    liveness: { path: /health }\n${gates}`,
  );
  return file;
};

test(
  'doctor alone: Node.js and the browser it would use, launched, with version and source',
  { skip: noBrowser, timeout: 120_000 },
  async () => {
    const r = await runCli(['doctor'], { timeoutMs: 100_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^✓ Node\.js v\d+\.\d+\.\d+ \(shipgate needs >=20\.19\)$/m);
    assert.match(r.stdout, /^✓ Chromium \d+\.\d+\.\d+\.\d+ from .+ \(.+\) launches in \S+$/m);
  },
);

const REALTIME = (browser: string) =>
  `  realtime:\n    page: /live\n    browser: ${browser}\n    action: [{ fill: '#t', value: '{marker}' }]\n    observe: { selector: li, text: '{marker}' }\n`;

test('doctor --json with a profile whose target answers: every finding ok', { skip: noBrowser, timeout: 120_000 }, async () => {
  await withDemo([], async (demo) => {
    const r = await runCli(['doctor', profileFor(demo.url, '', found.ok ? REALTIME(found.path) : ''), '--json'], {
      timeoutMs: 100_000,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.ok, true);
    assert.deepEqual(
      out.checks.map((c: any) => [c.id, c.ok]),
      [
        ['node', true],
        ['profile', true],
        ['host', true],
        ['base-url', true],
        ['browser', true],
      ],
    );
    assert.equal(out.checks.find((c: any) => c.id === 'browser').details.source, 'profile');
  });
});

test('doctor with a profile: the browser its gates drive (their manifests say), or none', { timeout: 120_000 }, async () => {
  const env = { SHIPGATE_BROWSER: '' };
  const url = 'http://127.0.0.1:1';
  const missing = await runCli(['doctor', profileFor(url, '', REALTIME('/no/such/chromium')), '--json'], { env });
  assert.equal(missing.code, 1, missing.stdout + missing.stderr);
  const browser = JSON.parse(missing.stdout).checks.find((c: any) => c.id === 'browser');
  assert.equal(browser.ok, false);
  assert.match(browser.message, /^no Chromium at \/no\/such\/chromium \(gates\.realtime\.browser\)/);

  const none = await runCli(['doctor', profileFor(url), '--json'], { env });
  const notNeeded = JSON.parse(none.stdout).checks.find((c: any) => c.id === 'browser');
  assert.deepEqual(
    [notNeeded.ok, notNeeded.message],
    [true, 'no gate of this profile drives a browser: none needed, none launched'],
  );
});

test('doctor against a profile whose target is down exits 1 naming the base URL, with a fix', { timeout: 120_000 }, async () => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  const r = await runCli(['doctor', profileFor(url)], { timeoutMs: 100_000 });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    new RegExp(`^✗ ${url.replace(/[.]/g, '\\.')}/ does not answer: connection refused to 127\\.0\\.0\\.1:\\d+$`, 'm'),
  );
  assert.match(r.stdout, /^ {2}fix: start the deployment \(or target\.start in the profile\), or correct target\.baseUrl$/m);
});

test(
  'doctor: an invalid profile, a host that does not resolve and a managed command that does not exist are each ✗',
  { timeout: 120_000 },
  async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: t\ntarget: {}\n');
    const invalid = await runCli(['doctor', bad, '--json'], { timeoutMs: 100_000 });
    assert.equal(invalid.code, 1);
    assert.match(JSON.parse(invalid.stdout).checks.find((c: any) => c.id === 'profile').message, /is not a valid profile/);

    const unresolvable = await runCli(['doctor', profileFor('http://no-such-host.invalid'), '--json'], { timeoutMs: 100_000 });
    assert.equal(unresolvable.code, 1);
    const host = JSON.parse(unresolvable.stdout).checks.find((c: any) => c.id === 'host');
    assert.equal(host.ok, false);
    assert.match(host.message, /^no-such-host\.invalid does not resolve/);

    const managed = await runCli(
      ['doctor', profileFor('http://127.0.0.1:1', '  start:\n    command: no-such-program-xyz --port 1\n'), '--json'],
      { timeoutMs: 100_000 },
    );
    assert.equal(managed.code, 1);
    const start = JSON.parse(managed.stdout).checks.find((c: any) => c.id === 'start-command');
    assert.deepEqual([start.ok, start.message], [false, 'target.start.command: no-such-program-xyz is not on PATH']);
  },
);

test(
  "doctor against https through the run's trust: with target.tls.ca the certificate is trusted; without it, ✗ in the words every client uses, with a fix",
  { timeout: 120_000 },
  async () => {
    const ca = ThrowawayCa.create();
    const t = await startTlsTarget(ca.issue({ hosts: ['127.0.0.1'] }));
    try {
      const trusted = await runCli(['doctor', profileFor(t.url, `  tls: { ca: ${JSON.stringify(ca.certPath)} }\n`), '--json'], {
        timeoutMs: 100_000,
        env: { NODE_EXTRA_CA_CERTS: '' },
      });
      const checks = JSON.parse(trusted.stdout).checks;
      assert.deepEqual(
        checks.filter((c: any) => c.id === 'base-url' || c.id === 'tls').map((c: any) => [c.id, c.ok, c.message]),
        [
          ['base-url', true, `${t.url}/ answers (HTTP 200)`],
          ['tls', true, `127.0.0.1:${t.port} presents a certificate the run trusts (system roots and target.tls.ca)`],
        ],
      );
      const r = await runCli(['doctor', profileFor(t.url), '--json'], { timeoutMs: 100_000, env: { NODE_EXTRA_CA_CERTS: '' } });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const tls = JSON.parse(r.stdout).checks.find((c: any) => c.id === 'tls');
      assert.equal(tls.ok, false);
      assert.match(tls.message, /^TLS handshake with 127\.0\.0\.1:\d+ failed: unable to verify the first certificate$/);
      assert.match(tls.fix, /target\.tls\.ca/);
      assert.deepEqual(t.requests.length, 1, 'only the trusted run reached the app');
    } finally {
      await t.close();
      ca.remove();
    }
  },
);
