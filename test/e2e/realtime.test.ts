// The realtime gate through the CLI, the way a user runs it: exit codes, console lines, reports and
// screenshots on disk.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { CLI, hasStackTrace, ROOT, runCli } from '../helpers/cli.js';
import { alive, chromiumDescendants } from '../helpers/processes.js';
import { closedPort } from '../helpers/servers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'shipgate-e2e-realtime-'));
const realtimeChecks = (json: any) =>
  Object.fromEntries(json.gates.find((g: any) => g.id === 'realtime').checks.map((c: any) => [c.id, c]));

test('shipgate demo --gates probes,realtime passes and prints p50/p95 propagation latency', async () => {
  const dir = tmp();
  const r = await runCli(['demo', '--gates', 'probes,realtime', '-r', `json=${dir}/run.json`], { timeoutMs: 180_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /pass\s+realtime\.browser — Chromium \d+\.\d+\.\d+\.\d+ /);
  assert.match(r.stdout, /pass\s+realtime\.sync — B showed A's change in 5 of 5 rounds/);
  assert.match(r.stdout, /pass\s+realtime\.latency — p50 \S+ · p95 \S+ · max \S+ over 5 rounds \(threshold p95 < 1s\)/);
  const checks = realtimeChecks(JSON.parse(readFileSync(`${dir}/run.json`, 'utf8')));
  assert.equal(checks['realtime.latency'].metrics.rounds, 5);
  assert.equal(typeof checks['realtime.latency'].metrics.p95Ms, 'number');
});

test('--flaws realtime-no-broadcast: exit 1, realtime.sync fails, screenshots beside the reports and linked from them', async () => {
  const dir = tmp();
  const r = await runCli(
    [
      'demo',
      '--gates',
      'probes,realtime',
      '--flaws',
      'realtime-no-broadcast',
      '-r',
      `json=${dir}/run.json`,
      '-r',
      `md=${dir}/summary.md`,
      '-r',
      `junit=${dir}/junit.xml`,
    ],
    // As in a GitLab job whose project folder holds the reports: JUnit attachments are relative to it.
    { timeoutMs: 180_000, env: { CI_PROJECT_DIR: dir } },
  );
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /fail\s+realtime\.sync — B did not show A's change within 5s/);
  const sync = realtimeChecks(JSON.parse(readFileSync(`${dir}/run.json`, 'utf8')))['realtime.sync'];
  // B's screenshot first: it shows the miss, and some consumers (GitLab) show only the first attachment.
  assert.deepEqual(sync.evidence.attachments, [join(dir, 'realtime-sync-B.png'), join(dir, 'realtime-sync-A.png')]);
  for (const f of sync.evidence.attachments) assert.ok(existsSync(f), `${f} was written`);
  const md = readFileSync(`${dir}/summary.md`, 'utf8');
  assert.match(md, /!\[realtime\.sync\]\(realtime-sync-A\.png\)/);
  assert.match(md, /!\[realtime\.sync\]\(realtime-sync-B\.png\)/);
  // Relative to the project folder ($CI_PROJECT_DIR), B first (issue 18 item 5).
  assert.match(
    readFileSync(`${dir}/junit.xml`, 'utf8'),
    /\[\[ATTACHMENT\|realtime-sync-B\.png\]\]\n\[\[ATTACHMENT\|realtime-sync-A\.png\]\]/,
  );
});

test('SHIPGATE_BROWSER pointing at a missing file: realtime.browser errors with the install hint, reports are still written', async () => {
  const dir = tmp();
  const r = await runCli(['demo', '--gates', 'probes,realtime', '-r', `json=${dir}/run.json`, '-r', `md=${dir}/summary.md`], {
    env: { SHIPGATE_BROWSER: '/nonexistent/chrome' },
  });
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /error\s+realtime\.browser — no Chromium at \/nonexistent\/chrome \(SHIPGATE_BROWSER\): set SHIPGATE_BROWSER=\/path\/to\/chrome, or npm ci with optional dependencies \(the bundled Chromium, Linux x64\), or npx playwright install chromium/,
  );
  assert.ok(!hasStackTrace(r.stdout + r.stderr));
  const json = JSON.parse(readFileSync(`${dir}/run.json`, 'utf8'));
  assert.equal(json.verdict, 'error');
  assert.equal(realtimeChecks(json)['realtime.browser'].status, 'error');
  assert.match(readFileSync(`${dir}/summary.md`, 'utf8'), /realtime\.browser/);
});

test("the profile's browser setting pointing at a missing file: the same error, before any traffic", async () => {
  const dir = tmp();
  const profile = join(dir, 'p.yaml');
  writeFileSync(
    profile,
    `name: missing-browser
target:
  baseUrl: http://127.0.0.1:${await closedPort()}
gates:
  realtime:
    browser: /nonexistent/chromium
    page: /live
    action:
      - fill: '#item-text'
        value: '{marker}'
      - click: '#add'
`,
  );
  const r = await runCli(['run', profile, '--gates', 'realtime', '-r', `json=${dir}/out/run.json`], {
    env: { SHIPGATE_BROWSER: '' },
  });
  assert.equal(r.code, 3, r.stdout + r.stderr);
  const checks = realtimeChecks(JSON.parse(readFileSync(`${dir}/out/run.json`, 'utf8')));
  assert.equal(
    checks['realtime.browser'].message,
    'no Chromium at /nonexistent/chromium (gates.realtime.browser): set SHIPGATE_BROWSER=/path/to/chrome, or npm ci with optional dependencies (the bundled Chromium, Linux x64), or npx playwright install chromium',
  );
  assert.equal(checks['realtime.sync'].status, 'skip');
});

test('validate reports a bad latency threshold at its line and column (exit 2)', async () => {
  const dir = tmp();
  const profile = join(dir, 'bad.yaml');
  writeFileSync(
    profile,
    readFileSync(join(process.cwd(), 'profiles/demo.yaml'), 'utf8').replace('latency: p95 < 1s', 'latency: p95 < fast'),
  );
  const r = await runCli(['validate', profile]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /bad\.yaml:\d+:\d+ gates\.realtime\.latency: "p95 < fast": expected a number at column 7, got "fast"/);
});

test('Ctrl-C during the rounds: exit 3, reports written, no Chromium process left behind', async () => {
  const dir = tmp();
  const child = spawn(process.execPath, [CLI, 'demo', '--gates', 'probes,realtime', '--verbose', '-r', `json=${dir}/run.json`], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let pids: number[] = [];
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const guard = setTimeout(() => child.kill('SIGKILL'), 150_000);
  child.stderr.on('data', (d) => {
    out += d;
    if (pids.length === 0 && /realtime: round 1\//.test(out)) {
      pids = chromiumDescendants(child.pid);
      child.kill('SIGINT');
    }
  });
  const code = await exited;
  clearTimeout(guard);
  assert.ok(pids.length > 0, `saw Chromium running under the CLI\n${out}`);
  assert.equal(code, 3, out);
  assert.match(out, /SIGINT received; stopping, writing reports/);
  const json = JSON.parse(readFileSync(`${dir}/run.json`, 'utf8'));
  assert.equal(json.interrupted, true);
  assert.deepEqual(pids.filter(alive), [], 'no Chromium process outlives the interrupted CLI');
});

test(
  '--flaws drops-burst: a throttle that drops quick changes fails exactly realtime.burst; the good demo passes it',
  { timeout: 300_000 },
  async () => {
    const dir = tmp();
    const [bad, good] = [
      await runCli(['demo', '--gates', 'realtime', '--flaws', 'drops-burst', '-r', `json=${dir}/bad.json`], {
        timeoutMs: 180_000,
      }),
      await runCli(['demo', '--gates', 'realtime', '-r', `json=${dir}/good.json`], { timeoutMs: 180_000 }),
    ];
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    const failed = JSON.parse(readFileSync(`${dir}/bad.json`, 'utf8'))
      .gates.flatMap((g: any) => g.checks)
      .filter((c: any) => c.status !== 'pass');
    assert.deepEqual(
      failed.map((c: any) => `${c.id}=${c.status}`),
      ['realtime.burst=fail'],
    );
    assert.match(
      failed[0].message,
      /^B showed 1 of 3 changes A made back to back \(\S+ from first to last\); missing: sg-[0-9a-f]+, sg-[0-9a-f]+ /,
    );
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.equal(realtimeChecks(JSON.parse(readFileSync(`${dir}/good.json`, 'utf8')))['realtime.burst'].status, 'pass');
  },
);

test(
  '--flaws token-in-localstorage: a page that stores a token from script fails exactly realtime.browser-storage, the value never reprinted',
  { timeout: 300_000 },
  async () => {
    const dir = tmp();
    const r = await runCli(['demo', '--gates', 'realtime', '--flaws', 'token-in-localstorage', '-r', `json=${dir}/run.json`], {
      timeoutMs: 180_000,
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const text = readFileSync(`${dir}/run.json`, 'utf8');
    const failed = JSON.parse(text)
      .gates.flatMap((g: any) => g.checks)
      .filter((c: any) => c.status !== 'pass');
    assert.deepEqual(
      failed.map((c: any) => `${c.id}=${c.status}`),
      ['realtime.browser-storage=fail'],
    );
    assert.match(
      failed[0].message,
      /a token is readable by any script on the page: A: localStorage\["live_session"\], B: localStorage\["live_session"\]/,
    );
    assert.deepEqual(failed[0].evidence.details.A.localStorageKeys, ['live_session']);
    assert.ok(!/eyJ[A-Za-z0-9_-]{4,}\.eyJ/.test(text + r.stdout), 'no JWT in the report or the console');
  },
);
