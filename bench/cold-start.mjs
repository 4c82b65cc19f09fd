#!/usr/bin/env node
// Benchmark (not a test): cold start. Wall time of `shipgate --version` and `shipgate validate
// profiles/demo.yaml` as a ratio to a bare `node -e 0` (the floor of any Node.js CLI on this machine),
// median of N runs taken in alternation so all three see the same machine load. Goals ≤ 2.5× and ≤ 4×.
// CPU time (user + system, from /usr/bin/time) is printed too: on a shared machine it is steadier than
// wall time. It also prints (unless --no-imports) what each module costs to import, in the order validate
// loads them (CPU, median of fresh processes): the profile that says where start-up time goes.
//
//   node bench/cold-start.mjs [--runs 15] [--no-imports] [--json]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, DIST, ROOT, fmt, goal, machineLine, median, requireDist } from './lib/common.mjs';

const { values: args } = parseArgs({
  strict: false,
  options: {
    runs: { type: 'string', default: '15' },
    imports: { type: 'boolean', default: true },
    json: { type: 'boolean', default: false },
  },
});
requireDist('cold-start.mjs');
const RUNS = Math.max(3, Number(args.runs) || 15);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const COMMANDS = [
  { name: 'node -e 0', argv: ['-e', '0'] },
  { name: 'shipgate --version', argv: [CLI, '--version'], goal: 2.5 },
  { name: 'shipgate validate profiles/demo.yaml', argv: [CLI, 'validate', join('profiles', 'demo.yaml')], goal: 4 },
];

/** One run: wall ms (spawn → exit) and, with /usr/bin/time, CPU ms of the process. */
function once(argv) {
  const cmd = TIME ? [TIME, ['-f', '__cpu %U %S', process.execPath, ...argv]] : [process.execPath, argv];
  const t0 = performance.now();
  const r = spawnSync(cmd[0], cmd[1], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  const m = /__cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN };
}

const samples = COMMANDS.map(() => []);
once(COMMANDS[2].argv); // the first run reads every file from disk; the rest measure a warm page cache
for (let i = 0; i < RUNS; i++) COMMANDS.forEach((c, j) => samples[j].push(once(c.argv)));
const results = COMMANDS.map((c, j) => ({
  name: c.name,
  goal: c.goal,
  wallMs: median(samples[j].map((s) => s.wall)),
  cpuMs: median(samples[j].map((s) => s.cpu)),
  wall: samples[j].map((s) => Math.round(s.wall)),
}));
const floor = results[0];

/** Incremental CPU cost of each module in the order a validate run loads them (fresh process each trial). */
function importCosts(trials = 7) {
  const d = (p) => join(DIST, p);
  const mods = [
    d('src/paths.js'),
    'yaml',
    'zod',
    d('src/profile/fields.js'),
    ...['build', 'probes', 'security', 'auth', 'realtime', 'load'].map((g) => d(`checks/${g}/schema.js`)),
    d('src/check.js'),
    ...['build', 'probes', 'security', 'auth', 'realtime', 'load'].map((g) => d(`checks/${g}/catalogue.js`)),
    d('src/gates/registry.js'),
    d('src/profile/schema.js'),
    d('src/profile/load.js'),
    d('src/commands/validate.js'),
    'yargs',
    'undici',
    'ws',
    '@playwright/test',
    'autocannon',
  ];
  const code = `const out = []; for (const m of ${JSON.stringify(mods)}) { const c = process.cpuUsage(); await import(m); const u = process.cpuUsage(c); out.push((u.user + u.system) / 1000); } process.stdout.write(JSON.stringify(out));`;
  const runs = Array.from({ length: trials }, () =>
    JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' })),
  );
  return mods.map((m, i) => ({ module: m.replace(DIST + '/', 'dist/'), cpuMs: median(runs.map((r) => r[i])) }));
}
const imports = args.imports && !args['no-imports'] ? importCosts() : undefined; // Node 20's parseArgs has no --no-* options

if (args.json) {
  console.log(JSON.stringify({ runs: RUNS, results, imports }, null, 2));
} else {
  console.log(
    `cold-start · median of ${RUNS} runs each, in alternation · wall = spawn → exit${TIME ? ' · CPU from /usr/bin/time' : ''}`,
  );
  console.log(machineLine());
  console.log('');
  console.log('command                                     wall (median)   × node      CPU   × node');
  for (const r of results)
    console.log(
      `${r.name.padEnd(42)} ${`${fmt(r.wallMs)} ms`.padStart(13)} ${`${(r.wallMs / floor.wallMs).toFixed(2)}×`.padStart(8)} ${`${fmt(r.cpuMs)} ms`.padStart(9)} ${`${(r.cpuMs / floor.cpuMs).toFixed(2)}×`.padStart(8)}`,
    );
  console.log('');
  for (const r of results.slice(1))
    goal(
      `${r.name} ÷ node -e 0 (wall)`,
      `${(r.wallMs / floor.wallMs).toFixed(2)}×`,
      `≤ ${r.goal}×`,
      r.wallMs / floor.wallMs <= r.goal,
    );
  if (imports) {
    console.log('');
    console.log(
      'import cost, in the order validate loads them (CPU ms, incremental; the last five validate does not load — yargs: every command but --version and validate <profile>):',
    );
    for (const m of imports) console.log(`${fmt(m.cpuMs, 1).padStart(8)}  ${m.module}`);
  }
}
