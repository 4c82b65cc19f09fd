// The starting-point profiles in profiles/examples/: each one validates (with the variables it needs), starts
// with the schema line for editors, takes URLs and credentials from the environment, and exports to k6.
// The Express and Fastify ones pass their probes and security gates against apps built as their comments say.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expressApp, listen } from '../fixtures/frameworks/express-app.js';
import { fastifyApp } from '../fixtures/frameworks/fastify-app.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { runYaml, statuses } from '../helpers/run.js';

const DIR = join(ROOT, 'profiles', 'examples');
const ENV = {
  APP_URL: 'https://staging.example.com',
  API_URL: 'https://api.staging.example.com',
  SITE_URL: 'https://www.example.com',
  FRONTEND_ORIGIN: 'https://app.example.com',
  SMOKE_PASSWORD: 'smoke-password-123',
  NEXTAUTH_SECRET: 'nextauth-secret-456',
};

test('the four framework profiles are there', () => {
  assert.deepEqual(
    readdirSync(DIR)
      .filter((f) => f.endsWith('.yaml'))
      .sort(),
    ['express.yaml', 'fastify.yaml', 'nextjs.yaml', 'nginx.yaml'],
  );
});

for (const file of ['express.yaml', 'fastify.yaml', 'nginx.yaml', 'nextjs.yaml']) {
  test(`profiles/examples/${file}: validates, schema line first, variables for URLs and credentials`, async () => {
    const text = readFileSync(join(DIR, file), 'utf8');
    assert.equal(text.split('\n')[0], '# yaml-language-server: $schema=../../schema/profile.schema.json');
    assert.match(text, /\$\{[A-Z_]+/, 'uses ${VAR}');
    const r = await runCli(['validate', join('profiles', 'examples', file)], { env: ENV });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: valid profile "[a-z-]+" → /);
    const k6 = await runCli(['export', 'k6', join('profiles', 'examples', file)], { env: ENV });
    assert.equal(k6.code, 0, k6.stderr);
    for (const secret of [ENV.SMOKE_PASSWORD, ENV.NEXTAUTH_SECRET])
      assert.ok(!k6.stdout.includes(secret), 'no secret in the k6 script');
  });
}

test('a profile that needs its URL says so when the variable is missing (exit 2)', async () => {
  const r = await runCli(['validate', 'profiles/examples/express.yaml'], { env: { ...ENV, APP_URL: '' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /express\.yaml:\d+:\d+: \$\{APP_URL\} is not set: set APP_URL to the deployment/);
});

const apps = [
  { file: 'express.yaml', urlVar: 'APP_URL', start: async () => listen(expressApp()) },
  { file: 'fastify.yaml', urlVar: 'API_URL', start: () => fastifyApp() },
];
for (const app of apps) {
  test(`profiles/examples/${app.file}: probes and security pass against an app set up as its comments say`, async () => {
    const server = await app.start();
    try {
      const r = await runYaml(readFileSync(join(DIR, app.file), 'utf8'), {
        gates: ['probes', 'security'],
        env: { ...ENV, [app.urlVar]: server.url },
      });
      const bad = Object.entries(statuses(r)).filter(([, s]) => s === 'fail' || s === 'error' || s === 'warn');
      assert.deepEqual(bad, []);
      assert.equal(r.verdict, 'pass');
    } finally {
      await server.close();
    }
  });
}
