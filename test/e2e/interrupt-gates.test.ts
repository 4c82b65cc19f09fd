// SIGINT in the middle of each gate: reports written with the interrupted gate marked, exit 3, and no
// process the run started (build step, browser, load client sockets' children) outlives it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { startFaultyTarget, type FaultyTarget } from '../fixtures/faulty-target.js';
import { fileReports, startCli } from '../helpers/cli.js';
import { alive, descendants } from '../helpers/processes.js';

let target: FaultyTarget;
before(async () => {
  target = await startFaultyTarget();
});
after(async () => {
  await target.close();
});

// Each gate pointed at something that keeps it busy: a hanging endpoint, a slow build step, a long load.
const GATES: Record<string, string> = {
  build: "build: {steps: [{name: slow step, run: 'sleep 30', timeout: 60s}]}",
  security: 'security: {paths: [/hang]}',
  auth: 'auth: {login: {path: /hang, username: u, password: pw-secret-123}}',
  realtime:
    "realtime: {page: /hang, action: [{fill: '#t', value: '{marker}'}, {click: '#add'}], observe: {selector: 'li', text: '{marker}'}, timeouts: {load: 60s}}",
  load: "load: {endpoints: [{name: h, path: /hang}], duration: 30s, thresholds: ['p95 < 1s']}",
};

for (const [gate, section] of Object.entries(GATES)) {
  test(`SIGINT during the ${gate} gate: exit 3, reports written, nothing left running`, { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), `shipgate-int-${gate}-`));
    const profile = join(dir, 'p.yaml');
    writeFileSync(
      profile,
      `name: int-${gate}\ntarget:\n  baseUrl: ${target.url}\ntimeouts:\n  request: 60s\n  gate: 80s\ngates:\n  ${section}\n`,
    );
    const { child, exited, output } = startCli(['run', profile, '--verbose', ...fileReports(dir)]);
    // Let the gate get going: the run has begun, and its step runs or its browser is up.
    const busy = (): boolean => {
      if (!output().includes('gates: ')) return false;
      const procs = descendants(child.pid!);
      if (gate === 'build') return procs.some((p) => p.comm === 'sleep');
      if (gate === 'realtime') return procs.some((p) => /chrom/i.test(p.comm));
      return true;
    };
    for (let i = 0; i < 300 && !busy(); i++) await sleep(100);
    assert.ok(busy(), `the ${gate} gate never got going:\n${output()}`);
    await sleep(gate === 'realtime' ? 1_000 : 700);
    const started = descendants(child.pid!);
    child.kill('SIGINT');
    const code = await Promise.race([exited, sleep(20_000).then(() => 'hung' as const)]);
    if (code === 'hung') child.kill('SIGKILL');
    assert.equal(code, 3, output());
    for (const f of ['run.json', 'junit.xml', 'summary.md', 'report.html']) assert.ok(existsSync(join(dir, f)), `${f} missing`);
    const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    assert.equal(json.interrupted, true);
    const g = json.gates.find((x: any) => x.id === gate);
    assert.ok(
      g.checks.some((c: any) => c.id === `${gate}.deadline` && /^interrupted/.test(c.message)),
      JSON.stringify(g.checks.map((c: any) => [c.id, c.status, c.message])),
    );
    // Whatever the run started is gone (allow a moment for the kernel to reap).
    for (let i = 0; i < 50 && started.some((p) => alive(p.pid)); i++) await sleep(100);
    assert.deepEqual(
      started.filter((p) => alive(p.pid)),
      [],
      'processes outlived the run',
    );
    assert.doesNotMatch(readFileSync(join(dir, 'run.json'), 'utf8'), /pw-secret-123/);
  });
}
