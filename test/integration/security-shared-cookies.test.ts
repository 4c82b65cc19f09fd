// Cookies other gates saw (the auth gate's login response) reach the security gate's cookie audit,
// even though those gates run concurrently with it. A stand-in gate plays the auth gate's part.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { z } from 'zod';
import { GATE_IDS, GATES } from '../../src/gates/registry.js';
import { check, runYaml } from '../helpers/run.js';
import { withDemo } from '../helpers/servers.js';

// Registered before any profile is parsed (each test file runs in its own process).
GATE_IDS.push('cookie-source');
GATES.push({
  id: 'cookie-source',
  title: 'Cookie source (test stand-in for auth)',
  description: 'Pretends to log in and hands the Set-Cookie it saw to later gates',
  phase: 2,
  schema: z.strictObject({ setCookie: z.string() }),
  load: async () => ({
    id: 'cookie-source',
    title: 'Cookie source',
    catalogue: [],
    async run(ctx, config: { setCookie: string }) {
      await sleep(1000); // finish well after the security gate has done its own requests
      ctx.shared.cookies = [
        ...(ctx.shared.cookies ?? []),
        { url: new URL('/api/login', ctx.baseUrl).toString(), setCookie: config.setCookie },
      ];
    },
  }),
});

const profile = (url: string, setCookie: string) => `name: t
target:
  baseUrl: ${url}
gates:
  security:
    paths: [/]
    errors: { apiPath: /api/echo }
  cookie-source:
    setCookie: "${setCookie}"
`;

test('a refresh cookie seen by another gate is audited after that gate finished', async () => {
  await withDemo([], async (demo) => {
    const r = await runYaml(profile(demo.url, 'refresh_token=abc; Path=/; SameSite=Strict'), {
      gates: ['security', 'cookie-source'],
    });
    const c = check(r, 'security.cookies.flags');
    assert.equal(c.status, 'fail');
    assert.equal(c.message, 'refresh_token (/api/login): session/refresh cookie without HttpOnly');
    assert.equal(r.gates.find((g) => g.id === 'security')?.status, 'fail');
  });
});

test('a good cookie from another gate passes alongside the demo session cookie', async () => {
  await withDemo([], async (demo) => {
    const r = await runYaml(profile(demo.url, 'refresh_token=abc; Path=/api; HttpOnly; Secure; SameSite=Strict'), {
      gates: ['security', 'cookie-source'],
    });
    const c = check(r, 'security.cookies.flags');
    assert.equal(c.status, 'pass', c.message);
    assert.match(c.message, /demo_session \(\/\), refresh_token \(\/api\/login\)/);
  });
});
