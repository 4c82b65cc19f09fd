// A package that installs (issue 18 item 2): `npm pack`, install the tarball into an empty project with
// --prefer-offline (the tarballs npm ci cached; only missing registry metadata is fetched), then run shipgate
// from there: --version, validate and a demo run, which proves `files`, `bin`, the built demo target, the
// profiles and the schema are all in the package.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/cli.js';

const npm = (args: string[], cwd: string) =>
  spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });

test('the npm pack tarball installs into an empty project and runs --version, validate and demo', { timeout: 300_000 }, () => {
  const packDir = mkdtempSync(join(tmpdir(), 'shipgate-pack-'));
  // --ignore-scripts: dist/ is already built by `npm test`'s build step; prepare would rebuild it.
  const packed = npm(['pack', '--ignore-scripts', '--pack-destination', packDir], ROOT);
  assert.equal(packed.status, 0, packed.stderr);
  const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote no tarball');

  const project = mkdtempSync(join(tmpdir(), 'shipgate-install-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-shipgate', version: '1.0.0', private: true }));
  const installed = npm(
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--save-dev', join(packDir, tarball)],
    project,
  );
  assert.equal(installed.status, 0, `npm install --prefer-offline failed\n${installed.stderr}`);
  // What a user installing shipgate on Node 20 gets: no dependency that needs a newer Node.
  assert.doesNotMatch(installed.stderr, /EBADENGINE/, installed.stderr);

  const shipgate = (args: string[]) =>
    spawnSync('npx', ['--no-install', 'shipgate', ...args], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
      timeout: 120_000,
    });
  const version = shipgate(['--version']);
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
  const profile = join(project, 'node_modules', 'shipgate', 'profiles', 'demo.yaml');
  const validated = shipgate(['validate', profile]);
  assert.equal(validated.status, 0, validated.stdout + validated.stderr);
  const demo = shipgate(['demo', '--gates', 'probes', '-r', 'json=out/run.json']);
  assert.equal(demo.status, 0, demo.stdout + demo.stderr);
  assert.match(demo.stdout, /PASS/);
  execFileSync('node', ['-e', 'JSON.parse(require("fs").readFileSync("out/run.json","utf8"))'], { cwd: project });
});
