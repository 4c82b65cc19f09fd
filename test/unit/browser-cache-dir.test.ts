// Where the bundled Chromium is unpacked: SHIPGATE_CACHE_DIR alone when set; else the XDG cache (or
// ~/.cache), then node_modules/.cache/shipgate of the node_modules holding the package.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheDirs } from '../../src/browser/cache-dir.js';

const pkg = '/proj/node_modules/@sparticuz/chromium';
const cases: [string, NodeJS.ProcessEnv, string | undefined, ReturnType<typeof cacheDirs>][] = [
  ['SHIPGATE_CACHE_DIR alone, no fallback', { SHIPGATE_CACHE_DIR: '/c', HOME: '/home/u' }, pkg, { dirs: ['/c'], named: true }],
  [
    'XDG_CACHE_HOME, then node_modules/.cache',
    { XDG_CACHE_HOME: '/x', HOME: '/home/u' },
    pkg,
    { dirs: ['/x/shipgate', '/proj/node_modules/.cache/shipgate'], named: false },
  ],
  [
    '~/.cache without XDG',
    { HOME: '/home/u' },
    pkg,
    { dirs: ['/home/u/.cache/shipgate', '/proj/node_modules/.cache/shipgate'], named: false },
  ],
  ['a home of / is no home', { HOME: '/' }, pkg, { dirs: ['/proj/node_modules/.cache/shipgate'], named: false }],
  [
    'no node_modules above the package',
    { HOME: '/home/u' },
    '/opt/chromium-pkg',
    { dirs: ['/home/u/.cache/shipgate'], named: false },
  ],
];
for (const [name, env, dir, expected] of cases) test(`cacheDirs: ${name}`, () => assert.deepEqual(cacheDirs(env, dir), expected));
