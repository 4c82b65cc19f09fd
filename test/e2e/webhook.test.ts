// Notifications against a local HTTP receiver: posted when the run fails or its verdict changes, not otherwise;
// the webhook URL (a secret) never appears in the output.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { withServer } from '../helpers/servers.js';

async function receive(fn: (url: string, posts: any[]) => Promise<void>) {
  const posts: any[] = [];
  await withServer(
    (req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        posts.push({ path: req.url, type: req.headers['content-type'], body: JSON.parse(body) });
        res.end('ok');
      });
    },
    (url) => fn(url, posts),
  );
}

test('a failing run posts a Slack-compatible summary; a passing one does not', async () => {
  await receive(async (url, posts) => {
    const hook = `${url}/hooks/T000/B000/very-secret-path`;
    const red = await runCli(['demo', '--gates', 'probes', '--flaws', 'ready-fails', '-r', `webhook=${hook}`]);
    assert.equal(red.code, 1);
    assert.equal(posts.length, 1);
    assert.equal(posts[0].type, 'application/json');
    assert.equal(posts[0].body.verdict, 'fail');
    assert.match(
      posts[0].body.text,
      /^:x: shipgate FAIL — demo \(http:\/\/127\.0\.0\.1:\d+\/?\)\n• `probes\.readiness` GET \/ready: status 503/,
    );
    assert.ok(!(red.stdout + red.stderr).includes('very-secret-path'), 'the webhook URL leaked');
    const green = await runCli(['demo', '--gates', 'probes', '-r', `webhook=${hook}`]);
    assert.equal(green.code, 0);
    assert.equal(posts.length, 1, 'a passing run with no change must not notify');
  });
});

test('a verdict change since the baseline notifies, even when the new verdict is pass', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-hook-'));
  await receive(async (url, posts) => {
    await runCli(['demo', '--gates', 'probes', '--flaws', 'ready-fails', '-r', `json=${dir}/red.json`]);
    const r = await runCli(['demo', '--gates', 'probes', '--baseline', `${dir}/red.json`, '-r', `webhook=${url}/hook`]);
    assert.equal(r.code, 0);
    assert.equal(posts.length, 1);
    assert.equal(posts[0].body.previousVerdict, 'fail');
    assert.match(posts[0].body.text, /PASS — demo .*, was fail/);
    await runCli(['demo', '--gates', 'probes', '--notify', 'always', '-r', `webhook=${url}/hook`]);
    assert.equal(posts.length, 2);
  });
});

test('a webhook that is down never breaks the run: reports and exit code stand', async () => {
  const r = await runCli(['demo', '--gates', 'probes', '--flaws', 'ready-fails', '-r', 'webhook=http://127.0.0.1:9/hook']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /reporter webhook=http:\/\/127\.0\.0\.1:9\/… failed/);
});
