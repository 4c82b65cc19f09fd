#!/usr/bin/env node
// Benchmark (not a test): how a run's time grows with the distance to the target. The managed demo
// target runs behind a delaying TCP proxy on 127.0.0.1 (bench/lib/delay-proxy.mjs: every chunk waits
// d ms each way, a new connection costs one more round trip), and `shipgate run` of the demo profile
// (probes, security, auth) goes through it at d = 0, 25 and 50 ms. Per gate, the slope of its time over
// the added round-trip time (least squares over every run) is the number of round trips on its critical
// path — a number CPU load hardly moves, unlike the seconds. The `smoke` line is the non-destructive suite
// a scheduled production check runs (probes and security).
//
//   node bench/latency.mjs [--rounds 2] [--delays 0,25,50] [--compare DIR] [--json]
//
// --compare DIR also measures another built checkout (DIR/dist/src/cli.js, e.g. a copy from before a
// change), alternating with this one run by run so both see the same machine load, and prints both tables
// and, per gate, the ratio of the two at 0 ms (the "no gate slower" goal).
//
// Goals (issue 22): probes+security+auth ≤ 12 round trips, smoke ≤ 8, no gate slower at 0 ms.
// The browser login of the demo profile is left out (gates.auth.browser): a Chromium launch is CPU, not
// distance, and whether one is found depends on the machine.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DIST, ROOT, fmt, goal, machineLine, median, requireDist, run } from './lib/common.mjs';
import { startDelayProxy } from './lib/delay-proxy.mjs';

const { values: args } = parseArgs({
  strict: false,
  options: {
    rounds: { type: 'string', default: '2' },
    delays: { type: 'string', default: '0,25,50' },
    json: { type: 'boolean', default: false },
    compare: { type: 'string' },
  },
});
requireDist('latency.mjs');
const ROUNDS = Math.max(1, Number(args.rounds) || 1);
const DELAYS = String(args.delays)
  .split(',')
  .map(Number)
  .filter((d) => d >= 0);
const GATES = ['probes', 'security', 'auth'];
/** The builds measured: this checkout, and with --compare another one. */
const BUILDS = [
  { name: 'this build', dist: DIST },
  ...(args.compare ? [{ name: `--compare ${args.compare}`, dist: join(resolve(args.compare), 'dist') }] : []),
];

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** The demo profile without the browser login, plus the smoke suite. */
async function benchProfile(dir) {
  const { parseDocument } = await import(join(ROOT, 'node_modules', 'yaml', 'dist', 'index.js'));
  const doc = parseDocument(readFileSync(join(ROOT, 'profiles', 'demo.yaml'), 'utf8'));
  doc.deleteIn(['gates', 'auth', 'browser']);
  doc.setIn(['suites'], doc.createNode({ smoke: { gates: ['probes', 'security'], nonDestructive: true } }));
  const path = join(dir, 'latency.yaml');
  writeFileSync(path, doc.toString());
  return path;
}

