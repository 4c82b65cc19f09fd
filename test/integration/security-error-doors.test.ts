// Error hygiene on every JSON door the profile names: a protected API that checks the token before it
// parses the body no longer hides a login that leaks its stack; oversized bodies, wrong content types and
// wrong methods are sent too, without and with the auth gate's token.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import express from 'express';
import { check, runYaml } from '../helpers/run.js';
import { withDemo, withServer } from '../helpers/servers.js';

const authSection = `  auth:
    login:
      path: /api/auth/login
      username: demo
      password: \${secret:SHIPGATE_DEMO_PASSWORD:-shipgate-demo-password}
    accessToken: { jsonPath: accessToken }
    refreshCookie: { name: refresh_token }
    refresh: { path: /api/auth/refresh }
    logout: { path: /api/auth/logout }
    protected: { path: /api/me }
    rateLimit: { enabled: false }
`;

const profile = (url: string, apiPath: string, extra = '') => `name: t
target:
  baseUrl: ${url}
timeouts:
  request: 5s
  gate: 30s
gates:
  security:
    paths: [/]
    cors: { allowedOrigins: [https://app.example.com] }
    exposure: { enabled: false }
    errors: { apiPath: ${apiPath} }
${extra}`;

/** Express as often written: the API router checks the token first; the login route parses JSON and the dev error handler sends err.stack. */
async function tokenFirstApi(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.use('/api/items', (req: any, res: any, next: () => void) => {
    if (!/^Bearer \S+$/.test(req.get('authorization') ?? ''))
      return res
        .status(401)
        .type('application/problem+json')
        .send({ title: 'Unauthorized', status: 401, detail: 'no token', requestId: 'r' });
    next();
  });
  app.use(express.json());
  app.post('/api/items', (_req: any, res: any) => res.status(201).json({ id: 1 }));
  app.post('/api/auth/login', (_req: any, res: any) =>
    res.status(401).json({ title: 'Unauthorized', status: 401, detail: 'bad credentials', requestId: 'r' }),
  );
  app.use((err: any, _req: any, res: any, _next: unknown) =>
    res
      .status(err.status ?? 500)
      .json({ title: 'Error', status: err.status ?? 500, detail: err.message, requestId: 'r', stack: err.stack }),
  );
  let server!: Server;
  await new Promise<void>((resolve) => (server = app.listen(0, '127.0.0.1', resolve)));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

test('a protected API that checks the token before parsing no longer hides the login that leaks its stack', async () => {
  const app = await tokenFirstApi();
  try {
    // The login door comes from the auth section; only the security gate runs.
    const r = await runYaml(profile(app.url, '/api/items', authSection), { gates: ['security'] });
    const c = check(r, 'security.errors.no-stack-trace');
    assert.equal(c.status, 'fail');
    assert.match(c.message, /^POST http:\/\/127\.0\.0\.1:\d+\/api\/auth\/login → 400: the body contains a Node\.js stack frame/);
  } finally {
    await app.close();
  }
});

test('the demo, with the auth gate: every door answers problem JSON — 400, 401, 405 and 413 — with and without the token', async () => {
  await withDemo([], async (demo) => {
    const r = await runYaml(profile(demo.url, '/api/echo', authSection), { gates: ['security', 'auth'] });
    const f = check(r, 'security.errors.json-format');
    assert.equal(f.status, 'pass', f.message);
    // errors.apiPath (3 probes + 4 with the token), login and refresh (4 + 4 each): 23 answers beyond the first two
    // (refresh reads no body, so its oversized probes get a 401).
    assert.match(
      f.message,
      /, and 23 more error answers from the JSON endpoints \(400×\d+ 401×\d+ 405×6 413×\d+\) with title, status, detail, a request id$/,
    );
    assert.equal(check(r, 'security.errors.no-stack-trace').status, 'pass');
  });
});

test('a server that crashes on an oversized body (500) or answers a wrong method with HTML fails json-format with each door named', async () => {
  await withServer(
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const size = Buffer.concat(chunks).length;
        res.setHeader('X-Request-Id', String(req.headers['x-request-id'] ?? 'generated'));
        if (req.method === 'PUT') {
          res.statusCode = 404;
          res.setHeader('Content-Type', 'text/html');
          return res.end('<pre>Cannot PUT /api/items</pre>');
        }
        const status =
          req.method === 'GET' ? 404 : size > 512 * 1024 ? 500 : req.headers['content-type'] === 'text/plain' ? 201 : 400;
        res.statusCode = status;
        res.setHeader('Content-Type', status === 201 ? 'application/json' : 'application/problem+json');
        res.end(
          JSON.stringify(
            status === 201
              ? { id: 7 }
              : { title: 'x', status, detail: 'x', requestId: String(req.headers['x-request-id'] ?? 'generated') },
          ),
        );
      });
    },
    async (url) => {
      const r = await runYaml(profile(url, '/api/items'), { gates: ['security'] });
      const f = check(r, 'security.errors.json-format');
      assert.equal(f.status, 'fail');
      // The 201 to text/plain is a lenient server, not an error answer: not judged.
      assert.equal(
        f.message,
        'errors.apiPath oversized body: status 500, expected 413 Content Too Large (or another 4xx); errors.apiPath wrong method: content type "text/html", expected application/json or application/problem+json, body is not a JSON object',
      );
    },
  );
});
