// Exposure signatures, the random-sibling baseline, source-map discovery and the masking of what was found.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXPOSURE_PROBES, judgeExposure, likeBaseline, maskExposed, siblingPath } from '../../checks/security/exposure.js';
import { announcedMap, parseSourceMap, scriptSources } from '../../checks/security/sourcemaps.js';

const probe = (path: string) => EXPOSURE_PROBES.find((p) => p.path === path)!;
const ok = (body: string, contentType = 'text/plain') => ({ status: 200, contentType, body });

test('siblingPath keeps the shape: folder, leading dot, extension, trailing slash', () => {
  assert.equal(siblingPath('/.env', 'r1'), '/.r1');
  assert.equal(siblingPath('/.env.production', 'r1'), '/.r1.production');
  assert.equal(siblingPath('/.git/HEAD', 'r1'), '/.git/r1');
  assert.equal(siblingPath('/debug/pprof/', 'r1'), '/debug/r1/');
  assert.equal(siblingPath('/backup.tar.gz', 'r1'), '/r1.tar.gz');
});

const cases: { name: string; path: string; body: string; type?: string; exposed: boolean }[] = [
  {
    name: 'a real .env',
    path: '/.env',
    body: '# db\nDATABASE_URL=postgres://u:p@h/db\nexport JWT_SECRET="abc"\n',
    exposed: true,
  },
  { name: 'an app shell at /.env', path: '/.env', body: '<!doctype html><div id=root></div>', type: 'text/html', exposed: false },
  {
    name: 'a JavaScript bundle at /.env',
    path: '/.env',
    body: 'var a = 1;\nfunction f() { return a; }\nwindow.x = f();\nconsole.log(x);\n',
    exposed: false,
  },
  { name: 'git HEAD', path: '/.git/HEAD', body: 'ref: refs/heads/main\n', exposed: true },
  { name: 'git config', path: '/.git/config', body: '[core]\n\trepositoryformatversion = 0\n', exposed: true },
  { name: 'prose mentioning [core]', path: '/.git/config', body: 'see the [core] docs', exposed: false },
  { name: 'expvar', path: '/debug/vars', body: '{"cmdline":["app"],"memstats":{}}', type: 'application/json', exposed: true },
  {
    name: 'a JSON 200 "not found"',
    path: '/debug/vars',
    body: '{"error":"not found"}',
    type: 'application/json',
    exposed: false,
  },
  { name: 'actuator env', path: '/actuator/env', body: '{"activeProfiles":[],"propertySources":[]}', exposed: true },
  { name: 'a .DS_Store', path: '/.DS_Store', body: '\u0000\u0000\u0000\u0001Bud1\u0000\u0000', exposed: true },
  { name: 'an SQL dump', path: '/dump.sql', body: '-- MySQL dump 10.13\nCREATE TABLE users (id int);\n', exposed: true },
  { name: 'phpinfo', path: '/phpinfo.php', body: '<html><title>PHP 8.2.1 - phpinfo()</title>', type: 'text/html', exposed: true },
];

for (const c of cases) {
  test(`signature: ${c.name} → ${c.exposed ? 'exposed' : 'not exposed'}`, () => {
    const found = judgeExposure(probe(c.path), ok(c.body, c.type), { status: 404, contentType: 'text/html', body: 'nope' }, '/x');
    assert.equal(Boolean(found), c.exposed, found?.matched);
  });
}

test('status alone never counts; the same answer as a random sibling never counts', () => {
  assert.equal(
    judgeExposure(probe('/.env'), { status: 404, contentType: 'text/plain', body: 'A=1' }, undefined, '/.r'),
    undefined,
  );
  // A catch-all that serves the same dotenv-looking text for every path is not a /.env exposure.
  assert.equal(judgeExposure(probe('/.env'), ok('A=1\n'), ok('A=1\n'), '/.r'), undefined);
  // App shells differ by a nonce: still like the baseline.
  assert.ok(
    likeBaseline(ok('<html nonce="abc123"></html>', 'text/html'), ok('<html nonce="zz9"></html>', 'text/html'), {
      path: '/a',
      baselinePath: '/b',
    }),
  );
});

test('masking: every dotenv value, secret keys in JSON and config lines, credentials in URLs', () => {
  assert.equal(maskExposed('A=1\nexport B="two"\n# c\n', 'dotenv'), 'A=***\nexport B=***\n# c\n');
  assert.equal(maskExposed('{"apiKey":"k-123","port":80}', 'debug'), '{"apiKey":"***","port":80}');
  assert.equal(
    maskExposed('\turl = https://bot:ghp_secret@git.example.com/r.git', 'vcs'),
    '\turl = https://***@git.example.com/r.git',
  );
});

test('source maps: same-origin scripts only; the SourceMap header wins over the comment; real maps only', () => {
  assert.deepEqual(
    scriptSources(
      '<script src="/a.js"></script><script src=\'b.js?v=1\'></script><script src="https://cdn.test/c.js"></script><script>inline()</script>',
      'http://h.test/app/',
    ),
    ['http://h.test/a.js', 'http://h.test/app/b.js?v=1'],
  );
  assert.equal(
    announcedMap('x\n//# sourceMappingURL=old.map\n//# sourceMappingURL=a.js.map', {}, 'http://h.test/js/a.js'),
    'http://h.test/js/a.js.map',
  );
  assert.equal(
    announcedMap('x\n//# sourceMappingURL=a.js.map', { sourcemap: '/maps/a.map' }, 'http://h.test/js/a.js'),
    'http://h.test/maps/a.map',
  );
  assert.deepEqual(parseSourceMap(')]}\'\n{"version":3,"sources":["a.ts"],"sourcesContent":["x"],"mappings":"A"}'), {
    sources: ['a.ts'],
    withContent: 1,
  });
  assert.equal(parseSourceMap('<!doctype html>'), undefined);
  assert.equal(parseSourceMap('{"version":3}'), undefined);
});
