#!/usr/bin/env node
// Benchmark (not a test): does the security gate's cost grow with the target's latency or with the
// number of paths? A local target (a separate process) answers every request after 10 ms; the gate
// (the built dist/, through runProfile) audits 1, 10, 100, 200 and 1,000 paths. Goal: 200 paths take
// ≤ 2× the time of one path. Prints requests, time, requests/s and the ratio against one path, and the
// largest number of requests the target saw in flight at once (the concurrency actually reached).
//
//   node bench/scale.mjs [--latency 10] [--paths 1,10,100,200,1000] [--rounds 3] [--concurrency N] [--json]
// --concurrency sets gates.security.concurrency (default: the gate's own default).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DIST, fmt, goal, machineLine, median, ms, requireDist } from './lib/common.mjs';

const { values: args } = parseArgs({
  strict: false,
  options: {
    latency: { type: 'string', default: '10' },
    paths: { type: 'string', default: '1,10,100,200,1000' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
requireDist('scale.mjs');
const LATENCY = Number(args.latency);
const SIZES = String(args.paths)
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const ROUNDS = Math.max(1, Number(args.rounds) || 3);
const GOAL = 2;
// The peer gets the gate's concurrency: the one asked for, else the schema's default.
const { securitySchema } = await import(join(DIST, 'checks', 'security', 'schema.js'));
const CONCURRENCY = Number(args.concurrency ?? securitySchema.parse({}).concurrency);

// The target: every answer after LATENCY ms (a timer, not CPU, so it serves any number at once), with
// strict headers and CORS for one origin; 404 as JSON for the not-found probe. It reports the peak number
// of requests in flight since the last GET /__peak.
const SERVER = `
const http = require('node:http');
const LATENCY = ${LATENCY};
let inFlight = 0, peak = 0, count = 0;
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'vary': 'Origin',
};
const server = http.createServer((req, res) => {
  if (req.url === '/__peak') { const p = { peak, count }; peak = 0; count = 0; res.end(JSON.stringify(p)); return; }
  inFlight++; count++; if (inFlight > peak) peak = inFlight;
  setTimeout(() => {
    inFlight--;
    const h = { ...headers, 'x-request-id': req.headers['x-request-id'] || 'r' + count };
    if (req.headers.origin === 'https://app.example.com') { h['access-control-allow-origin'] = req.headers.origin; h['access-control-allow-credentials'] = 'true'; }
    if (req.method === 'OPTIONS') { if (h['access-control-allow-origin']) { h['access-control-allow-methods'] = 'GET, POST, PUT'; h['access-control-allow-headers'] = 'content-type'; } res.writeHead(204, h); res.end(); return; }
    if (req.url.startsWith('/no-such')) { res.writeHead(404, h); res.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, requestId: h['x-request-id'] })); return; }
    if (req.method === 'POST') { res.writeHead(400, h); res.end(JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, requestId: h['x-request-id'] })); return; }
    res.writeHead(200, h); res.end('{"ok":true}');
  }, LATENCY);
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
  child.once('error', reject);
  child.stdout.once('data', (d) => resolve(String(d).trim()));
});
const origin = `http://127.0.0.1:${port}`;
const peak = async () => (await fetch(`${origin}/__peak`)).json();

const { parseProfile } = await import(join(DIST, 'src', 'profile', 'load.js'));
const { runProfile } = await import(join(DIST, 'src', 'runner', 'run.js'));
const artifactsDir = mkdtempSync(join(tmpdir(), 'shipgate-bench-scale-'));

async function audit(n) {
  const paths = Array.from({ length: n }, (_, i) => `/p/${i + 1}`);
  const yaml = `name: scale
target: { baseUrl: ${origin} }
timeouts: { gate: 10m, run: 15m }
gates:
  security:
    paths: [${paths.join(', ')}]
${args.concurrency ? `    concurrency: ${Number(args.concurrency)}\n` : ''}    cors:
      allowedOrigins: [https://app.example.com]
      credentials: true
    errors:
      notFoundPath: /no-such-route
      apiPath: /api
`;
  await peak();
  const cpu0 = process.cpuUsage();
  const result = await runProfile({
    loaded: parseProfile(yaml, 'scale.yaml', {}),
    gates: ['security'],
    failOn: 'fail',
    reporter: { name: 'none' },
    artifactsDir,
    version: 'bench',
  });
  const gate = result.gates[0];
  const cpu = process.cpuUsage(cpu0);
  const seen = await peak();
  const internal = gate.checks.find((c) => c.id.endsWith('.internal') || c.id.endsWith('.deadline'));
  if (internal) throw new Error(`${internal.id}: ${internal.message}`);
  // The gate runs in this process: its CPU (profile parsing and runner included) is this process's CPU.
  return { paths: n, ms: gate.durationMs, requests: seen.count, peakInFlight: seen.peak, cpuMs: (cpu.user + cpu.system) / 1000 };
}

// The peer: the same number of GETs through bare undici (a fresh pool, the same concurrency), nothing
// judged. What the gate takes beyond it is the gate's own cost; what it takes is the transport's.
const { Agent, request } = await import('undici');
async function bareUndici(requests, concurrency) {
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 4_000 });
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      const i = next++;
      const res = await request(`${origin}/p/${i + 1}`, { dispatcher: agent });
      await res.body.text();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  const elapsed = performance.now() - t0;
  await agent.close();
  return elapsed;
}

const rows = [];
try {
  await audit(1); // warm-up: the first run in a process pays for loading and compiling the gate
  for (const n of SIZES) {
    const rounds = [];
    // Large sizes take long enough to measure once; small ones are noisy: take the median.
    const k = n >= 500 ? 1 : ROUNDS;
    const peers = [];
    for (let i = 0; i < k; i++) {
      rounds.push(await audit(n));
      await peak();
      peers.push(await bareUndici(rounds[0].requests, CONCURRENCY));
    }
    rows.push({
      undiciMs: median(peers),
      paths: n,
      ms: median(rounds.map((r) => r.ms)),
      requests: rounds[0].requests,
      peakInFlight: Math.max(...rounds.map((r) => r.peakInFlight)),
      rounds: rounds.map((r) => Math.round(r.ms)),
      cpuMs: median(rounds.map((r) => r.cpuMs)),
    });
  }
} finally {
  child.kill('SIGTERM');
}

const one = rows.find((r) => r.paths === 1);
const two = rows.find((r) => r.paths === 200);
if (args.json) {
  console.log(JSON.stringify({ latencyMs: LATENCY, rows, ratio: two && one ? two.ms / one.ms : undefined }, null, 2));
} else {
  console.log(
    `scale · security gate against a local target answering after ${LATENCY} ms · concurrency ${CONCURRENCY}${args.concurrency ? '' : ' (default)'} · median of ${ROUNDS} (1 run from 500 paths)`,
  );
  console.log(machineLine());
  console.log('');
  console.log(
    'paths   requests        time   requests/s   peak in flight   client CPU   µs CPU/req   bare undici   gate ÷ undici   × 1 path   rounds (ms)',
  );
  for (const r of rows)
    console.log(
      `${fmt(r.paths).padStart(5)} ${fmt(r.requests).padStart(10)} ${ms(r.ms).padStart(11)} ${fmt((r.requests * 1000) / r.ms).padStart(12)} ${fmt(r.peakInFlight).padStart(16)} ${ms(r.cpuMs).padStart(12)} ${fmt((r.cpuMs * 1000) / r.requests).padStart(12)} ${ms(r.undiciMs).padStart(13)} ${`${(r.ms / r.undiciMs).toFixed(2)}×`.padStart(15)} ${one ? `${(r.ms / one.ms).toFixed(1)}×`.padStart(10) : ''}   ${r.rounds.join(' ')}`,
    );
  console.log('');
  if (one && two) goal('200 paths ÷ 1 path', `${(two.ms / one.ms).toFixed(2)}×`, `≤ ${GOAL}×`, two.ms / one.ms <= GOAL);
  if (one && two)
    console.log(
      `the transport alone (bare undici, the same requests): 200 paths ÷ 1 path = ${(two.undiciMs / one.undiciMs).toFixed(2)}×`,
    );
  if (one)
    console.log(
      `floor: one path is ${fmt(one.requests)} requests (a GET, CORS probes for every origin, 2 error probes); each further path under an already probed prefix adds one GET, so n paths cost about n/c round trips of ${LATENCY} ms with c in flight, or n × the client CPU per request when that is larger`,
    );
}
