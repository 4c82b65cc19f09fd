// `shipgate init <url>` against the running demo target, as a user runs it: the profile it writes is
// accepted by `shipgate validate` and passes `shipgate run`; the TODO-marked realtime section is commented
// out (and loads once uncommented); it refuses to overwrite without --force; an unreachable URL is exit 2.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { DEMO_PASSWORD, DEMO_USERNAME } from '../../src/demo/auth.js';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import { parseProfile } from '../../src/profile/load.js';
import { runCli } from '../helpers/cli.js';
import { closedPort } from '../helpers/servers.js';

const CREDENTIALS = { SHIPGATE_USERNAME: DEMO_USERNAME, SHIPGATE_PASSWORD: DEMO_PASSWORD };
/** No credentials in init's environment: it must not log in, and must still write a working profile. */
const NO_CREDENTIALS = { SHIPGATE_USERNAME: '', SHIPGATE_PASSWORD: '' };

let demo: DemoServer;
let dir: string;
before(async () => {
  demo = await startDemoServer();
  dir = mkdtempSync(join(tmpdir(), 'shipgate-init-'));
});
after(() => demo.close());

test('init writes a profile that validate accepts and run passes, with at most the TODO-marked gates absent', async () => {
  const out = join(dir, 'profiles', 'demo-init.yaml');
  const init = await runCli(['init', demo.url, '-o', out], { env: NO_CREDENTIALS });
  assert.equal(init.code, 0, init.stderr);
  const text = readFileSync(out, 'utf8');

  // The file: schema line first, credentials only as environment references, load never switched on.
  assert.match(text.split('\n')[0], /^# yaml-language-server: \$schema=.*schema\/profile\.schema\.json$/);
  assert.ok(
    existsSync(join(dir, 'profiles', text.split('\n')[0].split('$schema=')[1])),
    "the $schema reference resolves from the profile's folder",
  );
  assert.ok(!text.includes(DEMO_PASSWORD), 'the password is never written');
  assert.match(text, /password: "\$\{secret:SHIPGATE_PASSWORD:\?[^}]*\}"/);
  assert.match(text, /username: "\$\{SHIPGATE_USERNAME:\?[^}]*\}"/);
  const data = parse(text);
  assert.deepEqual(Object.keys(data.gates).sort(), ['auth', 'probes', 'security']);
  assert.equal(data.gates.probes.liveness.path, '/health');
  assert.equal(data.gates.probes.readiness.path, '/ready');
  assert.deepEqual(data.gates.probes.liveness.conditions, ['body.status == "ok"']);
  assert.deepEqual(data.gates.security.cors.allowedOrigins, []);
  assert.equal(data.gates.auth.login.path, '/api/auth/login');
  assert.deepEqual(
    [data.gates.auth.refresh.path, data.gates.auth.logout.path, data.gates.auth.protected.path],
    ['/api/auth/refresh', '/api/auth/logout', '/api/me'],
  );
  assert.equal(data.target.production, false);
  // What it could not finish is a commented-out section marked TODO; load only ever appears commented out.
  assert.match(
    text,
    /# TODO realtime: init found a Server-Sent Events stream at \/api\/live\/events \(opened by \/live\.js on the page \/live; it answered as an event stream\)/,
  );
  assert.match(text, /^ {2}# load:$/m);
  assert.doesNotMatch(text, /^ {2}(load|realtime|build):/m);
  assert.match(text, /jsonPath: accessToken +# TODO: where the login response carries the access token \(init did not log in/);

  // The summary: what was found, and the TODOs.
  assert.match(init.stdout, /✓ liveness +GET \/health → 200 application\/json/);
  assert.match(init.stdout, /✓ readiness +GET \/ready → 200 application\/json/);
  assert.match(init.stdout, /✓ headers +grade A\+/);
  assert.match(init.stdout, /✓ CORS +https:\/\/shipgate-init\.example refused on \//);
  assert.match(
    init.stdout,
    /✓ login +POST \/api\/auth\/login → 400; refresh \/api\/auth\/refresh; logout \/api\/auth\/logout; protected \/api\/me/,
  );
  assert.match(init.stdout, /✓ realtime +SSE \/api\/live\/events \(from \/live\.js on \/live\)/);
  assert.match(init.stdout, /TODO \(3\):\n {4}- security\.cors\.allowedOrigins/);
  assert.match(init.stdout, new RegExp(`wrote ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}; next:`));

  const validate = await runCli(['validate', out], { env: CREDENTIALS });
  assert.equal(validate.code, 0, validate.stderr);
  assert.match(validate.stdout, /valid profile "demo-init" → http:\/\/127\.0\.0\.1:\d+\/?; gates: probes, security, auth/);
  // Without the variables, validate names them.
  const unset = await runCli(['validate', out], { env: NO_CREDENTIALS });
  assert.equal(unset.code, 2);
  assert.match(unset.stderr, /\$\{SHIPGATE_USERNAME\} is not set: set SHIPGATE_USERNAME to the test account's username/);

  const run = await runCli(['run', out, '-r', `json=${join(dir, 'run.json')}`], { env: CREDENTIALS });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const report = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  assert.equal(report.verdict, 'pass');
  assert.deepEqual(
    report.gates.map((g: { id: string; status: string }) => `${g.id}=${g.status}`),
    ['probes=pass', 'security=pass', 'auth=pass'],
  );
  assert.ok(!readFileSync(join(dir, 'run.json'), 'utf8').includes(DEMO_PASSWORD));

  // The TODO-marked realtime section is a working start: uncommented, it loads as a realtime gate.
  const uncommented = text.replace(
    /^ {2}# (realtime:[\s\S]*?)\n {2}# \(Without/m,
    (_m, block: string) => `  ${block.replace(/\n {2}# /g, '\n  ')}\n  # (Without`,
  );
  const loaded = parseProfile(uncommented, out, CREDENTIALS);
  const realtime = loaded.profile.gates.realtime!;
  assert.equal(realtime.page, '/live');
  assert.deepEqual(realtime.action, [
    { kind: 'fill', selector: '#item-text', value: 'shipgate {marker}' },
    { kind: 'click', selector: '#add' },
  ]);
  assert.deepEqual(realtime.observe, { selector: '#items li', text: 'shipgate {marker}' });
});

test('with credentials in the environment, init logs in once to find the token and the refresh cookie', async () => {
  const out = join(dir, 'with-login.yaml');
  const init = await runCli(['init', demo.url, '-o', out], { env: CREDENTIALS });
  assert.equal(init.code, 0, init.stderr);
  const text = readFileSync(out, 'utf8');
  assert.match(text, /jsonPath: accessToken +# found when init logged in with SHIPGATE_USERNAME\/SHIPGATE_PASSWORD/);
  assert.match(text, /refreshCookie: \{ name: refresh_token \}/);
  assert.ok(!text.includes(DEMO_PASSWORD) && !(init.stdout + init.stderr).includes(DEMO_PASSWORD));
  assert.match(init.stdout, /token at accessToken/);
  assert.match(init.stdout, /TODO \(2\):/);
});

test('init refuses to overwrite an existing file without --force (exit 2), and overwrites with it', async () => {
  const out = join(dir, 'existing.yaml');
  writeFileSync(out, 'name: mine\n');
  const refused = await runCli(['init', demo.url, '-o', out], { env: NO_CREDENTIALS });
  assert.equal(refused.code, 2);
  assert.equal(
    refused.stderr.trim(),
    `shipgate: ${out} already exists; pass --force to overwrite it, or -o PATH to write somewhere else`,
  );
  assert.equal(readFileSync(out, 'utf8'), 'name: mine\n');
  const forced = await runCli(['init', demo.url, '-o', out, '--force'], { env: NO_CREDENTIALS });
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(out, 'utf8'), /^# yaml-language-server: /);
});

test('init without -o writes profiles/<name>.yaml under the current folder', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'shipgate-init-cwd-'));
  const init = await runCli(['init', demo.url, '-q'], { env: NO_CREDENTIALS, cwd });
  assert.equal(init.code, 0, init.stderr);
  assert.equal(init.stdout, '');
  assert.match(readFileSync(join(cwd, 'profiles', 'local.yaml'), 'utf8'), /^name: local$/m);
});

const usage: [string, string[], RegExp][] = [
  [
    'an unreachable target',
    [],
    /^shipgate: cannot reach http:\/\/127\.0\.0\.1:\d+: connection refused to 127\.0\.0\.1:\d+; is the deployment running\? No profile written\.$/,
  ],
  ['not a URL', ['staging.example'], /^shipgate: "staging\.example" is not a URL; give the deployment's address/],
  ['not http(s)', ['ftp://example.com'], /^shipgate: ftp:\/\/example\.com: expected an http\(s\) URL/],
  [
    'credentials in the URL',
    ['http://user:pw@127.0.0.1:1'],
    /^shipgate: http:\/\/127\.0\.0\.1:1: leave credentials out of the URL/,
  ],
];
for (const [what, args, expected] of usage) {
  test(`init with ${what}: exit 2 and one clear line, no file`, async () => {
    const out = join(dir, `usage-${what.replace(/\W+/g, '-')}.yaml`);
    const url = args[0] ?? `http://127.0.0.1:${await closedPort()}`;
    const r = await runCli(['init', url, '-o', out], { env: NO_CREDENTIALS });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('shipgate init:'))
        .join('\n'),
      expected,
    );
    assert.ok(!existsSync(out));
  });
}
