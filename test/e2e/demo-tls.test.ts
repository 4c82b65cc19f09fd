// `shipgate demo --tls` as a user runs it: the demo over HTTPS with a throwaway CA made at start passes every
// gate, realtime in Chromium included (the repo's finder: SHIPGATE_BROWSER, a system Chromium or the bundled
// one); each TLS flaw fails security.tls.certificate, also when the clients refuse the certificate and the
// probes find the target not ready.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBrowser } from '../../src/browser/finder.js';
import { runCli } from '../helpers/cli.js';

const found = await findBrowser();
const noBrowser = found.ok ? false : found.message;

interface Check {
  id: string;
  status: string;
  message: string;
}

/** Runs the demo with a JSON report; its exit code and every check. */
async function demo(args: string[]): Promise<{ code: number | null; out: string; checks: Check[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-demo-tls-'));
  const r = await runCli(['demo', ...args, '-r', `json=${dir}/run.json`], { timeoutMs: 240_000 });
  const json = JSON.parse(readFileSync(`${dir}/run.json`, 'utf8'));
  return { code: r.code, out: r.stdout + r.stderr, checks: json.gates.flatMap((g: { checks: Check[] }) => g.checks) };
}

const failing = (checks: Check[]) => checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id);

test('shipgate demo --tls passes every gate (realtime in Chromium included)', { skip: noBrowser, timeout: 300_000 }, async () => {
  const r = await demo(['--tls']);
  assert.equal(r.code, 0, r.out);
  const byId = (id: string) => r.checks.find((c) => c.id === id)!;
  assert.equal(byId('security.tls.certificate').status, 'pass');
  assert.match(byId('security.tls.certificate').message, /issued by CN=shipgate throwaway CA/);
  assert.equal(byId('security.tls.protocols').status, 'pass');
  assert.equal(byId('security.headers.https-redirect').status, 'pass');
  assert.equal(byId('realtime.sync').status, 'pass');
});

// Expired and wrong-host: every client refuses the certificate, so the probes fail and the target is not
// ready; the security gate still runs its connection checks and names the certificate.
const refused: { flaw: string; line: RegExp }[] = [
  { flaw: 'tls-expired', line: /^the certificate of 127\.0\.0\.1:\d+ expired on \d{4}-\d\d-\d\d \(2 days ago\)$/ },
  {
    flaw: 'tls-wrong-host',
    line: /^127\.0\.0\.1:\d+: the certificate is for another host \(it names DNS:wrong\.example\)$/,
  },
];

for (const { flaw, line } of refused) {
  test(
    `shipgate demo --tls --flaws ${flaw} exits 1 naming security.tls.certificate as failed`,
    { timeout: 300_000 },
    async () => {
      const r = await demo(['--tls', '--flaws', flaw]);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /fail\s+security\.tls\.certificate — /);
      assert.deepEqual(failing(r.checks), ['probes.liveness', 'probes.readiness', 'security.tls.certificate']);
      const cert = r.checks.find((c) => c.id === 'security.tls.certificate')!;
      assert.match(cert.message, line);
      assert.equal(r.checks.find((c) => c.id === 'security.tls.protocols')?.status, 'pass');
      // Shutdown cannot be proven through a refused certificate: skipped with the reason, no SIGTERM sent.
      const shutdown = r.checks.find((c) => c.id === 'build.graceful-shutdown')!;
      assert.equal(shutdown.status, 'skip', shutdown.message);
      assert.match(shutdown.message, /^not proven: the request to \/\S+ was refused before SIGTERM: TLS handshake with /);
      // The security gate's other checks are skipped with the probes' reason, as whole gates were before.
      const hsts = r.checks.find((c) => c.id === 'security.headers.hsts')!;
      assert.equal(hsts.status, 'skip');
      assert.match(
        hsts.message,
        /^target not ready: probes\.liveness failed \(GET \/health: TLS handshake with 127\.0\.0\.1:\d+ failed: /,
      );
    },
  );
}

test(
  'shipgate demo --tls --flaws tls-expiring (every gate) fails only security.tls.certificate',
  { timeout: 300_000 },
  async () => {
    const r = await demo(['--tls', '--flaws', 'tls-expiring', ...(noBrowser ? ['--gates', 'build,probes,security,load'] : [])]);
    assert.equal(r.code, 1, r.out);
    assert.deepEqual(failing(r.checks), ['security.tls.certificate']);
    assert.match(
      r.checks.find((c) => c.id === 'security.tls.certificate')!.message,
      /^trusted certificate for .* \(3 days left\): fewer than failDays \(7\)$/,
    );
  },
);

test(
  'Chromium refuses a certificate Node refused, in the same words (realtime.sync fails)',
  { skip: noBrowser, timeout: 300_000 },
  async () => {
    const r = await demo(['--gates', 'realtime', '--flaws', 'tls-wrong-host']);
    assert.equal(r.code, 1, r.out);
    // Only the sync fails; the storage of a page that never opened is not read (skipped, not an error).
    assert.deepEqual(failing(r.checks), ['realtime.sync']);
    assert.equal(r.checks.find((c) => c.id === 'realtime.browser-storage')?.status, 'skip');
    assert.match(
      r.checks.find((c) => c.id === 'realtime.sync')!.message,
      /^[AB], opening the page \(\/live\): TLS handshake with 127\.0\.0\.1:\d+ failed: Hostname\/IP does not match certificate's altnames: IP: 127\.0\.0\.1 is not in the cert's list: \(net::ERR_CERT_AUTHORITY_INVALID\)$/,
    );
  },
);
