// Generated files must match the code: docs/checks.md and the profile's JSON Schema (run `npm run docs`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadCatalogue, renderChecksMarkdown } from '../../src/catalogue.js';
import { renderProfileJsonSchema } from '../../src/profile/json-schema.js';
import { GATES } from '../../src/gates/registry.js';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

test('docs/checks.md is up to date (npm run docs)', async () => {
  assert.equal(read('docs/checks.md'), renderChecksMarkdown(await loadCatalogue()));
});

test('schema/profile.schema.json is up to date (npm run docs)', () => {
  assert.equal(read('schema/profile.schema.json'), renderProfileJsonSchema());
});

test('check ids are unique, start with their gate id, and every check has rationale and remediation', async () => {
  const seen = new Set<string>();
  for (const g of await loadCatalogue()) {
    for (const c of g.checks) {
      assert.ok(!seen.has(c.id), `duplicate ${c.id}`);
      seen.add(c.id);
      assert.ok(c.id.startsWith(`${g.id}.`), c.id);
      assert.ok(c.rationale.length > 20 && c.remediation.length > 20, c.id);
    }
  }
  assert.equal(GATES.length, new Set(GATES.map((g) => g.id)).size);
});
