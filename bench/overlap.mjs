#!/usr/bin/env node
// Benchmark (not a test): how well the gates of a full demo run overlap. Runs `shipgate demo` (all six
// gates against the managed demo target) with a JSON report and prints, from the per-gate durations:
//
//   total ÷ slowest = (run duration − the load gate's fixed warm-up + duration) ÷ the slowest gate
//
// goal ≤ 1.3. A gate's own time is its durationMs plus its prepareMs (work the runner started for it
// at the beginning of the run, e.g. launching Chromium while build and probes run), so moving work
// into prepare() shortens the run without hiding that work from the ratio.
// It also reports the time spent outside the runner: from spawning `shipgate demo` to the run's start
// (Node.js start, imports, profile), and from the run's end to the process exit (reports, exit).
//
//   node bench/overlap.mjs [--rounds 1] [--alone] [--compare DIR] [--json]
// --alone also runs the slowest gate by itself (`shipgate demo --gates <id>`) and prints the ratio
// against that, the stricter reading of "the time of its slowest single gate".
// --compare DIR alternates every round with another built checkout (DIR/dist/src/cli.js, e.g. main
// before a change), so both see the same machine load, and prints the medians of both.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, DIST, fmt, goal, machineLine, median, ms, requireDist, run } from './lib/common.mjs';

const { values: args } = parseArgs({
  strict: false,
  options: {
    rounds: { type: 'string', default: '1' },
    compare: { type: 'string' },
    alone: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
requireDist('overlap.mjs');
const ROUNDS = Math.max(1, Number(args.rounds) || 1);
const GOAL = 1.3;

/** The load gate's fixed time from the demo profile: warm-up + duration. */
async function loadFixedMs() {
  const { loadProfile } = await import(join(DIST, 'src', 'profile', 'load.js'));
  const { DEMO_PROFILE } = await import(join(DIST, 'src', 'commands', 'demo.js'));
  const { profile } = await loadProfile(DEMO_PROFILE, { ...process.env, SHIPGATE_DEMO_URL: 'http://127.0.0.1:4100' });
  const load = profile.gates.load;
  return load ? load.warmup + load.duration : 0;
}

async function demoRun(extra = [], cli = CLI) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-overlap-'));
  const report = join(dir, 'run.json');
  try {
    const r = await run(process.execPath, [cli, 'demo', '-q', '-r', `json=${report}`, ...extra]);
    let result;
    try {
      result = JSON.parse(readFileSync(report, 'utf8'));
    } catch {
      throw new Error(`shipgate demo wrote no JSON report (exit ${r.code}): ${r.stderr.slice(-2000)}`);
    }
    const runStart = Date.parse(result.startedAt);
    return {
      exitCode: r.code,
      verdict: result.verdict,
      wallMs: r.wallMs,
      durationMs: result.durationMs,
      beforeRunMs: runStart - r.startedEpoch,
      afterRunMs: r.exitedEpoch - (runStart + result.durationMs),
      gates: result.gates.map((g) => ({
        id: g.id,
        status: g.status,
        durationMs: g.durationMs,
        prepareMs: g.prepareMs ?? 0,
        ownMs: g.durationMs + (g.prepareMs ?? 0),
      })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fixed = await loadFixedMs();
const OTHER = args.compare ? join(resolve(args.compare), 'dist', 'src', 'cli.js') : undefined;
const rounds = [];
const others = [];
const measured = async (cli) => {
  const r = await demoRun([], cli);
  const slowest = r.gates.reduce((a, b) => (b.ownMs > a.ownMs ? b : a));
  return { ...r, slowest: slowest.id, slowestMs: slowest.ownMs, ratio: (r.durationMs - fixed) / slowest.ownMs };
};
for (let i = 0; i < ROUNDS; i++) {
  // With --compare, alternate which goes first.
  if (OTHER && i % 2 === 1) others.push(await measured(OTHER));
  rounds.push(await measured(CLI));
  if (OTHER && i % 2 === 0) others.push(await measured(OTHER));
}
let alone;
if (args.alone) {
  const id = rounds[0].slowest;
  const r = await demoRun(['--gates', id]);
  alone = { id, ownMs: r.gates.find((g) => g.id === id)?.ownMs };
}

const ratio = median(rounds.map((r) => r.ratio));
if (args.json) {
  console.log(JSON.stringify({ loadFixedMs: fixed, rounds, ratio, alone }, null, 2));
} else {
  console.log(
    `overlap · shipgate demo (all six gates, managed demo target) · ${ROUNDS} round${ROUNDS > 1 ? 's' : ''} · load gate fixed time ${ms(fixed)} (warm-up + duration) subtracted`,
  );
  console.log(machineLine());
  rounds.forEach((r, i) => {
    console.log('');
    console.log(`round ${i + 1}: verdict ${r.verdict} (exit ${r.exitCode})`);
    console.log('gate        in-run    prepare   own time');
    for (const g of r.gates)
      console.log(
        `${g.id.padEnd(10)} ${ms(g.durationMs).padStart(8)} ${(g.prepareMs ? ms(g.prepareMs) : '-').padStart(10)} ${ms(g.ownMs).padStart(10)}${g.id === r.slowest ? '  ← slowest' : ''}`,
      );
    console.log(
      `run ${ms(r.durationMs)} − load fixed ${ms(fixed)} = ${ms(r.durationMs - fixed)}; ÷ ${r.slowest} ${ms(r.slowestMs)} = ${r.ratio.toFixed(2)}×`,
    );
    console.log(
      `outside the runner: ${ms(r.beforeRunMs)} before the run started (Node.js, imports, profile, free port) + ${ms(r.afterRunMs)} after it ended (reports, exit) = ${ms(r.wallMs - r.durationMs)} of ${ms(r.wallMs)} wall`,
    );
  });
  console.log('');
  goal(`total ÷ slowest gate${ROUNDS > 1 ? ' (median)' : ''}`, `${ratio.toFixed(2)}×`, `≤ ${GOAL}×`, ratio <= GOAL);
  if (alone?.ownMs) {
    const a = (median(rounds.map((r) => r.durationMs)) - fixed) / alone.ownMs;
    goal(`total ÷ ${alone.id} run alone (${ms(alone.ownMs)})`, `${a.toFixed(2)}×`, `≤ ${GOAL}×`, a <= GOAL);
  }
  if (OTHER) {
    const line = (label, rs) =>
      console.log(
        `${label.padEnd(12)} run ${ms(median(rs.map((r) => r.durationMs))).padStart(8)} · wall ${ms(median(rs.map((r) => r.wallMs))).padStart(8)} · ratio ${median(rs.map((r) => r.ratio)).toFixed(2)}× · ${rs.map((r) => r.gates.map((g) => `${g.id} ${ms(g.ownMs)}`).join(', ')).join(' | ')}`,
      );
    console.log('');
    console.log(`medians over ${ROUNDS} alternating rounds:`);
    line('this', rounds);
    line(args.compare, others);
  }
  console.log(
    `outside the runner (median): ${ms(median(rounds.map((r) => r.wallMs - r.durationMs)))} (${fmt(median(rounds.map((r) => r.beforeRunMs)))} ms before, ${fmt(median(rounds.map((r) => r.afterRunMs)))} ms after)`,
  );
}
