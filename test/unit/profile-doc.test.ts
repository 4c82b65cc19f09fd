// docs/profile.md documents every key of the profile: each gate has its section, and every key of the
// JSON Schema (generated from the zod schemas) is named in the section it belongs to.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GATES } from '../../src/gates/registry.js';
import { renderProfileJsonSchema } from '../../src/profile/json-schema.js';
import { ROOT } from '../helpers/cli.js';

const doc = readFileSync(join(ROOT, 'docs', 'profile.md'), 'utf8');

/** The text from a "## heading" line to the next "## " heading. */
function section(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `docs/profile.md has no "## ${heading}" section`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

type Node = {
  properties?: Record<string, Node>;
  items?: Node;
  anyOf?: Node[];
  oneOf?: Node[];
  allOf?: Node[];
  additionalProperties?: Node | boolean;
};

/** Every key path of the schema: "gates.load.endpoints[].thresholds[].threshold". */
function keyPaths(node: Node, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(node.properties ?? {})) {
    const p = prefix ? `${prefix}.${k}` : k;
    out.push(p, ...keyPaths(v, p));
  }
  for (const alt of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) out.push(...keyPaths(alt, prefix));
  if (node.items) out.push(...keyPaths(node.items, `${prefix}[]`));
  if (node.additionalProperties && typeof node.additionalProperties === 'object')
    out.push(...keyPaths(node.additionalProperties, `${prefix}.<name>`));
  return [...new Set(out)];
}

const paths = keyPaths(JSON.parse(renderProfileJsonSchema()));

/** The key is named in backticks, alone or as the end of a longer key path (`liveness.path`, `steps[].name`). */
function names(text: string, key: string): boolean {
  if (!key.includes('.') && text.includes(`\n### ${key}\n`)) return true; // a top-level key with its own heading
  const leaf = key
    .split(/\.|\[\]/)
    .filter(Boolean)
    .at(-1)!
    .replace(/[$]/g, '\\$');
  return new RegExp('`(?:[\\w$<>\\[\\].-]*[.\\]])?' + leaf + '`').test(text);
}

test('every gate of the registry has a section in docs/profile.md', () => {
  for (const g of GATES) section(`gates.${g.id}`);
});

for (const g of GATES) {
  test(`docs/profile.md names every key of gates.${g.id}`, () => {
    const text = section(`gates.${g.id}`);
    const missing = paths.filter((p) => p.startsWith(`gates.${g.id}.`)).filter((p) => !names(text, p));
    assert.deepEqual(missing, [], `add these keys to the "## gates.${g.id}" section (key, default, what it does)`);
  });
}

test('docs/profile.md names every key of the common part', () => {
  const text = section('The common part');
  const missing = paths.filter((p) => p !== 'gates' && !p.startsWith('gates.')).filter((p) => !names(text, p));
  assert.deepEqual(missing, []);
});

test('the README links the profile reference', () => {
  assert.match(readFileSync(join(ROOT, 'README.md'), 'utf8'), /\]\(docs\/profile\.md\)/);
});

test('every YAML example in docs/profile.md is a valid profile (completed with a name and a target where it is a fragment)', async () => {
  const { parse, stringify } = await import('yaml');
  const { parseProfile } = await import('../../src/profile/load.js');
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 8, `only ${blocks.length} YAML blocks`);
  const env = {
    STAGING_URL: 'https://staging.example.com',
    STAGING_TOKEN: 'token-1234',
    DATABASE_URL: 'postgres://db',
    SMOKE_PASSWORD: 'pw-1234',
    QA_PASSWORD: 'qa-pw-1234',
    SHIPGATE_CLIENT_KEY: '-----BEGIN PRIVATE KEY-----',
  };
  const { GATE_IDS } = await import('../../src/gates/registry.js');
  let validated = 0;
  for (const [i, text] of blocks.entries()) {
    const block = parse(text) as Record<string, any>;
    // A gate this build does not have yet (merged separately) cannot be validated here.
    if (Object.keys(block.gates ?? {}).some((id) => !GATE_IDS.includes(id))) continue;
    validated++;
    const profile = {
      name: 'doc',
      target: { baseUrl: 'http://127.0.0.1:3000' },
      ...block,
      gates: { build: {}, probes: {}, security: {}, ...block.gates },
    };
    // Files an example names (target.tls.ca: certs/…) exist on the reader's machine, not here.
    const parse1 = () => {
      try {
        parseProfile(stringify(profile), `docs/profile.md (yaml block ${i + 1})`, env);
      } catch (err) {
        const problems = String((err as Error).message)
          .split('\n')
          .filter((l) => l.trim() && !/: no such file: /.test(l));
        if (problems.length) throw err;
      }
    };
    assert.doesNotThrow(parse1, `yaml block ${i + 1}:\n${text}`);
  }
  assert.ok(validated >= 8, `only ${validated} YAML blocks validated`);
});
