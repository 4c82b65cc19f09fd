// The `github` reporter (issue 18 item 6): under GitHub Actions an annotation per failing check at the
// profile line of its gate, a group per gate, every value encoded by GitHub's workflow-command rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderGithub } from '../../src/report/github.js';
import { runCli } from '../helpers/cli.js';
import { runResultOf } from '../helpers/run-result.js';

test('GITHUB_ACTIONS=true shipgate demo --flaws hsts-missing prints an ::error for security.headers.hsts at the profile line', async () => {
  const r = await runCli(['demo', '--gates', 'probes,security', '--flaws', 'hsts-missing'], { env: { GITHUB_ACTIONS: 'true' } });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^::error file=profiles\/demo\.yaml,line=\d+,title=security\.headers\.hsts::FAIL: /m);
  assert.match(r.stdout, /^::group::Security: CORS, headers, cookies, errors \(security\): fail$/m);
  assert.match(r.stdout, /^::endgroup::$/m);
});

test('-r github=off turns it off under GitHub Actions; outside it is off unless asked for', async () => {
  const off = await runCli(['demo', '--gates', 'probes', '-r', 'github=off'], { env: { GITHUB_ACTIONS: 'true' } });
  assert.doesNotMatch(off.stdout, /^::group::/m);
  const outside = await runCli(['demo', '--gates', 'probes'], { env: { GITHUB_ACTIONS: '' } });
  assert.doesNotMatch(outside.stdout, /^::group::/m);
  const forced = await runCli(['demo', '--gates', 'probes', '-r', 'github=-'], { env: { GITHUB_ACTIONS: '' } });
  assert.match(forced.stdout, /^::group::/m);
});

test('messages and properties are encoded so a target cannot end the command or forge another', () => {
  const result = runResultOf(
    [
      {
        id: 'security',
        title: 'Security',
        status: 'fail',
        durationMs: 1,
        source: { file: 'dir,x/p:1.yaml', line: 9 },
        checks: [
          {
            id: 'security.x',
            title: 'X',
            status: 'fail',
            severity: 'high',
            message: '100% bad\r\n::error::forged\u001b[2K',
            durationMs: 0,
          },
        ],
      },
    ],
    { verdict: 'fail' },
  );
  const out = renderGithub(result);
  assert.match(out, /^::error file=dir%2Cx\/p%3A1\.yaml,line=9,title=security\.x::FAIL: 100%25 bad%0A::error::forged␛\[2K$/m);
  assert.equal(out.match(/^::error/gm)?.length, 1, 'no forged annotation line');
});
