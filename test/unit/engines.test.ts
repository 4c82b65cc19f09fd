// Every package the lockfile installs runs on every Node 20 that package.json's engines admits, so `npm ci`
// on Node 20 prints no EBADENGINE warning and no dependency (a test fixture's included) needs a newer Node.
// That is why package.json pins @fastify/cookie at 11.1.0 and overrides fastify's light-my-request to 6.6.0: their
// later releases use cookie 2, which needs Node >= 22.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import semver from 'semver';
import { ROOT } from '../helpers/cli.js';

const read = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));

/** The packages in `lock` whose engines.node leaves out some Node 20 release that `ours` admits. */
function packagesExcludingNode20(lock: any, ours: string): string[] {
  const lowest = semver.minVersion(ours)!;
  assert.equal(lowest.major, 20, `package.json engines.node ${ours} no longer starts at Node 20`);
  const node20 = `>=${lowest.version} <21.0.0-0`;
  return Object.entries<any>(lock.packages)
    .filter(([path, entry]) => path !== '' && typeof entry.engines?.node === 'string')
    .filter(([, entry]) => !semver.subset(node20, entry.engines.node, { includePrerelease: false }))
    .map(([path, entry]) => `${path.replace(/^node_modules\//, '')}@${entry.version} needs node ${entry.engines.node}`);
}

test('no installed package needs a newer Node than the Node 20 that package.json admits', () => {
  const ours = read('package.json').engines.node;
  assert.deepEqual(packagesExcludingNode20(read('package-lock.json'), ours), []);
});

test('the check catches a package that needs Node 22 (the cookie@2 that fastify once pulled in)', () => {
  const lock = { packages: { '': {}, 'node_modules/x/node_modules/cookie': { version: '2.0.2', engines: { node: '>=22' } } } };
  assert.deepEqual(packagesExcludingNode20(lock, '>=20.19'), ['x/node_modules/cookie@2.0.2 needs node >=22']);
  const partial = { packages: { 'node_modules/y': { version: '1.0.0', engines: { node: '^20.20.0 || >=22' } } } };
  assert.deepEqual(packagesExcludingNode20(partial, '>=20.19'), ['y@1.0.0 needs node ^20.20.0 || >=22']);
});
