// Shared helpers of the benchmarks in bench/ (this folder is not run by bench/run.mjs: only bench/*.mjs).
// Benchmarks print measurements and ratios against their goals; they never fail on a timing (exit 0),
// only when they could not measure (exit 2).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = join(ROOT, 'dist');
export const CLI = join(DIST, 'src', 'cli.js');

/** Exits 2 with a hint when dist/ was not built. */
export function requireDist(bench) {
  if (!existsSync(CLI)) {
    console.error(`bench/${bench}: dist/ is missing; run \`npx tsc -p .\` first`);
    process.exit(2);
  }
}

export function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

export function machine() {
  return { nproc: cpus().length, cpu: cpus()[0]?.model?.trim() ?? 'unknown', node: process.version, loadavg: loadAverage() };
}

export function machineLine() {
  const m = machine();
  return `machine: ${m.nproc} × ${m.cpu} · node ${m.node} · load average ${m.loadavg} (shared machine: other people's work runs too)`;
}

export function median(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export const fmt = (x, d = 0) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-';
export const ms = (x) => (Number.isFinite(x) ? (x >= 1000 ? `${fmt(x / 1000, 2)} s` : `${fmt(x, x < 10 ? 1 : 0)} ms`) : '-');

/** One line: "<label> = <value>  (goal <goal>) met | NOT met". */
export function goal(label, value, goalText, ok) {
  const line = `${label} = ${value}  (goal ${goalText}) ${ok ? 'met' : 'NOT met'}`;
  console.log(line);
  return ok;
}

/**
 * Spawns a command and waits for it: wall time (spawn → exit), exit code, output. `onSpawn(child)` runs
 * right after spawning (e.g. to sample /proc/<pid>).
 */
export function run(cmd, args, { env, cwd = ROOT, onSpawn, input } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const startedEpoch = Date.now();
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (input !== undefined) child.stdin.end(input);
    child.once('error', reject);
    onSpawn?.(child);
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - t0, startedEpoch, exitedEpoch: Date.now() }),
    );
  });
}

/** CPU seconds (user + system) a live process has used, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
