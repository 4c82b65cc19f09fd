// The bad-profile corpus: every file in test/fixtures/profiles/bad/ is rejected by `shipgate validate`
// with exit 2, no stack trace, and exactly the message in its .expected golden (UPDATE_GOLDEN=1 rewrites).
// Also: a path that does not exist, a directory and a 10 MB file, made at test time.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasStackTrace, ROOT, runCli } from '../helpers/cli.js';

const DIR = 'test/fixtures/profiles/bad';
const files = readdirSync(join(ROOT, DIR))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

test('the corpus holds at least 40 bad profiles', () => assert.ok(files.length >= 40, `${files.length}`));

// Spawning a CLI per file is the real contract; a few at a time keeps the 2-core machine responsive.
const results = new Map<string, Promise<{ code: number | null; stderr: string; stdout: string }>>();
let chain = Promise.resolve();
const queue = (f: string) => {
  const p = chain.then(() => runCli(['validate', `${DIR}/${f}`]));
  chain = p.then(
    () => {},
    () => {},
  );
  return p;
};

for (const f of files) {
  test(`bad profile ${f}`, async () => {
    if (!results.has(f)) results.set(f, queue(f));
    const r = await results.get(f)!;
    assert.equal(r.code, 2, `${f}: exit ${r.code}\n${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.ok(!hasStackTrace(r.stderr), r.stderr);
    const golden = join(ROOT, DIR, f.replace(/\.yaml$/, '.expected'));
    if (process.env.UPDATE_GOLDEN || !existsSync(golden)) writeFileSync(golden, r.stderr);
    assert.equal(r.stderr, readFileSync(golden, 'utf8'));
  });
}

test('a path that does not exist', async () => {
  const r = await runCli(['validate', 'profiles/no-such-profile.yaml']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'profiles/no-such-profile.yaml: no such file\n');
});

test('a directory', async () => {
  const r = await runCli(['validate', 'profiles']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'profiles: is a directory; expected a YAML profile file\n');
});

test('a 10 MB file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-big-'));
  const file = join(dir, 'big.yaml');
  writeFileSync(file, 'name: big\n' + '# padding\n'.repeat(1024 * 1024));
  const r = await runCli(['validate', file]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `${file}: is 10240 KiB; a profile may be at most 1024 KiB\n`);
});
