// The README's first command on a machine with nothing but npm: the system's and Playwright's browsers are
// hidden (SHIPGATE_BROWSER_SEARCH=bundled, SHIPGATE_BROWSER unset), so `shipgate demo` must run realtime and
// the browser login in the Chromium that `npm ci` brought, unpacked into an empty cache. Two runs started
// at the same moment on an empty cache must both pass (neither sees the other's half-written copy).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

const onlyBundled = (cache: string): NodeJS.ProcessEnv => ({
  SHIPGATE_BROWSER: '',
  SHIPGATE_BROWSER_SEARCH: 'bundled',
  SHIPGATE_CACHE_DIR: cache,
});
const skip = process.platform === 'linux' && process.arch === 'x64' ? false : 'the bundled Chromium is Linux x64 only';
const checksOf = (file: string) =>
  Object.fromEntries(
    JSON.parse(readFileSync(file, 'utf8'))
      .gates.flatMap((g: any) => g.checks)
      .map((c: any) => [c.id, c]),
  );

test(
  'shipgate demo passes realtime.sync and auth.browser-storage in the bundled Chromium, unpacked into an empty cache',
  { skip, timeout: 300_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-bundled-'));
    const cache = join(dir, 'cache');
    const r = await runCli(['demo', '--gates', 'probes,auth,realtime', '-r', `json=${dir}/run.json`], {
      env: onlyBundled(cache),
      timeoutMs: 240_000,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const checks = checksOf(`${dir}/run.json`);
    for (const id of ['realtime.browser', 'realtime.sync', 'auth.browser-storage'])
      assert.equal(checks[id].status, 'pass', `${id}: ${checks[id].message}`);
    assert.match(checks['realtime.browser'].message, /from the bundled Chromium/);
    assert.equal(checks['realtime.browser'].evidence.details.source, 'bundled');
    assert.match(checks['realtime.sync'].message, /· Chromium \d+\.\d+\.\d+\.\d+ \(bundled\)$/);
    assert.match(checks['auth.browser-storage'].evidence.details.browser, /^Chromium \d+\.\d+\.\d+\.\d+ \(bundled\)$/);
    assert.ok(
      String(checks['auth.browser-storage'].evidence.details.executable).startsWith(cache),
      'the browser ran from the cache folder',
    );
    // Unpacked once, into a folder named by the package version; no temporary folder left behind.
    assert.deepEqual(
      readdirSync(cache).filter((n) => !n.startsWith('chromium-')),
      [],
    );
  },
);

test('two shipgate demo runs started at once on an empty cache both pass', { skip, timeout: 400_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bundled-race-'));
  const cache = join(dir, 'cache');
  const run = (n: number) =>
    runCli(['demo', '--gates', 'probes,realtime', '-r', `json=${dir}/run-${n}.json`], {
      env: onlyBundled(cache),
      timeoutMs: 360_000,
    });
  const [a, b] = await Promise.all([run(1), run(2)]);
  assert.equal(a.code, 0, a.stdout + a.stderr);
  assert.equal(b.code, 0, b.stdout + b.stderr);
  for (const n of [1, 2]) {
    const checks = checksOf(`${dir}/run-${n}.json`);
    assert.equal(checks['realtime.sync'].status, 'pass');
    assert.equal(checks['realtime.browser'].evidence.details.source, 'bundled');
  }
  const entries = readdirSync(cache);
  assert.equal(entries.filter((n) => n.startsWith('chromium-')).length, 1, entries.join(', '));
  assert.deepEqual(
    entries.filter((n) => n.startsWith('.')),
    [],
    'the losing copy was removed',
  );
});

test(
  'a cache folder that cannot be written: realtime.browser errors naming the folder and the overrides',
  { skip, timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-bundled-ro-'));
    // A path under a regular file can never be created (a read-only mount is not something a test can make
    // portably, and root ignores permission bits).
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, '');
    const cache = join(file, 'cache');
    const r = await runCli(['demo', '--gates', 'probes,realtime', '-r', `json=${dir}/run.json`], {
      env: onlyBundled(cache),
      timeoutMs: 100_000,
    });
    assert.equal(r.code, 3, r.stdout + r.stderr);
    const message = checksOf(`${dir}/run.json`)['realtime.browser'].message;
    assert.ok(message.includes(`the bundled Chromium could not be unpacked (${cache}: `), message);
    assert.match(message, /set SHIPGATE_CACHE_DIR to a writable folder, or SHIPGATE_BROWSER to a Chromium you have/);
    assert.ok(!existsSync(cache));
  },
);
