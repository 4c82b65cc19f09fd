// The auth gate through the CLI as a process: `shipgate demo --gates probes,auth` passes, each flaw
// exits 1 naming its check, and no credential or token ever reaches stdout, stderr or a report.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { DEMO_PASSWORD, REFRESH_COOKIE } from '../../src/demo/auth.js';
import { runCli, ROOT } from '../helpers/cli.js';
import { setCookiesOf, withProxy, type Recording } from '../helpers/proxy.js';
import { withDemo } from '../helpers/servers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'shipgate-auth-e2e-'));

test('shipgate demo --gates probes,auth passes (exit 0) with every auth check green', async () => {
  const r = await runCli(['demo', '--gates', 'probes,auth']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  for (const id of [
    'auth.login',
    'auth.cookie-flags',
    'auth.token-lifetime',
    'auth.protected-requires-token',
    'auth.rejects-alg-none',
    'auth.refresh-rotates',
    'auth.refresh-reuse-rejected',
    'auth.refresh-requires-cookie',
    'auth.no-store',
    'auth.refresh-token-not-in-body',
    'auth.logout-revokes',
    'auth.login-rate-limit',
  ]) {
    assert.match(r.stdout, new RegExp(`pass\\s+${id.replace('.', '\\.')} `), id);
  }
  // Needs Chromium: passes where there is one, otherwise skips saying why.
  assert.match(r.stdout, /pass\s+auth\.browser-storage |skip\s+auth\.browser-storage — no Chromium found/);
  assert.ok(!r.stdout.includes(DEMO_PASSWORD));
});

/** Every credential the gate could have seen: tokens and cookies in responses, and what it sent back. */
function secretsSeen(recording: Recording): Set<string> {
  const secrets = new Set<string>([DEMO_PASSWORD]);
  const jwts = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
  for (const { req, res } of recording.exchanges) {
    for (const m of res.body.matchAll(jwts)) secrets.add(m[0]);
    for (const line of setCookiesOf(res)) {
      const value = /^[^=]+=([^;]*)/.exec(line)?.[1];
      if (value) secrets.add(value);
    }
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (bearer && bearer.length > 20) secrets.add(bearer); // the genuine token and every forgery of it
    for (const part of String(req.headers.cookie ?? '').split(';')) {
      const [name, value] = part.trim().split('=');
      if (name === REFRESH_COOKIE && value) secrets.add(value);
    }
  }
  return secrets;
}

const runs: [string, number, RegExp][] = [
  ['', 0, /PASS/],
  ['auth-no-rotation', 1, /fail\s+auth\.refresh-rotates /],
  ['auth-reuse-allowed', 1, /fail\s+auth\.refresh-reuse-rejected /],
  ['auth-alg-none-accepted', 1, /fail\s+auth\.rejects-alg-none /],
  ['auth-me-no-auth', 1, /fail\s+auth\.protected-requires-token /],
  ['auth-long-lived-token', 1, /fail\s+auth\.token-lifetime /],
  // The refresh token also in the JSON body: reported, and still redacted everywhere.
  ['refresh-in-body', 1, /fail\s+auth\.refresh-token-not-in-body /],
];

for (const [flaw, exitCode, expected] of runs) {
  test(`no password or token leaks into any output or report (${flaw || 'green demo'}, exit ${exitCode})`, async () => {
    const dir = tmp();
    // The demo profile as shipped; the browser login only in the green run, to keep the suite fast.
    // Only the auth gate: the probes' latency budget has nothing to do with leaks.
    const doc = parseDocument(readFileSync(join(ROOT, 'profiles/demo.yaml'), 'utf8'));
    if (flaw) doc.deleteIn(['gates', 'auth', 'browser']);
    // The target is the in-process demo below, not the managed one the shipped profile starts.
    doc.deleteIn(['target', 'start']);
    const profile = join(dir, 'demo.yaml');
    writeFileSync(profile, doc.toString());
    await withDemo(flaw ? [flaw] : [], async (demo) => {
      await withProxy(demo.url, undefined, async (url, recording) => {
        const files = { junit: join(dir, 'junit.xml'), md: join(dir, 'summary.md'), json: join(dir, 'run.json') };
        const r = await runCli(
          [
            'run',
            profile,
            '--gates',
            'auth',
            '--verbose',
            '-r',
            `junit=${files.junit}`,
            '-r',
            `md=${files.md}`,
            '-r',
            `json=${files.json}`,
          ],
          {
            env: { SHIPGATE_DEMO_URL: url },
          },
        );
        assert.equal(r.code, exitCode, r.stdout + r.stderr);
        assert.match(r.stdout, expected);
        const secrets = secretsSeen(recording);
        const accessTokens = [...secrets].filter((s) => s.startsWith('eyJ'));
        assert.ok(accessTokens.length >= 4, `only ${accessTokens.length} JWTs were seen; the test would prove little`);
        assert.ok(secrets.size >= accessTokens.length + 3, 'refresh cookie values were seen too');
        const outputs: Record<string, string> = { stdout: r.stdout, stderr: r.stderr };
        for (const [k, f] of Object.entries(files)) outputs[k] = readFileSync(f, 'utf8');
        const json = JSON.parse(outputs.json);
        assert.equal(json.gates.find((g: { id: string }) => g.id === 'auth').checks.length, 13);
        for (const [where, text] of Object.entries(outputs)) {
          assert.ok(text.length > 0, `${where} is empty`);
          for (const secret of secrets)
            assert.ok(
              !text.includes(secret),
              `${where} contains a secret (${secret === DEMO_PASSWORD ? 'the demo password' : `a token of ${secret.length} characters`})`,
            );
        }
      });
    });
  });
}
