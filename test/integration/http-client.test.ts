// The HTTP client's guarantees: credentials stay on their origin, redirects and bodies are capped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpClient } from '../../src/http/client.js';
import { HttpError } from '../../src/http/errors.js';
import { withServer } from '../helpers/servers.js';

test('redirects never carry Authorization or cookies to another origin', async () => {
  const seen: Record<string, string | undefined>[] = [];
  await withServer(
    (req, res) => {
      seen.push({ auth: req.headers.authorization, cookie: req.headers.cookie });
      res.end('{}');
    },
    async (other) => {
      await withServer(
        (req, res) => {
          if (req.url === '/same') return res.writeHead(302, { location: '/final' }).end();
          if (req.url === '/final') {
            seen.push({ auth: req.headers.authorization, cookie: req.headers.cookie });
            return res.end('{}');
          }
          res.writeHead(302, { location: `${other}/landing` }).end();
        },
        async (url) => {
          const http = new HttpClient({ baseUrl: new URL(url), timeoutMs: 2000 });
          const headers = { authorization: 'Bearer abc', cookie: 'session=xyz' };
          await http.request({ url: '/same', headers, maxRedirects: 3 });
          await http.request({ url: '/cross', headers, maxRedirects: 3 });
          await http.close();
        },
      );
    },
  );
  assert.deepEqual(seen, [
    { auth: 'Bearer abc', cookie: 'session=xyz' },
    { auth: undefined, cookie: undefined },
  ]);
});

test('a redirect loop stops at the redirect cap with a clear reason', async () => {
  await withServer(
    (req, res) => res.writeHead(302, { location: req.url }).end(),
    async (url) => {
      const http = new HttpClient({ baseUrl: new URL(url), timeoutMs: 2000 });
      await assert.rejects(
        http.request({ url: '/loop', maxRedirects: 5 }),
        (e: unknown) =>
          e instanceof HttpError && e.kind === 'redirects' && /more than 5 redirects starting at \/loop/.test(e.message),
      );
      await http.close();
    },
  );
});

test('a body is read only up to its cap and marked truncated', async () => {
  await withServer(
    (_req, res) => res.end('x'.repeat(100_000)),
    async (url) => {
      const http = new HttpClient({ baseUrl: new URL(url), timeoutMs: 2000 });
      const r = await http.request({ url: '/', maxBodyBytes: 1000 });
      assert.equal(r.body.length, 1000);
      assert.equal(r.truncated, true);
      await http.close();
    },
  );
});

test('every request has a deadline', async () => {
  await withServer(
    () => {},
    async (url) => {
      const http = new HttpClient({ baseUrl: new URL(url), timeoutMs: 200 });
      const started = Date.now();
      await assert.rejects(http.request({ url: '/' }), (e: unknown) => e instanceof HttpError && e.kind === 'timeout');
      assert.ok(Date.now() - started < 3000);
      await http.close();
    },
  );
});
