#!/usr/bin/env node
// `npm run bench`: builds nothing, runs every benchmark script in bench/ (all but this one), one
// after another so they never compete for the CPU. Extra arguments go to every script.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .sort();
if (scripts.length === 0) {
  console.error('bench/run.mjs: no benchmarks found');
  process.exit(1);
}
let failed = 0;
for (const s of scripts) {
  console.log(`\n== bench/${s}`);
  const r = spawnSync(process.execPath, [join(here, s), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
