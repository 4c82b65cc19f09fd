// The faulty target met by the security, auth and load gates: every fault ends in fail or error with a
// reason, within the gate's deadline; no gate crashes (no <gate>.internal) and the run never passes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FAULTS, startFaultyTarget, type FaultyTarget } from '../fixtures/faulty-target.js';
import { runYaml } from '../helpers/run.js';

let target: FaultyTarget;
before(async () => {
  target = await startFaultyTarget();
});
after(async () => {
  await target.close();
});

const SECTIONS: Record<string, (path: string) => string> = {
  security: (path) => `security: {paths: ["${path}"], errors: {apiPath: "${path}"}}`,
  auth: (path) => `auth: {login: {path: "${path}", username: u, password: pw-fault-123}}`,
};
// A transport reason, a status, or what was wrong with the answer: never an empty or generic message.
const REASON =
  /connection reset|no complete response|malformed HTTP response|status \d{3}|\b[1-5]\d\d\b|not JSON|larger than|refused|TLS|redirect|HTML|content.type|missing|did not|no |not /i;

for (const [gate, section] of Object.entries(SECTIONS)) {
  for (const path of Object.keys(FAULTS)) {
    test(`${gate} meets ${path} (${FAULTS[path].what})`, { timeout: 60_000 }, async () => {
      const started = Date.now();
      const r = await runYaml(
        `name: faults\ntarget:\n  baseUrl: ${target.url}\ntimeouts:\n  request: 1s\n  gate: 30s\ngates:\n  ${section(path)}\n`,
      );
      const checks = r.gates.flatMap((g) => g.checks);
      assert.deepEqual(
        checks.filter((c) => c.id.endsWith('.internal') || c.id.endsWith('.deadline')).map((c) => c.message),
        [],
      );
      const bad = checks.filter((c) => c.status === 'fail' || c.status === 'error');
      assert.ok(bad.length > 0, `${gate} passed ${path}: ${checks.map((c) => `${c.id}=${c.status}`).join(' ')}`);
      for (const c of bad) assert.ok(c.message.includes(path) || REASON.test(c.message), `${c.id}: ${c.message}`);
      assert.notEqual(r.verdict, 'pass');
      assert.ok(Date.now() - started < 40_000);
    });
  }
}

const LOAD: [string, RegExp][] = [
  ['/flaky', /errors = 50(\.\d+)?%/],
  ['/hang', /no samples|no response|answered none|timeouts = [1-9]/],
  ['/html', /.*/],
  ['/reset', /errors = \d+(\.\d+)?% \(\d+ of \d+ requests\)|answered none|no samples/],
];
for (const [path, reason] of LOAD) {
  test(`load meets ${path}`, { timeout: 60_000 }, async () => {
    const r = await runYaml(
      `name: faults\ntarget:\n  baseUrl: ${target.url}\ntimeouts:\n  request: 1s\n  gate: 30s\ngates:\n  load:\n    endpoints: [{name: f, path: "${path}"}]\n    connections: 2\n    duration: 2s\n    warmup: 0s\n    thresholds: ['errors < 1%', 'p95 < 500ms']\n`,
    );
    const checks = r.gates.flatMap((g) => g.checks);
    assert.deepEqual(
      checks.filter((c) => c.id.endsWith('.internal') || c.id.endsWith('.deadline')).map((c) => c.message),
      [],
    );
    const bad = checks.filter((c) => c.status === 'fail' || c.status === 'error');
    if (path === '/html') {
      // HTML with a 200 is not a load error; the gate judges what it was asked to.
      assert.equal(r.gates[0].status === 'error', false);
      return;
    }
    assert.ok(bad.length > 0, checks.map((c) => `${c.id}=${c.status}: ${c.message}`).join('\n'));
    assert.ok(
      bad.some((c) => reason.test(c.message)),
      bad.map((c) => `${c.id}: ${c.message}`).join('\n'),
    );
  });
}
