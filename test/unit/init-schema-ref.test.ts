// Where a new profile's $schema line points: a path that resolves for whoever checks the profile out.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { schemaRef } from '../../src/init/schema-ref.js';

function tree(files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'shipgate-schema-ref-'));
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), '{}');
  }
  return root;
}

test('installed in the project: the schema it ships, relative to the profile', () => {
  const root = tree(['app/package.json', 'app/node_modules/shipgate/package.json']);
  const r = schemaRef(join(root, 'app', 'profiles'), join(root, 'app', 'node_modules', 'shipgate'), 'shipgate');
  assert.deepEqual(r, { ref: '../node_modules/shipgate/schema/profile.schema.json' });
});

test('run through npx in a Node.js project: where the schema will be once installed, with a note', () => {
  const root = tree(['app/package.json', 'npm-cache/_npx/1a2b/node_modules/shipgate/package.json']);
  const r = schemaRef(
    join(root, 'app', 'profiles'),
    join(root, 'npm-cache', '_npx', '1a2b', 'node_modules', 'shipgate'),
    'shipgate',
  );
  assert.equal(r.ref, '../node_modules/shipgate/schema/profile.schema.json');
  assert.match(r.note ?? '', /resolves once shipgate is a devDependency of .*app \(npm install --save-dev shipgate\)/);
});

test("no Node.js project around the profile, or shipgate's own checkout: the schema it ships", () => {
  const root = tree(['tool/package.json']);
  assert.deepEqual(schemaRef(join(root, 'elsewhere'), join(root, 'tool'), 'shipgate'), {
    ref: '../tool/schema/profile.schema.json',
  });
  assert.deepEqual(schemaRef(join(root, 'tool', 'profiles'), join(root, 'tool'), 'shipgate'), {
    ref: '../schema/profile.schema.json',
  });
});
