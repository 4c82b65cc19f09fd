// Merged runs (`shipgate merge`, several profiles in one `run`): the header names each target once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeResults } from '../../src/report/merge.js';
import { runResultOf } from '../helpers/run-result.js';

const run = (name: string, baseUrl: string) => runResultOf([], { profile: { name, path: `${name}.yaml` }, target: { baseUrl } });

test('three runs against one target name it once; different targets are all named', () => {
  const same = mergeResults(['api', 'web', 'admin'].map((n) => run(n, 'https://staging.example.com/')));
  assert.equal(same.target.baseUrl, 'https://staging.example.com/');
  const two = mergeResults([run('api', 'https://api.example.com/'), run('web', 'https://www.example.com/')]);
  assert.equal(two.target.baseUrl, 'https://api.example.com/, https://www.example.com/');
});
