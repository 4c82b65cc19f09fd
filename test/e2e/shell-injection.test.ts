// Interpolated values never become shell syntax (issue 19 item 5): a hostile BRANCH in a build step and in
// target.start.command (test/fixtures/profiles/shell-injection.yaml) is printed as data, never run.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { closedPort } from '../helpers/servers.js';

const PROFILE = fileURLToPath(new URL('../fixtures/profiles/shell-injection.yaml', import.meta.url));
const APP = fileURLToPath(new URL('../fixtures/apps/server.mjs', import.meta.url));

const hostile = [
  'x"; touch PWNED; echo "',
  "x'; touch PWNED_SQ; echo '",
  '$(touch PWNED_SUBST)`touch PWNED_TICK`',
  'x && touch PWNED_AND || touch PWNED_OR',
];

for (const branch of hostile) {
  test(
    `BRANCH=${JSON.stringify(branch)} is data in build.steps[].run and target.start.command, never shell syntax`,
    { timeout: 60_000 },
    async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'shipgate-inject-'));
      const port = await closedPort();
      const token = 'tok-3c1f0d2e9a8b7c6d';
      const r = await runCli(['run', PROFILE, '-r', `json=${cwd}/out/run.json`], {
        cwd,
        env: {
          BRANCH: branch,
          SG_PORT: String(port),
          SG_NODE: process.execPath,
          SG_APP: APP,
          SG_TOKEN: token,
          PORT: String(port),
        },
      });
      assert.deepEqual(
        readdirSync(cwd).filter((f) => f.startsWith('PWNED')),
        [],
        'a value ran as a command',
      );
      assert.ok(!existsSync(join(cwd, 'PWNED')));
      const json = readFileSync(`${cwd}/out/run.json`, 'utf8');
      const report = JSON.parse(json);
      const checks = report.gates.flatMap((g: any) => g.checks);
      const deploy = checks.find((c: any) => c.id === 'build.steps' && c.title.includes('deploy'));
      assert.equal(deploy.status, 'pass', JSON.stringify(deploy));
      // The value arrives whole inside double quotes, and the secret is still redacted.
      assert.ok(deploy.evidence.body.includes(`deploying ${branch}`), deploy.evidence.body);
      assert.ok(deploy.evidence.body.includes('secret ***'), deploy.evidence.body);
      assert.ok(!json.includes(token));
      const start = checks.find((c: any) => c.id === 'build.start');
      assert.equal(start.status, 'pass', JSON.stringify(start));
      assert.ok(start.evidence.body.includes(`starting ${branch}`), start.evidence.body);
      assert.equal(checks.find((c: any) => c.id === 'probes.liveness').status, 'pass');
      assert.equal(r.code === 0 || r.code === 1, true, r.stderr);
    },
  );
}
