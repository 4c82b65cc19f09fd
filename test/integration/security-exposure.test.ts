// security.exposure.*: no false alarm on a single-page app that answers 200 with its shell for every
// path; source maps found through the header, the comment, a data: URL and beside the script; extra
// paths and the allowlist; and what a served .env holds is never reprinted in a report.
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { test } from 'node:test';
import { exposureCatalogue } from '../../checks/security/exposure-catalogue.js';
import { renderJson } from '../../src/report/json.js';
import { check, runYaml, statuses } from '../helpers/run.js';
import { withDemo, withServer } from '../helpers/servers.js';

const EXPOSURE_IDS = exposureCatalogue.map((c) => c.id);

const profile = (url: string, extra = '', paths = '[/]') => `name: t
target:
  baseUrl: ${url}
timeouts:
  request: 3s
  gate: 30s
gates:
  security:
    paths: ${paths}
    cors: { allowedOrigins: [https://app.example.com] }
${extra}`;

const exposureStatuses = (r: Awaited<ReturnType<typeof runYaml>>) =>
  Object.fromEntries(Object.entries(statuses(r, 'security')).filter(([id]) => EXPOSURE_IDS.includes(id)));

/** An SPA behind a catch-all: its bundle at /assets/app.js, and the app shell (with a fresh nonce) for every other path. */
function spaFallback(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/assets/app.js') {
    res.setHeader('Content-Type', 'text/javascript');
    res.end('console.log("app");\n');
    return;
  }
  const nonce = Math.random().toString(36).slice(2);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(
    `<!doctype html><html><head><title>App</title><script nonce="${nonce}" src="/assets/app.js"></script></head><body><div id="root" data-path="${path.replace(/[^\w/.-]/g, '')}"></div></body></html>`,
  );
}

test('an SPA that serves its shell (200) for every path passes every exposure check', async () => {
  await withServer(spaFallback, async (url) => {
    // An extra path has no signature: only the comparison with a random sibling (shell with another nonce) clears it.
    const r = await runYaml(profile(url, '    exposure: { extraPaths: [/admin/config] }\n'), { gates: ['security'] });
    assert.deepEqual(exposureStatuses(r), Object.fromEntries(EXPOSURE_IDS.map((id) => [id, 'pass'])));
    assert.match(check(r, 'security.exposure.debug').message, /\(200 like a random path×8\)$/);
    assert.match(
      check(r, 'security.exposure.dotenv').message,
      /^\/\.env, \/\.env\.production, \/\.env\.local and 4 more not served \(200 like a random path×7\)$/,
    );
    assert.match(check(r, 'security.exposure.sourcemap').message, /^1 script followed \(\/assets\/app\.js\): no source map/);
  });
});

test('the green demo passes every exposure check; the front page script is followed', async () => {
  await withDemo([], async (demo) => {
    const r = await runYaml(profile(demo.url), { gates: ['security'] });
    assert.deepEqual(exposureStatuses(r), Object.fromEntries(EXPOSURE_IDS.map((id) => [id, 'pass'])));
    assert.match(check(r, 'security.exposure.sourcemap').message, /^1 script followed \(\/app\.js\)/);
  });
});

test('the secrets of a served .env never reach a report: values masked in the evidence and redacted everywhere', async () => {
  await withDemo(['exposed-env', 'debug-endpoint'], async (demo) => {
    const r = await runYaml(profile(demo.url), { gates: ['security'] });
    const env = await (await fetch(`${demo.url}/.env`)).text();
    const values = [...env.matchAll(/^(?:DEMO_SESSION_SECRET|DATABASE_URL)=(.*)$/gm)].map((m) => m[1]);
    assert.equal(values.length, 2);
    const password = /:\/\/demo:([^@]+)@/.exec(values[1])![1];
    const report = renderJson(r);
    for (const v of [...values, password]) assert.ok(!report.includes(v), `the report reprints ${v.slice(0, 6)}…`);
    assert.equal(check(r, 'security.exposure.dotenv').status, 'fail');
    assert.match(check(r, 'security.exposure.dotenv').evidence?.body ?? '', /DEMO_SESSION_SECRET=\*\*\*\nDATABASE_URL=\*\*\*/);
    assert.equal(check(r, 'security.exposure.debug').status, 'fail');
    // Only secret-looking values go to the redactor: PORT=4100 from the .env does not blank out every 4100.
    assert.match(
      check(r, 'security.exposure.debug').evidence?.body ?? '',
      /"sessionSecret":"\*\*\*","databaseUrl":"\*\*\*","port":4100/,
    );
  });
});

