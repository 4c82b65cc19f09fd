#!/usr/bin/env node
// Benchmark (not a test): one local server, the same connections and duration, driven by
//   1. shipgate's load gate (the built dist/, through runProfile: schema, safety, warm-up, histogram),
//   2. bare autocannon (same options, no listeners) to isolate the cost of our wrapper,
//   3. wrk (/usr/bin/wrk, one thread: a fair match for a single Node.js event loop).
// Prints requests/s and p99 of each, the ratios against wrk and the goals (≥ 0.9× wrk's
// throughput, p99 within ±20 %), plus the CPU each client and the server used, to tell whether the
// client or the server is the bottleneck.
//
//   node bench/load-vs-wrk.mjs [--connections 50] [--duration 5] [--warmup 1] [--rounds 1] [--json]
// Needs `npx tsc -p .` first (it runs dist/) and wrk on PATH (apt-get install wrk).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const C = Number(args.connections);
const D = Number(args.duration);
const W = Number(args.warmup);
const ROUNDS = Number(args.rounds);
const CLK_TCK = 100;

const dist = join(ROOT, 'dist', 'src');
if (!existsSync(join(dist, 'runner', 'run.js'))) {
  console.error('bench/load-vs-wrk: dist/ is missing; run `npx tsc -p .` first');
  process.exit(2);
}
const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => existsSync(p));
if (!WRK) {
  console.error('bench/load-vs-wrk: wrk not found; apt-get install wrk');
  process.exit(2);
}

// The server: a separate process, so it never shares an event loop with a client.
const SERVER = `
const http = require('node:http');
const body = JSON.stringify({ items: Array.from({ length: 12 }, (_, i) => ({ id: i + 1, name: 'Product ' + (i + 1) })) });
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.stdout.once('data', (d) => resolve({ child, url: `http://127.0.0.1:${String(d).trim()}/api/products` }));
  });
}

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

async function measure(server, fn) {
  const before = cpuOf(server.child.pid);
  const r = await fn();
  return { ...r, serverCpu: (cpuOf(server.child.pid) - before) / r.seconds };
}

async function viaShipgate(url) {
  const { parseProfile } = await import(join(dist, 'profile', 'load.js'));
  const { runProfile } = await import(join(dist, 'runner', 'run.js'));
  const yaml = `name: bench
target:
  baseUrl: ${new URL(url).origin}
timeouts:
  gate: ${D + W + 60}s
gates:
  load:
    endpoints: [{name: products, path: ${new URL(url).pathname}}]
    connections: ${C}
    warmup: ${W}s
    duration: ${D}s
`;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await runProfile({ loaded: parseProfile(yaml, 'bench.yaml', {}), gates: ['load'], failOn: 'fail', reporter: { name: 'none' }, artifactsDir: mkdtempSync(join(tmpdir(), 'shipgate-bench-')), version: 'bench' });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const summary = result.gates[0].checks.find((c) => c.id === 'load.summary.products');
  if (!summary) throw new Error(`the load gate gave no summary: ${JSON.stringify(result.gates[0].checks.map((c) => `${c.id}=${c.status}: ${c.message}`))}`);
  const m = summary.metrics;
  // Client CPU over the whole gate (warm-up included), as a share of one core.
  return { rps: m.rps, p99: m.p99Ms, p50: m.p50Ms, requests: m.responses, errors: m.errors, seconds: m.seconds, clientCpu: (cpu.user + cpu.system) / 1e6 / wall };
}

async function viaAutocannon(url) {
  const { default: autocannon } = await import('autocannon');
  const run = (duration) => new Promise((resolve, reject) => autocannon({ url, connections: C, duration }, (err, r) => (err ? reject(err) : resolve(r))));
  if (W) await run(W);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await run(D);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // autocannon's own numbers: total/duration for rps (like wrk), its p99 in whole milliseconds.
  return { rps: r.requests.total / r.duration, p99: r.latency.p99, p50: r.latency.p50, requests: r.requests.total, errors: r.errors + r.non2xx, seconds: r.duration, clientCpu: (cpu.user + cpu.system) / 1e6 / wall };
}

function parseWrkDuration(text) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000, m: 60000 }[m[2]];
}

