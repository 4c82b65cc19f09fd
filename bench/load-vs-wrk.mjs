#!/usr/bin/env node
// Benchmark (not a test): one local server, the same connections and duration, driven by
//   1. shipgate's load gate (the built dist/, through runProfile: schema, safety, warm-up, histogram),
//   2. bare autocannon (same options, no listeners) to isolate the cost of our wrapper,
//   3. wrk (/usr/bin/wrk, one thread: a fair match for a single Node.js event loop).
// Prints requests/s and p99 of each, the ratios against wrk and the goals (≥ 0.9× wrk's
// throughput, p99 within ±20 %), plus the CPU each client and the server used, to tell whether the
// client or the server is the bottleneck.
//
//   node bench/load-vs-wrk.mjs [--connections 50] [--duration 5] [--warmup 1] [--rounds 1] [--server-work 0] [--pin] [--json]
// Needs `npx tsc -p .` first (it runs dist/) and wrk on PATH (apt-get install wrk).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  strict: false, // bench/run.mjs passes the same arguments to every benchmark
  options: {
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    // Microseconds of CPU the server burns per request. 0 (a trivial server) measures how fast each
    // client can drive; a few hundred makes the server the bottleneck for every client, which
    // compares what the clients *measure* rather than how fast they are.
    'server-work': { type: 'string', default: '0' },
    // Pin the server to CPU 0 and every client (this process, wrk) to CPU 1 with taskset, so neither
    // client ever shares a core with the server.
    pin: { type: 'boolean', default: false },
  },
});
const C = Number(args.connections);
const D = Number(args.duration);
const W = Number(args.warmup);
const ROUNDS = Number(args.rounds);
const WORK_US = Number(args['server-work']);
const PIN = Boolean(args.pin) && existsSync('/usr/bin/taskset');
if (args.pin && !PIN) console.error('bench/load-vs-wrk: --pin needs /usr/bin/taskset; running unpinned');
if (PIN) execFileSync('/usr/bin/taskset', ['-pc', '1', String(process.pid)], { stdio: 'ignore' });
/** [command, args] for a client process, pinned with the clients when --pin is given. */
const client = (cmd, argv) => (PIN ? ['/usr/bin/taskset', ['-c', '1', cmd, ...argv]] : [cmd, argv]);
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
const workUs = ${WORK_US};
const burn = () => { const until = process.hrtime.bigint() + BigInt(workUs * 1000); while (process.hrtime.bigint() < until); };
const body = JSON.stringify({ items: Array.from({ length: 12 }, (_, i) => ({ id: i + 1, name: 'Product ' + (i + 1) })) });
const server = http.createServer((req, res) => {
  if (workUs) burn();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

function startServer() {
  return new Promise((resolve, reject) => {
    const child = PIN
      ? spawn('/usr/bin/taskset', ['-c', '0', process.execPath, '-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] })
      : spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  const result = await runProfile({
    loaded: parseProfile(yaml, 'bench.yaml', {}),
    gates: ['load'],
    failOn: 'fail',
    reporter: { name: 'none' },
    artifactsDir: mkdtempSync(join(tmpdir(), 'shipgate-bench-')),
    version: 'bench',
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const summary = result.gates[0].checks.find((c) => c.id === 'load.summary.products');
  if (!summary)
    throw new Error(
      `the load gate gave no summary: ${JSON.stringify(result.gates[0].checks.map((c) => `${c.id}=${c.status}: ${c.message}`))}`,
    );
  const m = summary.metrics;
  const warmed = result.gates[0].checks.find((c) => c.id === 'load.run')?.metrics?.warmupRequests ?? 0;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // Client CPU over the whole gate (warm-up included): share of one core, and per request sent.
  return {
    rps: m.rps,
    p99: m.p99Ms,
    p50: m.p50Ms,
    requests: m.responses,
    errors: m.errors,
    seconds: m.seconds,
    clientCpu: cpuSeconds / wall,
    cpuPerRequestUs: (cpuSeconds * 1e6) / (m.responses + warmed),
  };
}

async function viaAutocannon(url) {
  const { default: autocannon } = await import('autocannon');
  const run = (duration) =>
    new Promise((resolve, reject) => autocannon({ url, connections: C, duration }, (err, r) => (err ? reject(err) : resolve(r))));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const warmed = W ? (await run(W)).requests.total : 0;
  const r = await run(D);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // autocannon's own numbers: total/duration for rps (like wrk), its p99 in whole milliseconds.
  return {
    rps: r.requests.total / r.duration,
    p99: r.latency.p99,
    p50: r.latency.p50,
    requests: r.requests.total,
    errors: r.errors + r.non2xx,
    seconds: r.duration,
    clientCpu: cpuSeconds / wall,
    cpuPerRequestUs: (cpuSeconds * 1e6) / (r.requests.total + warmed),
  };
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
  return { rps, p99, p50, requests, errors, seconds, clientCpu: NaN, cpuPerRequestUs: NaN };
}

// wrk's CPU comes from /usr/bin/time on stderr; execFileSync only gives stdout, so run it by hand.
async function viaWrkTimed(url) {
  if (W) execFileSync(...client(WRK, ['-t1', `-c${C}`, `-d${W}s`, url]), { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/usr/bin/time',
      ['-f', 'CPU %U %S %e', ...[client(WRK, ['-t1', `-c${C}`, `-d${D}s`, '--latency', url])].flatMap(([c, a]) => [c, ...a])],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('exit', () => {
      const r = parseWrk(out);
      const t = /CPU ([\d.]+) ([\d.]+) ([\d.]+)/.exec(err);
      if (t) {
        r.clientCpu = (Number(t[1]) + Number(t[2])) / Number(t[3]);
        r.cpuPerRequestUs = ((Number(t[1]) + Number(t[2])) * 1e6) / r.requests;
      }
      resolve(r);
    });
  });
}

const fmt = (x, d = 0) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-';
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

// Load every module first, so the first round does not pay for imports and the others do not skip them.
await import(join(dist, 'profile', 'load.js'));
await import(join(dist, 'runner', 'run.js'));
await import(join(ROOT, 'dist', 'checks', 'load', 'index.js'));
await import('autocannon');

const server = await startServer();
const rounds = [];
try {
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate the order so neither client always runs on a warmer server.
    const order = i % 2 === 0 ? ['shipgate', 'autocannon', 'wrk'] : ['wrk', 'autocannon', 'shipgate'];
    const round = {};
    for (const who of order) {
      round[who] = await measure(server, () =>
        who === 'shipgate' ? viaShipgate(server.url) : who === 'autocannon' ? viaAutocannon(server.url) : viaWrkTimed(server.url),
      );
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
  console.log(
    JSON.stringify(
      {
        machine,
        connections: C,
        duration: D,
        warmup: W,
        serverWorkUs: WORK_US,
        pinned: PIN,
        rounds,
        rpsRatio,
        p99Ratio,
        bareRatio,
      },
      null,
      2,
    ),
  );
} else {
  console.log(
    `load-vs-wrk · ${C} connections · ${D}s measured (+${W}s warm-up, not counted) · ${ROUNDS} round${ROUNDS > 1 ? 's' : ''} (medians) · server ${WORK_US ? `burns ${WORK_US} µs CPU per request` : 'trivial (JSON list)'}${PIN ? ' · pinned: server CPU 0, clients CPU 1' : ''}`,
  );
  console.log(
    `machine: ${machine.nproc} × ${machine.cpu} · node ${machine.node} · ${machine.wrk} · load average before: ${machine.loadavg}`,
  );
  console.log('');
  const CLIENTS = [
    ['shipgate', 'shipgate load gate'],
    ['autocannon', 'autocannon (bare)'],
    ['wrk', 'wrk -t1'],
  ];
  const head = 'client                 req/s       p50       p99   requests  errors  client CPU  µs CPU/req  server CPU';
  const row = (label, get) =>
    `${label.padEnd(18)} ${fmt(get('rps')).padStart(9)} ${`${fmt(get('p50'), 2)}ms`.padStart(9)} ${`${fmt(get('p99'), 2)}ms`.padStart(9)} ${fmt(get('requests')).padStart(10)} ${fmt(get('errors')).padStart(7)} ${pct(get('clientCpu')).padStart(11)} ${fmt(get('cpuPerRequestUs'), 1).padStart(11)} ${pct(get('serverCpu')).padStart(11)}`;
  if (ROUNDS > 1) {
    rounds.forEach((r, i) => {
      console.log(`round ${i + 1}`);
      console.log(head);
      for (const [who, label] of CLIENTS) console.log(row(label, (k) => r[who][k]));
      console.log(
        `shipgate / wrk: ${(r.shipgate.rps / r.wrk.rps).toFixed(2)}× requests/s, ${(r.shipgate.p99 / r.wrk.p99).toFixed(2)}× p99`,
      );
      console.log('');
    });
    console.log('medians');
  }
  console.log(head);
  for (const [who, label] of CLIENTS) console.log(row(label, (k) => agg(who, k)));
  console.log('');
  const okRps = rpsRatio >= 0.9;
  const okP99 = p99Ratio >= 0.8 && p99Ratio <= 1.2;
  console.log(`requests/s  shipgate / wrk = ${rpsRatio.toFixed(2)}×  (goal ≥ 0.90×) ${okRps ? 'met' : 'NOT met'}`);
  console.log(`p99         shipgate / wrk = ${p99Ratio.toFixed(2)}×  (goal 0.80–1.20×) ${okP99 ? 'met' : 'NOT met'}`);
  console.log(
    `wrapper     shipgate / bare autocannon = ${bareRatio.toFixed(2)}× requests/s, ${(agg('shipgate', 'cpuPerRequestUs') / agg('autocannon', 'cpuPerRequestUs')).toFixed(2)}× client CPU per request`,
  );
  console.log(
    `client     autocannon / wrk = ${(agg('autocannon', 'cpuPerRequestUs') / agg('wrk', 'cpuPerRequestUs')).toFixed(2)}× client CPU per request`,
  );
}
