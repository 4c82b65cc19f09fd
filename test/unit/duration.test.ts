// Durations as people write them, and as shipgate prints them (issue 18 item 8, issue 19 item 16).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_DURATION_MS, formatDuration, parseDuration } from '../../src/duration.js';

const valid: [string | number, number][] = [
  ['500ms', 500],
  ['1.5s', 1500],
  ['5m', 300_000],
  ['1m30s', 90_000],
  ['1h2m3s', 3_723_000],
  ['2s500ms', 2500],
  ['1h 30m', 5_400_000],
  [250, 250],
];
for (const [input, ms] of valid)
  test(`duration ${JSON.stringify(input)} = ${ms}ms`, () => assert.equal(parseDuration(input), ms));

for (const input of ['', 'abc', '1x', '30s1m', '1m1m', 'm', '-5s', -5, Number.NaN]) {
  test(`duration ${JSON.stringify(input)} is refused`, () => assert.equal(parseDuration(input), undefined));
}

test('every duration shipgate prints reads back', () => {
  for (const ms of [90_000, 3_723_000, 600_000, 1500])
    assert.equal(parseDuration(formatDuration(ms)), Math.round(ms / 100) * 100);
});

test('durations a timer cannot hold (≥ 2^31 ms) are refused, not clamped to 1 ms', () => {
  assert.equal(parseDuration('600h'), undefined);
  assert.equal(parseDuration(2 ** 31), undefined);
  assert.equal(parseDuration(`${MAX_DURATION_MS}ms`), MAX_DURATION_MS);
  assert.ok(MAX_DURATION_MS < 2 ** 31);
});
