// Build steps, artifact budgets and .env.example hygiene with real shells, files and git repositories.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderMarkdown } from '../../src/report/markdown.js';
import { check, runYaml, statuses } from '../helpers/run.js';
import { pidsIn, waitGone } from '../helpers/processes.js';
import { closedPort } from '../helpers/servers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'shipgate-build-'));

async function buildProfile(section: string): Promise<string> {
  // No target.start: the build gate alone (see runBuild), against a target nothing listens on.
  return `name: t\ntarget:\n  baseUrl: http://127.0.0.1:${await closedPort()}\ngates:\n  build:\n${section}`;
}

const runBuild = async (section: string, env?: NodeJS.ProcessEnv) =>
  runYaml(await buildProfile(section), { gates: ['build'], env });

const results = (r: Awaited<ReturnType<typeof runYaml>>) => r.gates.flatMap((g) => g.checks);

test('a passing step: exit code 0, its cwd, env and output in the evidence', async () => {
  const dir = tmp();
  const r = await runBuild(
    `    steps:\n      - name: hello\n        run: 'pwd; echo "greeting=$GREETING"'\n        cwd: ${dir}\n        env: { GREETING: hi }\n`,
  );
  const step = check(r, 'build.steps');
  assert.equal(step.status, 'pass');
  assert.equal(step.title, 'Build step "hello" succeeds');
  assert.match(step.message, /^hello: exit code 0 in /);
  assert.match(step.evidence!.body!, new RegExp(`${dir}\\ngreeting=hi`));
  assert.equal(r.verdict, 'pass');
});

test('a failing step shows its exit code and output tail in the Markdown report; later steps are skipped', async () => {
  const r = await runBuild(`    steps:
      - name: typecheck
        run: 'echo "checking 12 files"; echo "src/app.ts(3,7): error TS2322: Type string is not assignable to number" >&2; exit 2'
      - name: bundle
        run: echo never
`);
  assert.deepEqual(
    results(r).map((c) => `${c.title}:${c.status}`),
    ['Build step "typecheck" succeeds:fail', 'Build step "bundle" succeeds:skip'],
  );
  const failed = results(r)[0];
  assert.match(failed.message, /^typecheck: exit code 2 after /);
  assert.match(results(r)[1].message, /not run: step "typecheck" failed/);
  const md = renderMarkdown(r);
  assert.match(md, /❌ `build\.steps` — Build step "typecheck" succeeds/);
  assert.match(md, /typecheck: exit code 2 after/);
  assert.match(md, /> \$ echo "checking 12 files"/);
  assert.match(md, /checking 12 files\nsrc\/app\.ts\(3,7\): error TS2322/);
  assert.equal(r.verdict, 'fail');
});

test('a step that hangs is killed at its timeout, with every process of its group', async () => {
  // The shell starts a background sleeper and waits: both must be gone after the timeout.
  const r = await runBuild(
    `    steps:\n      - name: hang\n        run: 'echo "shell=$$"; sleep 60 & echo "child=$!"; wait'\n        timeout: 700ms\n`,
  );
  const step = check(r, 'build.steps');
  assert.equal(step.status, 'fail');
  assert.match(step.message, /^hang: timed out after 700ms; its process group was killed$/);
  const body = step.evidence!.body!;
  const pids = [...pidsIn(body, 'shell'), ...pidsIn(body, 'child')];
  assert.equal(pids.length, 2, body);
  for (const pid of pids) assert.ok(await waitGone(pid), `process ${pid} is still running`);
});

test('a step that exits but leaves a background process behind: the leftover is killed', async () => {
  const r = await runBuild(`    steps:\n      - name: leaky\n        run: 'sleep 60 & echo "child=$!"'\n`);
  const step = check(r, 'build.steps');
  assert.equal(step.status, 'pass');
  const [child] = pidsIn(step.evidence!.body!, 'child');
  assert.ok(child);
  assert.ok(await waitGone(child), 'the background process was left running');
});

test('secrets from the profile are redacted from step output', async () => {
  const r = await runBuild(
    `    steps:\n      - name: leak\n        run: 'echo "token is $TOKEN"'\n        env: { TOKEN: "\${secret:BUILD_TOKEN}" }\n`,
    { BUILD_TOKEN: 'sup3r-s3cret-value' },
  );
  const text = JSON.stringify(r);
  assert.ok(!text.includes('sup3r-s3cret-value'));
  assert.match(check(r, 'build.steps').evidence!.body!, /token is \*\*\*/);
});

test('a step in a folder that does not exist fails saying so', async () => {
  const r = await runBuild(`    steps:\n      - name: nowhere\n        run: 'true'\n        cwd: /no/such/folder\n`);
  assert.match(check(r, 'build.steps').message, /working directory \/no\/such\/folder does not exist/);
});

