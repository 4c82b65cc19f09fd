// Merged runs (`shipgate merge`, several profiles in one `run`): the header names each target once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeResults } from '../../src/report/merge.js';
import type { RunResult } from '../../src/result.js';

const run = (name: string, baseUrl: string): RunResult => ({
  schemaVersion: 1,
  tool: { name: 'shipgate', version: 't' },
  profile: { name, path: `${name}.yaml` },
  target: { baseUrl },
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1,
  verdict: 'pass',
  failOn: 'fail',
  gates: [],
});

test('three runs against one target name it once; different targets are all named', () => {
  const same = mergeResults(['api', 'web', 'admin'].map((n) => run(n, 'https://staging.example.com/')));
  assert.equal(same.target.baseUrl, 'https://staging.example.com/');
  const two = mergeResults([run('api', 'https://api.example.com/'), run('web', 'https://www.example.com/')]);
  assert.equal(two.target.baseUrl, 'https://api.example.com/, https://www.example.com/');
});