/** Scripts announcing their maps in every way a server does it. */
function mapsServer(variant: 'header-no-content' | 'inline' | 'beside' | 'announced-missing') {
  const map = (withContent: boolean) =>
    JSON.stringify({
      version: 3,
      sources: ['src/a.ts'],
      ...(withContent ? { sourcesContent: ['export const a = 1;'] } : {}),
      names: [],
      mappings: 'AAAA',
    });
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      res.setHeader('Content-Type', 'text/html');
      res.end('<!doctype html><script src="/main.js"></script><script src="https://cdn.example.net/lib.js"></script>');
    } else if (path === '/main.js') {
      res.setHeader('Content-Type', 'text/javascript');
      if (variant === 'header-no-content') res.setHeader('SourceMap', '/maps/main.js.map');
      const inline = `data:application/json;base64,${Buffer.from(map(true)).toString('base64')}`;
      res.end(
        `var a = 1;\n${variant === 'inline' ? `//# sourceMappingURL=${inline}\n` : variant === 'announced-missing' ? '//# sourceMappingURL=main.js.map\n' : ''}`,
      );
    } else if (path === '/maps/main.js.map' && variant === 'header-no-content') {
      res.setHeader('Content-Type', 'application/json');
      res.end(map(false));
    } else if (path === '/main.js.map' && variant === 'beside') {
      res.setHeader('Content-Type', 'application/json');
      res.end(map(true));
    } else {
      res.statusCode = 404;
      res.end('not found');
    }
  };
}

const mapCases = [
  {
    variant: 'header-no-content' as const,
    status: 'warn',
    message: /^\/main\.js → \/maps\/main\.js\.map serves a source map of 1 files without sourcesContent \(src\/a\.ts\)$/,
  },
  {
    variant: 'inline' as const,
    status: 'fail',
    message: /^\/main\.js → an inline data: URL serves the original source of 1 of 1 files/,
  },
  {
    variant: 'beside' as const,
    status: 'fail',
    message: /^\/main\.js → \/main\.js\.map \(not announced, found beside the script\) serves the original source/,
  },
  { variant: 'announced-missing' as const, status: 'pass', message: /^1 script followed \(\/main\.js\): no source map/ },
];

for (const c of mapCases) {
  test(`source maps: ${c.variant} → ${c.status} (the third-party script is not fetched)`, async () => {
    const seen: string[] = [];
    const handler = mapsServer(c.variant);
    await withServer(
      (req, res) => {
        seen.push(req.url ?? '');
        handler(req, res);
      },
      async (url) => {
        const r = await runYaml(profile(url), { gates: ['security'] });
        const m = check(r, 'security.exposure.sourcemap');
        assert.equal(m.status, c.status, m.message);
        assert.match(m.message, c.message);
        assert.ok(!seen.some((u) => u.includes('lib.js')), 'no request for the CDN script');
      },
    );
  });
}

test('extra paths fail when served unlike a random path; allowed paths are not even requested', async () => {
  const seen: string[] = [];
  await withServer(
    (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      seen.push(path);
      if (path === '/internal/metrics') {
        res.setHeader('Content-Type', 'text/plain');
        res.end('requests_total 42\n');
      } else if (path === '/debug/vars') {
        res.setHeader('Content-Type', 'application/json');
        res.end('{"cmdline":["app"],"memstats":{}}');
      } else {
        res.statusCode = 404;
        res.end();
      }
    },
    async (url) => {
      const r = await runYaml(profile(url, '    exposure:\n      extraPaths: [/internal/metrics]\n      allow: [/debug/]\n'), {
        gates: ['security'],
      });
      const d = check(r, 'security.exposure.debug');
      assert.equal(d.status, 'fail');
      assert.equal(d.message, '/internal/metrics serves a 2xx answer unlike the one for a random path beside it');
      assert.ok(!seen.includes('/debug/vars') && !seen.includes('/debug/pprof/'), 'allowed paths are not probed');
    },
  );
});
