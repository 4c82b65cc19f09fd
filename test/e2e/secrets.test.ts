// No secret from the profile (credentials, a header token, the target's session secret) and no token
// obtained during the run appears in stdout, stderr or any file shipgate writes — every gate, green and red.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/paths.js';
import { isKnownCheckId } from '../../src/profile/extras.js';
import { ROOT, runCli, fileReports } from '../helpers/cli.js';
import { closedPort } from '../helpers/servers.js';

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}

for (const flaws of ['', 'auth-reuse-allowed,cors-reflect-origin,stack-trace-leak,auth-me-no-auth']) {
  test(`secrets never leak: every gate against the demo${flaws ? ` with ${flaws}` : ''}`, { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-leak-'));
    const secrets = {
      password: `pw-${randomBytes(9).toString('hex')}`,
      apiKey: `key-${randomBytes(9).toString('hex')}`,
      session: randomBytes(24).toString('base64url'),
    };
    // The demo profile plus a secret header sent with every request.
    const profile = join(dir, 'demo-with-secrets.yaml');
    writeFileSync(
      profile,
      readFileSync(join(ROOT, 'profiles/demo.yaml'), 'utf8').replace(
        /^  baseUrl: (.*)$/m,
        '  baseUrl: $1\n  headers:\n    X-Api-Key: ${secret:SHIPGATE_TEST_API_KEY}',
      ),
    );
    const port = await closedPort();
    const env = {
      SHIPGATE_DEMO_URL: `http://127.0.0.1:${port}`,
      SHIPGATE_DEMO_PORT: String(port),
      SHIPGATE_DEMO_FLAWS: flaws,
      SHIPGATE_DEMO_ENTRY: join(packageRoot, 'dist/src/demo/main.js'),
      SHIPGATE_DEMO_ROOT: packageRoot,
      SHIPGATE_NODE: process.execPath,
      SHIPGATE_DEMO_PASSWORD: secrets.password,
      SHIPGATE_TEST_API_KEY: secrets.apiKey,
      DEMO_SESSION_SECRET: secrets.session,
    };
    const out = join(dir, 'out');
    const r = await runCli(['run', profile, '--verbose', ...fileReports(out)], { env, timeoutMs: 220_000 });
    assert.equal(r.code, flaws ? 1 : 0, r.stdout + r.stderr);
    const json = JSON.parse(readFileSync(`${out}/run.json`, 'utf8'));
    assert.deepEqual(
      json.gates.map((g: any) => g.id),
      ['build', 'probes', 'security', 'auth', 'realtime', 'load'],
    );
    const texts: [string, string][] = [
      ['stdout', r.stdout],
      ['stderr', r.stderr],
      ...filesUnder(out)
        .filter((f) => !f.endsWith('.png'))
        .map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
    ];
    for (const [where, text] of texts) {
      for (const [name, value] of Object.entries(secrets)) assert.ok(!text.includes(value), `${name} leaked into ${where}`);
      assert.doesNotMatch(text, JWT, `a JWT leaked into ${where}`);
      assert.doesNotMatch(text, /refresh_token=(?!\*\*\*|;|$)[A-Za-z0-9_-]{8,}/, `a refresh token leaked into ${where}`);
    }
    // Every check id the run produced is in the catalogue (docs/checks.md), or a runner-level id.
    const ids = json.gates.flatMap((g: any) => g.checks.map((c: any) => c.id));
    assert.deepEqual(
      ids.filter((id: string) => !isKnownCheckId(id) && !/\.(internal|deadline)$/.test(id)),
      [],
    );
    // The redaction is visible, not silent: the header shows as ***.
    assert.match(readFileSync(`${out}/run.json`, 'utf8'), /\*\*\*/);
  });
}
