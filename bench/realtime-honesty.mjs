#!/usr/bin/env node
// Benchmark (not a test): does the realtime gate measure what happens? The demo target with
// --flaws realtime-slow delays every broadcast by exactly 3 s; the gate's measured p50 (the JSON report's
// realtime.latency metrics) must be within 25 ms of 3 s. Runs `shipgate demo --flaws realtime-slow
// --gates realtime` (the realtime gate alone against the managed demo target; its verdict is a fail,
// as it should be: p95 < 1s is not met) and prints every round.
// A control run without the flaw (the same gate, same machine, right after) measures what propagation
// itself takes here (A's click → POST → server → SSE → B's DOM); the slow run should measure that plus
// 3 s, so "slow p50 − 3 s − control p50" is the gate's own measurement error, apart from the machine.
//
//   node bench/realtime-honesty.mjs [--rounds 1] [--no-control] [--json]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, fmt, goal, machineLine, median, requireDist, run } from './lib/common.mjs';

const { values: args } = parseArgs({
  strict: false,
  options: { rounds: { type: 'string', default: '1' }, json: { type: 'boolean', default: false } },
});
requireDist('realtime-honesty.mjs');
const ROUNDS = Math.max(1, Number(args.rounds) || 1);
const INJECTED_MS = 3000;
const TOLERANCE_MS = 25;

async function once(flaws = ['realtime-slow']) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-realtime-'));
  const report = join(dir, 'run.json');
  try {
    const r = await run(process.execPath, [
      CLI,
      'demo',
      '-q',
      ...(flaws.length ? ['--flaws', flaws.join(',')] : []),
      '--gates',
      'realtime',
      '-r',
      `json=${report}`,
    ]);
    const result = JSON.parse(readFileSync(report, 'utf8'));
    const checks = result.gates.find((g) => g.id === 'realtime')?.checks ?? [];
    const latency = checks.find((c) => c.id === 'realtime.latency');
    const sync = checks.find((c) => c.id === 'realtime.sync');
    if (!latency?.metrics?.p50Ms)
      throw new Error(
        `no realtime.latency metrics (exit ${r.code}): ${checks.map((c) => `${c.id} ${c.status}: ${c.message}`).join('; ')}`,
      );
    const rounds = latency.evidence?.details?.rounds ?? sync?.evidence?.details?.rounds;
    return {
      exitCode: r.code,
      p50Ms: latency.metrics.p50Ms,
      p95Ms: latency.metrics.p95Ms,
      minMs: latency.metrics.minMs,
      maxMs: latency.metrics.maxMs,
      rounds: latency.metrics.rounds,
      detail: rounds,
      message: latency.message,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const runs = [];
const controls = [];
for (let i = 0; i < ROUNDS; i++) {
  runs.push(await once());
  if (!args['no-control']) controls.push(await once([])); // Node 20's parseArgs has no --no-* options
}
const p50 = median(runs.map((r) => r.p50Ms));
const off = p50 - INJECTED_MS;
const control = median(controls.map((r) => r.p50Ms));
if (args.json) {
  console.log(
    JSON.stringify(
      { injectedMs: INJECTED_MS, runs, controls, p50Ms: p50, offByMs: off, controlP50Ms: control, errorMs: off - control },
      null,
      2,
    ),
  );
} else {
  console.log(
    `realtime-honesty · shipgate demo --flaws realtime-slow --gates realtime (every broadcast delayed ${fmt(INJECTED_MS)} ms) · ${ROUNDS} run${ROUNDS > 1 ? 's' : ''}`,
  );
  console.log(machineLine());
  console.log('');
  runs.forEach((r, i) =>
    console.log(
      `run ${i + 1} (exit ${r.exitCode}): ${r.rounds} rounds · min ${fmt(r.minMs, 1)} ms · p50 ${fmt(r.p50Ms, 1)} ms · p95 ${fmt(r.p95Ms, 1)} ms · max ${fmt(r.maxMs, 1)} ms${r.detail ? ` · rounds: ${JSON.stringify(r.detail)}` : ''}`,
    ),
  );
  console.log('');
  controls.forEach((r, i) =>
    console.log(
      `control ${i + 1} (no flaw, exit ${r.exitCode}): ${r.rounds} rounds · min ${fmt(r.minMs, 1)} ms · p50 ${fmt(r.p50Ms, 1)} ms · p95 ${fmt(r.p95Ms, 1)} ms · max ${fmt(r.maxMs, 1)} ms`,
    ),
  );
  console.log('');
  goal(
    `measured p50 − injected 3 s${ROUNDS > 1 ? ' (median)' : ''}`,
    `${off >= 0 ? '+' : ''}${fmt(off, 1)} ms`,
    `within ±${TOLERANCE_MS} ms`,
    Math.abs(off) <= TOLERANCE_MS,
  );
  if (controls.length)
    console.log(
      `of which propagation on this machine (control p50, no flaw): ${fmt(control, 1)} ms; the gate's own error (slow p50 − 3 s − control p50): ${off - control >= 0 ? '+' : ''}${fmt(off - control, 1)} ms`,
    );
}
