// Notifications against a local HTTP receiver: posted when the run fails or its verdict changes, not otherwise;
// the webhook URL (a secret) never appears in the output.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { withDemo, withServer } from '../helpers/servers.js';
import { ThrowawayCa } from '../../src/demo/throwaway-ca.js';

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

test("the webhook goes through the run's trust: with target.tls.ca an internal-CA receiver gets the post; without it, the refusal in the shared words", async () => {
  const ca = ThrowawayCa.create();
  const posts: string[] = [];
  const receiver = createServer(ca.issue({ hosts: ['127.0.0.1'] }), (req, res) => {
    posts.push(req.url ?? '');
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `https://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/secret`;
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-hook-tls-'));
  try {
    await withDemo(['ready-fails'], async (demo) => {
      const profile = (tls: string) => {
        const file = join(dir, `p${posts.length}-${tls.length}.yaml`);
        writeFileSync(
          file,
          `name: hook\ntarget:\n  baseUrl: ${demo.url}\n${tls}gates:\n  probes:\n    readiness: { path: /ready }\n`,
        );
        return file;
      };
      const env = { NODE_EXTRA_CA_CERTS: '' };
      const trusted = await runCli(['run', profile(`  tls: { ca: ${JSON.stringify(ca.certPath)} }\n`), '-r', `webhook=${hook}`], {
        env,
      });
      assert.equal(trusted.code, 1, trusted.stdout + trusted.stderr);
      assert.deepEqual(posts, ['/hooks/secret']);
      assert.doesNotMatch(trusted.stderr, /reporter webhook.* failed/);
      const refused = await runCli(['run', profile(''), '-r', `webhook=${hook}`], { env });
      assert.equal(refused.code, 1);
      assert.equal(posts.length, 1);
      assert.match(
        refused.stderr,
        /reporter webhook=https:\/\/127\.0\.0\.1:\d+\/… failed: TLS handshake with 127\.0\.0\.1:\d+ failed: unable to verify the first certificate/,
      );
    });
  } finally {
    receiver.close();
    ca.remove();
  }
});
