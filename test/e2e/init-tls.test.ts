// `shipgate init` against an HTTPS demo signed by a CA made in the test: without the CA it refuses in the
// shared TLS words and writes nothing; with --ca it probes through that trust and writes it into the profile
// as target.tls.ca, so the run it starts trusts the target the same way (validate and a probes run pass).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import { ThrowawayCa } from '../../src/demo/throwaway-ca.js';
import { runCli } from '../helpers/cli.js';

let ca: ThrowawayCa;
let demo: DemoServer;
let dir: string;
before(async () => {
  ca = ThrowawayCa.create();
  demo = await startDemoServer({ tls: ca.issue({ hosts: ['127.0.0.1'] }) });
  dir = mkdtempSync(join(tmpdir(), 'shipgate-init-tls-'));
});
after(async () => {
  await demo.close();
  ca.remove();
});

test('without --ca, init refuses the internal CA in the shared TLS words and writes no profile', async () => {
  const out = join(dir, 'untrusted.yaml');
  const r = await runCli(['init', demo.url, '-o', out], { env: { NODE_EXTRA_CA_CERTS: '' } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /TLS handshake with 127\.0\.0\.1:\d+ failed: unable to verify the first certificate; to trust an internal CA pass --ca FILE/,
  );
  assert.equal(existsSync(out), false);
});

test('with --ca, init probes through that trust and writes target.tls.ca; the profile validates and its probes pass', async () => {
  const out = join(dir, 'trusted.yaml');
  const r = await runCli(['init', demo.url, '-o', out, '--ca', ca.certPath]);
  assert.equal(r.code, 0, r.stderr);
  const profile = parse(readFileSync(out, 'utf8'));
  assert.deepEqual(profile.target.tls, { ca: [ca.certPath] });
  const run = await runCli(['run', out, '--gates', 'probes', '-r', `json=${join(dir, 'report.json')}`]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
});

test('an unreadable --ca is a usage error naming the file, before any traffic', async () => {
  const missing = join(dir, 'missing-ca.pem');
  const r = await runCli(['init', demo.url, '-o', join(dir, 'never.yaml'), '--ca', missing]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    new RegExp(`--ca: cannot read target\\.tls\\.ca ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ENOENT`),
  );
});
