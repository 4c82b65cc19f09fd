// The load gate through the CLI as a process: the demo passes and fails as documented, a threshold
// typo is a profile error at validate, a production target needs --allow-load.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasStackTrace, runCli } from '../helpers/cli.js';
import { withServer } from '../helpers/servers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'shipgate-load-e2e-'));

test('shipgate demo --gates probes,load passes and prints the per-endpoint summary', async () => {
  const dir = tmp();
  const r = await runCli(['demo', '--gates', 'probes,load', '-r', `json=${dir}/run.json`]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /pass\s+load\.summary\.products — GET \/api\/products: [\d,]+ requests in [\d.]+s \([\d,.]+ rps\) · p50 .* · p95 .* · 200×[\d,]+ · errors 0 \(0\.00%\)/,
  );
  assert.match(r.stdout, /pass\s+load\.threshold\.products\.p95 — p95 = [\d.]+m?s, threshold < 250ms/);
  assert.match(r.stdout, /pass\s+load\.tail\.products — /);
  assert.match(r.stdout, /pass\s+load\.concurrency\.products — /);
  assert.doesNotMatch(r.stdout, /\bwarn\s+load\./);
  assert.match(r.stdout, /PASS/);
  const json = JSON.parse(readFileSync(`${dir}/run.json`, 'utf8'));
  const load = json.gates.find((g: { id: string }) => g.id === 'load');
  const summary = load.checks.find((c: { id: string }) => c.id === 'load.summary.products');
  assert.ok(summary.metrics.p95Ms > 0 && summary.metrics.rps > 0);
  assert.match(summary.evidence.body, /^endpoint\s+requests\s+rps\s+p50/);
});

test('shipgate demo --flaws load-slow fails the latency threshold (exit 1) with the observed value', async () => {
  const r = await runCli(['demo', '--gates', 'load', '--flaws', 'load-slow']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /fail\s+load\.threshold\.products\.p95 — p95 = [\d.]+m?s, threshold < 250ms/);
});

test('shipgate demo --flaws load-errors fails the error-rate threshold (exit 1)', async () => {
  const r = await runCli(['demo', '--gates', 'load', '--flaws', 'load-errors']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /fail\s+load\.threshold\.products\.errors — errors = [45]\.\d\d% \([\d,]+ of [\d,]+ requests\), threshold < 1%/,
  );
});

test('shipgate demo --flaws p99-spike fails load.tail.products (exit 1) naming the share of slow requests; p95 still passes', async () => {
  const r = await runCli(['demo', '--gates', 'load', '--flaws', 'p99-spike']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /fail\s+load\.tail\.products — p99 [\d.]+m?s is [\d.]+× p95 [\d.]+m?s \(limit 4×\): [\d.]+ % of requests/,
  );
  assert.match(r.stdout, /pass\s+load\.threshold\.products\.p95/);
  assert.match(r.stdout, /pass\s+load\.concurrency\.products/);
});

test('shipgate demo --flaws conn-limit fails load.concurrency.products (exit 1) with the served concurrency', async () => {
  const r = await runCli(['demo', '--gates', 'load', '--flaws', 'conn-limit']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /fail\s+load\.concurrency\.products — [\d.]+ rps × [\d.]+ms alone \(1 connection\) ≈ [\d.]+ requests served at once, of 10 offered \(floor 5\)/,
  );
  assert.match(r.stdout, /pass\s+load\.threshold\.products\.p95/);
  assert.match(r.stdout, /pass\s+load\.tail\.products/);
});

test('shipgate validate rejects threshold typos with line:column (exit 2)', async () => {
  const file = join(tmp(), 'typo.yaml');
  writeFileSync(
    file,
    `name: typo
target:
  baseUrl: http://127.0.0.1:1
gates:
  load:
    endpoints:
      - path: /api/items
        thresholds:
          - p95 < 200 ms s
          - p(101) < 1s
`,
  );
  const r = await runCli(['validate', file]);
  assert.equal(r.code, 2);
  assert.ok(
    r.stderr.includes(
      `${file}:9:13 gates.load.endpoints[0].thresholds[0]: "p95 < 200 ms s": unexpected "s" at column 14 after the value "200 ms"`,
    ),
    r.stderr,
  );
  assert.ok(
    r.stderr.includes(`${file}:10:13 gates.load.endpoints[0].thresholds[1]: "p(101) < 1s": percentile 101 is out of range`),
    r.stderr,
  );
  assert.ok(!hasStackTrace(r.stderr));
});

test('a production target: refused without --allow-load (exit 3, no traffic), loaded with it (exit 0)', async () => {
  let hits = 0;
  await withServer(
    (_req, res) => {
      hits++;
      res.end('ok');
    },
    async (url) => {
      const file = join(tmp(), 'prod.yaml');
      writeFileSync(
        file,
        `name: prod\ntarget:\n  baseUrl: ${url}\n  production: true\ngates:\n  load:\n    endpoints: [{path: /, thresholds: [errors < 1%]}]\n    warmup: 0s\n    duration: 1s\n    connections: 1\n`,
      );
      const refused = await runCli(['run', file, '--gates', 'load']);
      assert.equal(refused.code, 3, refused.stdout + refused.stderr);
      assert.match(
        refused.stdout,
        /error\s+load\.safety\.production — refusing to send load to a production target \(target\.production: true\) without --allow-load/,
      );
      assert.equal(hits, 0);
      const allowed = await runCli(['run', file, '--gates', 'load', '--allow-load']);
      assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
      assert.ok(hits > 0);
    },
  );
});
