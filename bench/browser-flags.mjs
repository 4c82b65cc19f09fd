#!/usr/bin/env node
// Measures shipgate's launch flags (src/browser/launch-flags.ts) against @sparticuz/chromium's serverless
// defaults, on the browser shipgate finds: launch time, then two contexts with a page each, loaded from a
// local server, as the realtime gate opens them. Median of N runs.
// Needs `npm run build`. Usage: node bench/browser-flags.mjs [runs]
import { createServer } from 'node:http';
import { findBrowser } from '../dist/src/browser/finder.js';
import { LAUNCH_ARGS } from '../dist/src/browser/launch-flags.js';
import { playwright } from '../dist/src/playwright.js';

const runs = Number(process.argv[2]) || 5;
const SERVERLESS = [
  '--ash-no-nudges',
  '--disable-domain-reliability',
  '--disable-print-preview',
  '--disk-cache-size=33554432',
  '--no-default-browser-check',
  '--no-pings',
  '--single-process',
  '--font-render-hinting=none',
  '--disable-features=AudioServiceOutOfProcess,IsolateOrigins,site-per-process',
  '--enable-features=SharedArrayBuffer',
  '--ignore-gpu-blocklist',
  '--in-process-gpu',
  '--disable-webgl',
  '--allow-running-insecure-content',
  '--disable-setuid-sandbox',
  '--disable-site-isolation-trials',
  '--disable-web-security',
  "--headless='shell'",
  '--no-sandbox',
  '--no-zygote',
];
const found = await findBrowser();
if (!found.ok) {
  console.error(found.message);
  process.exit(1);
}
const server = createServer((_q, s) => s.end('<!doctype html><ul id=items></ul><script>new EventSource("/none")</script>'));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
const { chromium } = await playwright();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`browser: ${found.path} (${found.source})`);
// The serverless list wants the SwiftShader GL library (its GPU runs in-process), which shipgate does not
// unpack; the variants show which of its flags break two contexts here.
const variants = [
  ['shipgate', LAUNCH_ARGS],
  ['playwright only', []],
  ['serverless defaults', SERVERLESS],
  [
    'serverless, gpu off',
    [...SERVERLESS.filter((a) => a !== '--in-process-gpu' && a !== '--ignore-gpu-blocklist'), '--disable-gpu'],
  ],
  ['shipgate + single', [...LAUNCH_ARGS, '--single-process']],
];
for (const [name, args] of variants) {
  try {
    await measure(name, args);
  } catch (err) {
    console.log(
      `${name.padEnd(20)} fails: ${String(err.message).split('\n')[0]}${/GLES library/.test(err.message) ? " (it wants SwiftShader's GL library)" : ''}`,
    );
  }
}
server.close();

async function measure(name, args) {
  const launch = [];
  const contexts = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const browser = await chromium.launch({
      executablePath: found.path,
      args,
      headless: true,
      ...(found.env ? { env: { ...process.env, ...found.env } } : {}),
    });
    const t1 = performance.now();
    const pages = await Promise.all([0, 1].map(async () => (await browser.newContext()).newPage()));
    await Promise.all(pages.map((p) => p.goto(url)));
    const t2 = performance.now();
    await browser.close();
    launch.push(t1 - t0);
    contexts.push(t2 - t1);
  }
  console.log(
    `${name.padEnd(20)} launch p50 ${median(launch).toFixed(0)} ms · two contexts + pages p50 ${median(contexts).toFixed(0)} ms (${runs} runs)`,
  );
}
