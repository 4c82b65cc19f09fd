#!/usr/bin/env node
// Benchmark (not a test): peak memory of a full demo run. The goal (≤ 150 MB) is for the shipgate
// process itself: its own peak resident set (VmHWM, as the kernel counts it), read from
// /proc/<pid>/status every 50 ms while `shipgate demo` runs (the kernel keeps the high-water mark, so a
// sample misses at most the last 50 ms). Chromium's processes and the managed demo target are separate
// processes and do not count; their peaks are printed beside it for the whole picture, as is the
// process's own getrusage maxRSS (written at exit through a --import hook, the exact peak).
//
//   node bench/memory.mjs [--rounds 1] [--json]
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, fmt, goal, machineLine, median, requireDist, run } from './lib/common.mjs';

const { values: args } = parseArgs({
  strict: false,
  options: { rounds: { type: 'string', default: '1' }, json: { type: 'boolean', default: false } },
});
requireDist('memory.mjs');
const ROUNDS = Math.max(1, Number(args.rounds) || 1);
const GOAL_MB = 150;

function status(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rss: kb('VmRSS'), hwm: kb('VmHWM'), ppid: Number(/^PPid:\s+(\d+)/m.exec(text)?.[1]) };
  } catch {
    return undefined;
  }
}

function comm(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Live descendants of pid: pid → parent. */
function descendants(root) {
  const parent = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = status(Number(name));
    if (s) parent.set(Number(name), s.ppid);
  }
  const out = [];
  const walk = (pid) => {
    for (const [child, p] of parent) if (p === pid) (out.push(child), walk(child));
  };
  walk(root);
  return out;
}

async function once() {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-memory-'));
  const hook = join(dir, 'maxrss.mjs');
  const out = join(dir, 'maxrss.txt');
  writeFileSync(
    hook,
    `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  let hwm = 0;
  // Other processes: the peak of the sum of their current RSS, per kind.
  const peaks = { chromium: 0, demo: 0, other: 0 };
  let timer;
  const r = await run(process.execPath, ['--import', hook, CLI, 'demo', '-q'], {
    onSpawn(child) {
      timer = setInterval(() => {
        const s = status(child.pid);
        if (s) hwm = Math.max(hwm, s.hwm);
        const sums = { chromium: 0, demo: 0, other: 0 };
        for (const pid of descendants(child.pid)) {
          const cmd = comm(pid);
          const kind = /chrom/i.test(cmd) ? 'chromium' : /demo\/main\.js/.test(cmd) ? 'demo' : 'other';
          sums[kind] += status(pid)?.rss ?? 0;
        }
        for (const k of Object.keys(sums)) peaks[k] = Math.max(peaks[k], sums[k]);
      }, 50);
    },
  });
  clearInterval(timer);
  let maxRss;
  try {
    maxRss = Number(readFileSync(out, 'utf8'));
  } catch {
    maxRss = NaN;
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    exitCode: r.code,
    wallMs: r.wallMs,
    hwmMb: hwm / 1024,
    maxRssMb: maxRss / 1024,
    chromiumMb: peaks.chromium / 1024,
    demoMb: peaks.demo / 1024,
    otherMb: peaks.other / 1024,
  };
}

const rounds = [];
for (let i = 0; i < ROUNDS; i++) rounds.push(await once());
const peak = median(rounds.map((r) => Math.max(r.hwmMb, Number.isFinite(r.maxRssMb) ? r.maxRssMb : 0)));
if (args.json) {
  console.log(JSON.stringify({ rounds, peakMb: peak }, null, 2));
} else {
  console.log(
    `memory · shipgate demo (all six gates) · ${ROUNDS} round${ROUNDS > 1 ? 's' : ''} · peak resident set of the shipgate process only`,
  );
  console.log(machineLine());
  console.log('');
  console.log('round  exit   shipgate VmHWM   maxRSS (exit)   │ not counted: Chromium (sum)   demo target   other children');
  rounds.forEach((r, i) =>
    console.log(
      `${String(i + 1).padStart(5)} ${String(r.exitCode).padStart(5)} ${`${fmt(r.hwmMb, 1)} MB`.padStart(16)} ${`${fmt(r.maxRssMb, 1)} MB`.padStart(15)}   │ ${`${fmt(r.chromiumMb, 1)} MB`.padStart(27)} ${`${fmt(r.demoMb, 1)} MB`.padStart(13)} ${`${fmt(r.otherMb, 1)} MB`.padStart(16)}`,
    ),
  );
  console.log('');
  goal(
    `peak RSS of the shipgate process${ROUNDS > 1 ? ' (median)' : ''}`,
    `${fmt(peak, 1)} MB`,
    `≤ ${GOAL_MB} MB`,
    peak <= GOAL_MB,
  );
}