test('artifacts: present within budget, over budget, missing', async () => {
  const dir = tmp();
  mkdirSync(join(dir, 'dist/chunks'), { recursive: true });
  writeFileSync(join(dir, 'dist/main.js'), 'x'.repeat(3000));
  writeFileSync(join(dir, 'dist/chunks/a.js'), 'x'.repeat(2000));
  writeFileSync(join(dir, 'dist/chunks/a.js.map'), 'x'.repeat(90000));
  const r = await runBuild(`    artifacts:
      - path: ${dir}/dist/**/*.js
        maxSize: 10kB
      - path: ${dir}/dist/**/*.js
        maxSize: 4kB
      - path: ${dir}/build/index.html
`);
  const [ok, over, missing] = results(r);
  assert.equal(ok.status, 'pass');
  assert.match(ok.message, /2 files, 5\.0 kB total \(budget 10\.0 kB\)/);
  assert.equal(over.status, 'fail');
  assert.match(over.message, /2 files, 5\.0 kB total > budget 4\.0 kB/);
  assert.match(over.evidence!.body!, /3\.0 kB .*dist\/main\.js/);
  assert.equal(missing.status, 'fail');
  assert.match(missing.message, /build\/index\.html: no file matches, expected at least 1/);
});

test('artifacts are not checked when a step failed', async () => {
  const r = await runBuild(`    steps:\n      - name: broken\n        run: 'exit 1'\n    artifacts:\n      - path: dist/*.js\n`);
  assert.deepEqual(Object.values(statuses(r)), ['fail', 'skip']);
});

function gitRepo(files: Record<string, string>, commit: string[]): string {
  const dir = tmp();
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], {
      stdio: 'ignore',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
    });
  git('init', '-q');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  if (commit.length) {
    git('add', '-f', ...commit);
    git('commit', '-qm', 'c');
  }
  return dir;
}

const envCases: { name: string; files: Record<string, string>; commit: string[]; status: string; message: RegExp }[] = [
  {
    name: 'placeholders only',
    files: {
      '.env.example':
        'PORT=3000\nDATABASE_URL=postgres://user:password@localhost/app\nAPI_KEY=change-me\nJWT_SECRET=<generate with openssl rand -hex 32>\n',
    },
    commit: ['.env.example'],
    status: 'pass',
    message: /\.env\.example: placeholders only; no \.env committed/,
  },
  {
    name: 'a real GitHub token',
    files: { '.env.example': 'GITHUB_TOKEN=ghp_R4nd0mT0k3nV4lu3Th4tL00ksR34l1234567\n' },
    commit: ['.env.example'],
    status: 'fail',
    message: /GITHUB_TOKEN \(line 1\)/,
  },
  {
    name: 'a high-entropy secret',
    files: { '.env.example': '# session\nSESSION_SECRET=9fQ2xL7vKp3Zr8TwYb6NcD1mHs4Ja0Ue\n' },
    commit: ['.env.example'],
    status: 'fail',
    message: /SESSION_SECRET \(line 2\)/,
  },
  {
    name: 'a committed .env',
    files: { '.env.example': 'PORT=3000\n', '.env': 'PORT=3000\n' },
    commit: ['.env.example', '.env'],
    status: 'fail',
    message: /committed to git: \.env/,
  },
  { name: 'a missing .env.example', files: {}, commit: [], status: 'fail', message: /no \.env\.example in/ },
  {
    name: 'an uncommitted .env beside it',
    files: { '.env.example': 'PORT=3000\n', '.env': 'PORT=1\n' },
    commit: ['.env.example'],
    status: 'pass',
    message: /placeholders only/,
  },
];
for (const c of envCases) {
  test(`.env.example hygiene: ${c.name} → ${c.status}`, async () => {
    const dir = gitRepo(c.files, c.commit);
    const r = await runBuild(`    repo: ${dir}\n`);
    const result = check(r, 'build.env-example');
    assert.equal(result.status, c.status, result.message);
    assert.match(result.message, c.message);
    // A secret found in the file is never printed whole.
    for (const v of Object.values(c.files))
      for (const line of v.split('\n')) {
        const value = line.split('=')[1];
        if (value && value.length > 20 && !value.includes('<')) assert.ok(!JSON.stringify(r).includes(value), `${value} leaked`);
      }
  });
}

test('the build gate with a failFast or gracefulShutdown section but no target.start skips them with the reason', async () => {
  const r = await runBuild(`    failFast: { requiredEnv: [DATABASE_URL] }\n    gracefulShutdown: { path: /slow }\n`);
  assert.deepEqual(statuses(r), { 'build.fail-fast': 'skip', 'build.graceful-shutdown': 'skip' });
  assert.match(check(r, 'build.fail-fast').message, /needs a managed target: add target\.start/);
});
