// Secrets never leak in any form (issue 19 items 2, 6, 7): a ${secret:…} in target.baseUrl (userinfo and
// query) is shown as *** by validate and in the console header; a hostile target that echoes the credential
// URL-encoded, JSON-escaped (nested), HTML-escaped, base64 (of the secret and of user:secret) or cut by an
// evidence excerpt leaks none of it into stdout, stderr or any report.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, fileReports } from '../helpers/cli.js';
import { ECHO_FORMS, startSecretEchoTarget } from '../fixtures/secret-echo-target.js';
import type { Server } from 'node:http';

const apiKey = `hunter2$x y"q"/<&>${randomBytes(15).toString('hex')}`; // 48 characters
const password = `p@ss w0rd:${randomBytes(8).toString('hex')}`;
const bypass = `byp+ss/${randomBytes(10).toString('hex')}`;
const env = { SG_KEY: apiKey, SG_PASS: password, SG_BYPASS: bypass };

let target: { url: string; server: Server };
before(async () => (target = await startSecretEchoTarget()));
after(() => target.server.close());

function profile(liveness: string, readiness: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-redaction-'));
  const file = join(dir, 'hostile.yaml');
  const host = target.url.replace('http://', '');
  writeFileSync(
    file,
    [
      'name: hostile-echo',
      'target:',
      `  baseUrl: "http://shipgate:\${secret:SG_PASS}@${host}/?x-vercel-protection-bypass=\${secret:SG_BYPASS}"`,
      '  headers:',
      '    X-Api-Key: ${secret:SG_KEY}',
      'gates:',
      '  probes:',
      `    liveness: { path: "${liveness}" }`,
      `    readiness: { path: "${readiness}" }`,
      '    samples: 1',
      '',
    ].join('\n'),
  );
  return file;
}

/** Every way each secret, or most of it, could show. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries({ apiKey, password, bypass })) {
    const forms = new Set([value, ...Object.values(ECHO_FORMS).map((f) => f(value)), encodeURIComponent(value)]);
    for (const form of forms) if (text.includes(form)) found.push(`${name} as ${JSON.stringify(form)}`);
    // Half of the secret in one piece is a leak too.
    const half = Math.ceil(value.length / 2);
    for (let i = 0; i + half <= value.length; i++)
      if (text.includes(value.slice(i, i + half))) found.push(`${name}: ${JSON.stringify(value.slice(i, i + half))}`);
  }
  for (const form of ['base64', 'base64url']) {
    const core = ECHO_FORMS[form](apiKey).slice(0, 40);
    if (text.includes(core)) found.push(`apiKey ${form}`);
  }
  return found;
}

function outputs(dir: string, r: { stdout: string; stderr: string }): [string, string][] {
  return [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
    ...readdirSync(dir).map((f): [string, string] => [f, readFileSync(join(dir, f), 'utf8')]),
  ];
}

test('validate shows target.baseUrl with its userinfo password and query token as ***', async () => {
  const r = await runCli(['validate', profile('/health', '/ready')], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(leaks(r.stdout + r.stderr), []);
  assert.match(r.stdout, /http:\/\/shipgate:\*\*\*@127\.0\.0\.1:\d+\/\?x-vercel-protection-bypass=\*\*\*/);
});

const groups = [
  ['raw', 'url', 'urlLower', 'form'],
  ['json', 'nestedJson', 'html'],
  ['base64', 'base64url', 'basicAuth', 'base64UserPass'],
];
for (const [i, forms] of groups.entries()) {
  test(
    `a target echoing the secret ${forms.join(', ')} leaks nothing into the console or any report`,
    { timeout: 60_000 },
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'shipgate-redaction-out-'));
      // The readiness body is cut by the evidence excerpt inside the secret: 46 of its 48 characters, then fewer.
      const cut = [46, 30, 12][i];
      const r = await runCli(['run', profile(`/echo/${forms.join(',')}`, `/cut/${cut}`), '--verbose', ...fileReports(out)], {
        env,
      });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const json = readFileSync(`${out}/run.json`, 'utf8');
      // The target really echoed: each form's label is in the evidence, the value redacted.
      for (const f of forms) assert.match(json, new RegExp(`${f}=`), `${f} not in the evidence`);
      assert.match(r.stdout, /→ http:\/\/shipgate:\*\*\*@/);
      for (const [where, text] of outputs(out, r)) assert.deepEqual(leaks(text), [], `leaked into ${where}`);
    },
  );
}
