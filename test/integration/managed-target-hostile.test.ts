// Hostile managed targets (issue 19 items 9 and 12): an app that floods its output without newlines, a port
// already taken by another process, and readiness that must come from the started process itself.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { check, runYaml } from '../helpers/run.js';
import { waitGone } from '../helpers/processes.js';
import { closedPort } from '../helpers/servers.js';
import { OutputTail } from '../../src/runner/process-group.js';

const NOISY = fileURLToPath(new URL('../fixtures/apps/noisy-app.mjs', import.meta.url));

function profile(port: number, command: string, env: Record<string, string>, gates = '  probes: { samples: 3, interval: 100ms }'): string {
  return `name: hostile-app
target:
  baseUrl: http://127.0.0.1:${port}
  start:
    command: '${command}'
    env:
${Object.entries(env).map(([k, v]) => `      ${k}: "${v}"`).join('\n')}
    ready:
      url: /health
    timeout: 30s
    stopTimeout: 5s
timeouts:
  request: 3s
gates:
${gates}
`;
}

test('a managed app printing 40 MB without a newline stays healthy: probes pass, its output is kept as a bounded tail', { timeout: 120_000 }, async () => {
  const port = await closedPort();
  const pidfile = join(mkdtempSync(join(tmpdir(), 'shipgate-noisy-')), 'pid');
  const r = await runYaml(profile(port, `"${process.execPath}" "${NOISY}"`, { PORT: String(port), PIDFILE: pidfile, FLOOD_MB: '20' }), { gates: ['probes'] });
  assert.equal(check(r, 'probes.liveness').status, 'pass', check(r, 'probes.liveness').message);
  assert.equal(check(r, 'probes.latency').status, 'pass', check(r, 'probes.latency').message);
  assert.ok(existsSync(pidfile));
  assert.ok(await waitGone(Number(readFileSync(pidfile, 'utf8'))));
});

test('OutputTail: a 20 MB line without a newline is kept as its last 64 KiB, and the lines after it still arrive', () => {
  const tail = new OutputTail();
  const seen: string[] = [];
  tail.onLine((l) => seen.push(l));
  const chunk = 'A'.repeat(64 * 1024);
  for (let i = 0; i < 320; i++) tail.push(chunk);
  tail.push('END\nlistening on 3000\n');
  assert.equal(seen.length, 2);
  assert.ok(seen[0].length <= 64 * 1024 + 'END'.length, `the endless line kept ${seen[0].length} characters`);
  assert.ok(seen[0].endsWith('AEND'));
  assert.equal(seen[1], 'listening on 3000');
  assert.ok(tail.text().length <= 64 * 1024);
});
