// Runs every test/**/*.test.ts with node's test runner and fails when no test ran
// (a bare `node --test` that finds nothing exits 0).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('.', import.meta.url).pathname;
const filters = process.argv.slice(2);

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'fixtures' || name === 'golden' ? [] : find(p);
    return name.endsWith('.test.ts') ? [p] : [];
  });
}

const files = find(root)
  .map((f) => relative(process.cwd(), f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`test/run.mjs: no test files found${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  process.exit(1);
}

const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    '--test-reporter-destination=test/.last-run.tap',
    ...files,
  ],
  {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
  },
);
child.on('exit', async (code, signal) => {
  const { readFileSync } = await import('node:fs');
  const tap = readFileSync(join(root, '.last-run.tap'), 'utf8');
  const count = (k) => Number(new RegExp(`^# ${k} (\\d+)`, 'm').exec(tap)?.[1] ?? 0);
  const tests = count('tests');
  const pass = count('pass');
  const fail = count('fail');
  const skipped = count('skipped');
  console.log(`\n${pass} passed, ${fail} failed, ${skipped} skipped`);
  if (tests === 0) {
    console.error('test/run.mjs: zero tests ran; treating that as a failure');
    process.exit(1);
  }
  process.exit(signal ? 1 : (code ?? 1));
});
