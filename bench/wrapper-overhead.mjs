#!/usr/bin/env node
// Benchmark (not a test): what does shipgate add per request on top of bare autocannon? Runs the
// same autocannon load against one local server with and without the load gate's per-response
// recorder (the `response` listener feeding the latency histogram) and the 100 ms sample interval,
// in alternation, and prints the client CPU per request of each. Needs `npx tsc -p .` first.
//   node bench/wrapper-overhead.mjs [--connections 20] [--duration 3] [--rounds 4]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  strict: false,
  options: {
    connections: { type: 'string', default: '20' },
    duration: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '4' },
  },
});
const statsModule = join(ROOT, 'dist', 'checks', 'load', 'stats.js');
if (!existsSync(statsModule)) {
  console.error('bench/wrapper-overhead: dist/ is missing; run `npx tsc -p .` first');
  process.exit(2);
}
const { EndpointRecorder } = await import(statsModule);
const { default: autocannon } = await import('autocannon');

const SERVER = `const http = require('node:http');
const body = JSON.stringify({ items: Array.from({ length: 12 }, (_, i) => ({ id: i + 1, name: 'Product ' + (i + 1) })) });
const s = http.createServer((q, r) => { r.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); r.end(body); });
s.keepAliveTimeout = 30000;
s.listen(0, '127.0.0.1', () => process.stdout.write(s.address().port + '\\n'));`;
const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((r) => child.stdout.once('data', (d) => r(String(d).trim())));
const url = `http://127.0.0.1:${port}/`;

const VARIANTS = {
  'bare autocannon': { listen: false, sampleInt: 1000 },
  '+ 100 ms samples': { listen: false, sampleInt: 100 },
  '+ recorder': { listen: true, sampleInt: 1000 },
  'as the gate runs it': { listen: true, sampleInt: 100 },
};

function run({ listen, sampleInt }, duration) {
  return new Promise((resolve, reject) => {
    const recorder = new EndpointRecorder();
    const instance = autocannon({ url, connections: Number(args.connections), duration, sampleInt }, (err, r) =>
      err ? reject(err) : resolve(r),
    );
    if (listen) {
      instance.on('response', (_client, status, _bytes, ms) => recorder.onResponse(status, ms));
      instance.on('reqError', () => recorder.onError(false));
    }
  });
}

try {
  await run(VARIANTS['bare autocannon'], 1); // warm the JIT and the server
  const samples = Object.fromEntries(Object.keys(VARIANTS).map((k) => [k, []]));
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const [name, v] of Object.entries(VARIANTS)) {
      const cpu0 = process.cpuUsage();
      const r = await run(v, Number(args.duration));
      const cpu = process.cpuUsage(cpu0);
      samples[name].push({ us: (cpu.user + cpu.system) / r.requests.total, rps: r.requests.total / r.duration });
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`wrapper-overhead · ${args.connections} connections · ${args.duration}s × ${args.rounds} rounds, alternating`);
  console.log('variant                 µs CPU/request (each round)          median   req/s median');
  const base = median(samples['bare autocannon'].map((s) => s.us));
  for (const [name, xs] of Object.entries(samples)) {
    const us = median(xs.map((s) => s.us));
    console.log(
      `${name.padEnd(22)}  ${xs
        .map((s) => s.us.toFixed(1).padStart(6))
        .join(' ')
        .padEnd(35)} ${us.toFixed(1).padStart(6)} ${(us / base).toFixed(2)}×  ${Math.round(median(xs.map((s) => s.rps)))
        .toLocaleString('en-US')
        .padStart(8)}`,
    );
  }
} finally {
  child.kill('SIGTERM');
}
