// Every check id written literally in a gate's code is in the catalogue that docs/checks.md is made from.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GATE_IDS } from '../../src/gates/registry.js';
import { isKnownCheckId } from '../../src/profile/extras.js';
import { ROOT } from '../helpers/cli.js';

const files = (d: string): string[] =>
  readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? files(join(d, f)) : f.endsWith('.ts') ? [join(d, f)] : []));

test('every literal check id in checks/ is catalogued', () => {
  const pattern = new RegExp(`['"\`]((?:${GATE_IDS.join('|')})\\.[a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)*)['"\`.]`, 'g');
  const unknown = new Set<string>();
  let seen = 0;
  for (const f of files(join(ROOT, 'checks'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(pattern)) {
      seen++;
      // Paths and file names (e.g. "build.steps" as a profile key) are fine when they are known ids or keys.
      if (!isKnownCheckId(m[1]) && !/\.(ts|js|json|yaml|md|png)$/.test(m[1])) unknown.add(m[1]);
    }
  }
  assert.ok(seen > 50, `only ${seen} ids found: is the pattern right?`);
  assert.deepEqual(
    [...unknown].filter(
      (id) =>
        !/^(auth|load|security|realtime|build|probes)\.(login|endpoints|paths|cors|hsts|steps|timeouts|liveness|readiness|headers|errors|cookies|thresholds|observe|action|browser|start)$/.test(
          id,
        ),
    ),
    [],
  );
});