async function shipgateRun(build, profile, proxy, demoPort, selection) {
  const report = join(profile, '..', `run-${Date.now()}.json`);
  const env = {
    SHIPGATE_DEMO_URL: `http://127.0.0.1:${proxy.port}`,
    SHIPGATE_DEMO_PORT: String(demoPort),
    SHIPGATE_NODE: process.execPath,
    SHIPGATE_DEMO_ENTRY: join(build.dist, 'src', 'demo', 'main.js'),
    SHIPGATE_DEMO_ROOT: ROOT,
  };
  const r = await run(
    process.execPath,
    [join(build.dist, 'src', 'cli.js'), 'run', profile, ...selection, '-q', '-r', `json=${report}`],
    { env },
  );
  let result;
  try {
    result = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    throw new Error(`shipgate wrote no JSON report (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  }
  rmSync(report, { force: true });
  const gates = Object.fromEntries(result.gates.map((g) => [g.id, g.durationMs]));
  const notPassing = result.gates.flatMap((g) =>
    g.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip').map((c) => `${c.id}=${c.status}`),
  );
  return { runMs: result.durationMs, gates, verdict: result.verdict, notPassing };
}

/** Least-squares slope of y (ms) over x (added round-trip ms): round trips on the critical path. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  return sxx ? sxy / sxx : NaN;
}

const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-latency-'));
const demoPort = await freePort();
const proxy = await startDelayProxy(demoPort);
const suites = { full: ['--gates', GATES.join(',')], smoke: ['--suite', 'smoke'] };
const samples = BUILDS.map(() => ({ full: [], smoke: [] }));
const loadBefore = machineLine();
try {
  const profile = await benchProfile(dir);
  for (let round = 0; round < ROUNDS; round++) {
    for (const delay of DELAYS) {
      proxy.delayMs = delay;
      // Alternate which build goes first, so neither always runs on the heels of the other.
      const order = BUILDS.map((_, i) => i);
      if (round % 2) order.reverse();
      for (const b of order) {
        for (const [name, selection] of Object.entries(suites)) {
          const r = await shipgateRun(BUILDS[b], profile, proxy, demoPort, selection);
          samples[b][name].push({ delay, rtt: 2 * delay, ...r });
          if (!args.json)
            console.error(
              `round ${round + 1} · ${delay} ms each way · ${BUILDS[b].name} · ${name}: run ${fmt(r.runMs)} ms ${GATES.map((g) => `${g} ${fmt(r.gates[g] ?? NaN)}`).join(' ')} · ${r.verdict}${r.notPassing.length ? ` (${r.notPassing.join(', ')})` : ''}`,
            );
        }
      }
    }
  }
} finally {
  await proxy.close();
  rmSync(dir, { recursive: true, force: true });
}

const table = (all, columns) => {
  const rows = DELAYS.map((delay) => {
    const at = all.filter((s) => s.delay === delay);
    return {
      delay,
      run: median(at.map((s) => s.runMs)),
      ...Object.fromEntries(columns.map((g) => [g, median(at.map((s) => s.gates[g]))])),
    };
  });
  const slopes = {
    run: slope(all.map((s) => ({ x: s.rtt, y: s.runMs }))),
    ...Object.fromEntries(columns.map((g) => [g, slope(all.map((s) => ({ x: s.rtt, y: s.gates[g] })))])),
  };
  return { rows, slopes };
};
const results = BUILDS.map((b, i) => ({
  build: b.name,
  full: table(samples[i].full, GATES),
  smoke: table(samples[i].smoke, ['probes', 'security']),
}));

if (args.json) {
  console.log(JSON.stringify({ machine: loadBefore, rounds: ROUNDS, results, samples }, null, 2));
  process.exit(0);
}
const s = (x) => `${fmt(x / 1000, 2)} s`;
console.log(loadBefore);
for (const { build, full, smoke } of results) {
  console.log(`\n${build}: probes,security,auth of profiles/demo.yaml (no browser login), median of ${ROUNDS} round(s):\n`);
  console.log('| added delay each way | run | probes | security | auth |');
  console.log('|---|---|---|---|---|');
  for (const r of full.rows)
    console.log(
      `| ${r.delay} ms${r.delay ? ` (+${2 * r.delay} ms RTT)` : ''} | ${s(r.run)} | ${s(r.probes)} | ${s(r.security)} | ${s(r.auth)} |`,
    );
  console.log(
    `| **round trips** (slope) | ${fmt(full.slopes.run, 1)} | ${fmt(full.slopes.probes, 1)} | ${fmt(full.slopes.security, 1)} | ${fmt(full.slopes.auth, 1)} |`,
  );
  console.log(`\n${build}: smoke suite (probes, security; non-destructive):\n`);
  console.log('| added delay each way | run | probes | security |');
  console.log('|---|---|---|---|');
  for (const r of smoke.rows) console.log(`| ${r.delay} ms | ${s(r.run)} | ${s(r.probes)} | ${s(r.security)} |`);
  console.log(
    `| **round trips** (slope) | ${fmt(smoke.slopes.run, 1)} | ${fmt(smoke.slopes.probes, 1)} | ${fmt(smoke.slopes.security, 1)} |`,
  );
}
console.log(`\nload average after: ${machineLine().split('load average ')[1]}`);
const [mine, other] = results;
if (DELAYS.length > 1) {
  goal('\nprobes+security+auth critical path', `${fmt(mine.full.slopes.run, 1)} round trips`, '≤ 12', mine.full.slopes.run <= 12);
  goal('smoke suite critical path', `${fmt(mine.smoke.slopes.run, 1)} round trips`, '≤ 8', mine.smoke.slopes.run <= 8);
}
const zero = DELAYS.indexOf(0);
if (other && zero >= 0) {
  for (const g of ['run', ...GATES]) {
    const ratio = mine.full.rows[zero][g] / other.full.rows[zero][g];
    goal(`at 0 ms, ${g} this build ÷ compared build`, `${fmt(ratio, 2)}×`, '≤ 1.10×', ratio <= 1.1);
  }
}
