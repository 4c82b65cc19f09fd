// The CLI as a process: exit codes, files written, no stack traces.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasStackTrace, runCli, ROOT } from '../helpers/cli.js';
import { closedPort } from '../helpers/servers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'shipgate-e2e-'));

test('--help teaches: commands, examples, exit codes', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  for (const word of ['run <profiles..>', 'merge <reports..>', 'validate <profile>', 'demo', 'Examples:', 'Exit codes'])
    assert.ok(r.stdout.includes(word), `--help lacks ${word}`);
});

test('run, merge and export --help say what the options really do', async () => {
  for (const cmd of ['run', 'merge']) {
    const help = (await runCli([cmd, '--help'])).stdout.replace(/\s+/g, ' ');
    for (const words of ['sarif=PATH', 'PATH - writes it to standard output (-r json=-)', 'GITHUB_ACTIONS=true', 'github=off'])
      assert.ok(help.includes(words), `${cmd} --help lacks ${words}`);
  }
  const exportHelp = (await runCli(['export', '--help'])).stdout.replace(/\s+/g, ' ');
  assert.doesNotMatch(exportHelp, /gates\.load/);
  assert.match(exportHelp, /each gate's manifest lists the formats it exports/);
  assert.match(exportHelp, /\[choices: "k6"\]/, 'the formats come from the manifests');
});

test('--version prints the package version', async () => {
  const r = await runCli(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
});

test('shipgate demo --gates probes passes and writes all three reports', async () => {
  const dir = tmp();
  const r = await runCli([
    'demo',
    '--gates',
    'probes',
    '-r',
    `junit=${dir}/j/junit.xml`,
    '-r',
    `md=${dir}/m/summary.md`,
    '-r',
    `json=${dir}/run.json`,
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /PASS/);
  const json = JSON.parse(readFileSync(`${dir}/run.json`, 'utf8'));
  assert.equal(json.schemaVersion, 1);
  assert.equal(json.verdict, 'pass');
  const xml = readFileSync(`${dir}/j/junit.xml`, 'utf8');
  assert.match(xml, /<testsuite name="demo\/probes"/);
  assert.match(readFileSync(`${dir}/m/summary.md`, 'utf8'), /shipgate ✅ PASS/);
});

test('shipgate demo --flaws ready-fails exits 1 naming the readiness check', async () => {
  const r = await runCli(['demo', '--gates', 'probes', '--flaws', 'ready-fails']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /fail\s+probes\.readiness/);
});

test('shipgate demo --flaws health-slow fails the latency budget', async () => {
  const r = await runCli(['demo', '--gates', 'probes', '--flaws', 'health-slow']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /fail\s+probes\.latency/);
});

test('an unknown flaw is a usage error (exit 2) listing the known ones', async () => {
  const r = await runCli(['demo', '--flaws', 'no-such-flaw']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown flaw "no-such-flaw"; known flaws: .*ready-fails/);
});

test('validate accepts the demo profile', async () => {
  const r = await runCli(['validate', 'profiles/demo.yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /valid profile "demo"/);
});

const badProfiles: [string, (src: string) => string, RegExp][] = [
  [
    'an unknown top-level key',
    (s) => s + '\nreportz:\n  json: x.json\n',
    /bad\.yaml:\d+:1 reportz: unknown key; did you mean "report"\?/,
  ],
  ['a YAML syntax error', (s) => s + '\ngates: [\n', /bad\.yaml:\d+:\d+: YAML/],
  [
    'a wrong type',
    (s) => s.replace('samples: 3', 'samples: lots'),
    /bad\.yaml:\d+:\d+ gates\.probes\.samples: expected a number, got "lots"/,
  ],
];
for (const [what, mutate, expected] of badProfiles) {
  test(`validate rejects ${what} with file:line:column, exit 2, no stack trace`, async () => {
    const dir = tmp();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, mutate(readFileSync(join(ROOT, 'profiles/demo.yaml'), 'utf8')));
    const r = await runCli(['validate', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, expected);
    assert.ok(!hasStackTrace(r.stderr), r.stderr);
  });
}

test('a profile path that does not exist is exit 2 with a clear message', async () => {
  const r = await runCli(['validate', 'nope/missing.yaml']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim(), 'nope/missing.yaml: no such file');
});

test('run against a refused target fails (exit 1), names the reason and still writes reports', async () => {
  const dir = tmp();
  const port = await closedPort();
  const file = join(dir, 'down.yaml');
  writeFileSync(
    file,
    `name: down\ntarget:\n  baseUrl: http://127.0.0.1:${port}\ngates:\n  probes: {}\nreport:\n  json: ${dir}/out/run.json\n  junit: ${dir}/out/junit.xml\n`,
  );
  const r = await runCli(['run', file, '-r', `md=${dir}/out/summary.md`]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`connection refused to 127\\.0\\.0\\.1:${port}`));
  for (const f of ['run.json', 'junit.xml', 'summary.md']) assert.ok(existsSync(`${dir}/out/${f}`), `${f} not written`);
  assert.equal(JSON.parse(readFileSync(`${dir}/out/run.json`, 'utf8')).verdict, 'fail');
});

test('an unknown --gates entry is a usage error', async () => {
  const r = await runCli(['demo', '--gates', 'probez']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown gate "probez"/);
});

test('a bad --reporter is a usage error', async () => {
  const r = await runCli(['demo', '-r', 'xml:out.xml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /expected KIND=PATH/);
});
