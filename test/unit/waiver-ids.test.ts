// Which check ids a waiver may name: catalogue ids, dynamic ids below them, and families with ".*".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKnownCheckId } from '../../src/profile/extras.js';

const table: [string, boolean][] = [
  ['security.cors.reflect-origin', true],
  ['security.cors.*', true],
  ['security.*', true],
  ['load.threshold.search.p95', true], // a dynamic id below load.threshold
  ['load.threshold.search.*', true], // every threshold of one endpoint
  ['load.threshold.*', true],
  ['load.*', true],
  ['security.cors.reflects-origin', false],
  ['nonsense.*', false],
  ['load.thresholds.*', false],
];

for (const [id, known] of table) {
  test(`waiver check id ${id}: ${known ? 'accepted' : 'rejected'}`, () => assert.equal(isKnownCheckId(id), known));
}