function parseWrk(out) {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p99 = parseWrkDuration(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? '');
  const p50 = parseWrkDuration(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? '');
  const requests = Number(/(\d+) requests in ([\d.]+)(\w+)/.exec(out)?.[1]);
  const seconds = parseWrkDuration(`${/\d+ requests in ([\d.]+\w+)/.exec(out)?.[1]}`) / 1000;
  const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return { rps, p99, p50, requests, errors, seconds, clientCpu: NaN };
}

// wrk's CPU comes from /usr/bin/time on stderr; execFileSync only gives stdout, so run it by hand.
async function viaWrkTimed(url) {
  if (W) execFileSync(WRK, ['-t1', `-c${C}`, `-d${W}s`, url], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'CPU %U %S %e', WRK, '-t1', `-c${C}`, `-d${D}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('exit', () => {
      const r = parseWrk(out);
      const t = /CPU ([\d.]+) ([\d.]+) ([\d.]+)/.exec(err);
      if (t) r.clientCpu = (Number(t[1]) + Number(t[2])) / Number(t[3]);
      resolve(r);
    });
  });
}

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-');
const pct = (x) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : '-');

const machine = {
  nproc: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  wrk: (() => {
    try {
      return execFileSync(WRK, ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0];
    } catch (e) {
      return String(e.stdout ?? '').split('\n')[0] || 'wrk';
    }
  })(),
  loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
};

const server = await startServer();
const rounds = [];
try {
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate the order so neither client always runs on a warmer server.
    const order = i % 2 === 0 ? ['shipgate', 'autocannon', 'wrk'] : ['wrk', 'autocannon', 'shipgate'];
    const round = {};
    for (const who of order) {
      round[who] = await measure(server, () => (who === 'shipgate' ? viaShipgate(server.url) : who === 'autocannon' ? viaAutocannon(server.url) : viaWrkTimed(server.url)));
    }
    rounds.push(round);
  }
} finally {
  server.child.kill('SIGTERM');
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const agg = (who, key) => median(rounds.map((r) => r[who][key]));
const rpsRatio = agg('shipgate', 'rps') / agg('wrk', 'rps');
const p99Ratio = agg('shipgate', 'p99') / agg('wrk', 'p99');
const bareRatio = agg('shipgate', 'rps') / agg('autocannon', 'rps');

if (args.json) {
  console.log(JSON.stringify({ machine, connections: C, duration: D, warmup: W, rounds, rpsRatio, p99Ratio, bareRatio }, null, 2));
} else {
  console.log(`load-vs-wrk · ${C} connections · ${D}s measured (+${W}s warm-up, not counted) · ${ROUNDS} round${ROUNDS > 1 ? 's' : ''} (medians)`);
  console.log(`machine: ${machine.nproc} × ${machine.cpu} · node ${machine.node} · ${machine.wrk} · load average before: ${machine.loadavg}`);
  console.log('');
  console.log('client                 req/s      p50      p99   requests  errors  client CPU  server CPU');
  for (const [who, label] of [['shipgate', 'shipgate load gate'], ['autocannon', 'autocannon (bare)'], ['wrk', 'wrk -t1']]) {
    console.log(`${label.padEnd(18)} ${fmt(agg(who, 'rps')).padStart(9)} ${`${fmt(agg(who, 'p50'), 2)}ms`.padStart(8)} ${`${fmt(agg(who, 'p99'), 2)}ms`.padStart(8)} ${fmt(agg(who, 'requests')).padStart(10)} ${fmt(agg(who, 'errors')).padStart(7)} ${pct(agg(who, 'clientCpu')).padStart(11)} ${pct(agg(who, 'serverCpu')).padStart(11)}`);
  }
  console.log('');
  const okRps = rpsRatio >= 0.9;
  const okP99 = p99Ratio >= 0.8 && p99Ratio <= 1.2;
  console.log(`requests/s  shipgate / wrk = ${rpsRatio.toFixed(2)}×  (goal ≥ 0.90×) ${okRps ? 'met' : 'NOT met'}`);
  console.log(`p99         shipgate / wrk = ${p99Ratio.toFixed(2)}×  (goal 0.80–1.20×) ${okP99 ? 'met' : 'NOT met'}`);
  console.log(`wrapper     shipgate / bare autocannon = ${bareRatio.toFixed(2)}× requests/s`);
}
