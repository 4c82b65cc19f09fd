import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConditionSyntaxError, evaluateCondition, parseCondition } from '../../src/conditions.js';

const response = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ status: 'degraded', checks: { db: 'ok' }, items: [1, 2], n: 5 }),
};

const cases: [string, boolean, string][] = [
  ['body.status == "ok"', false, 'body.status ("degraded") == "ok"'],
  ['body.status == degraded', true, 'body.status ("degraded") == "degraded"'],
  ['body.checks.db == "ok"', true, 'body.checks.db ("ok") == "ok"'],
  ['body.items[1] == 2', true, 'body.items[1] (2) == 2'],
  ['body.items contains 2', true, 'body.items ([1,2]) contains 2'],
  ['body.n >= 5', true, 'body.n (5) >= 5'],
  ['body.n < 5', false, 'body.n (5) < 5'],
  ['body.missing == 1', false, 'body.missing (missing) == 1'],
  ['status == 200', true, 'status (200) == 200'],
  ['status != 200', false, 'status (200) != 200'],
  ['header.Content-Type contains json', true, 'header.content-type ("application/json") contains "json"'],
  ['body.status matches "^deg"', true, 'body.status ("degraded") matches /^deg/'],
];

for (const [source, ok, display] of cases) {
  test(`condition ${source}`, () => {
    const outcome = evaluateCondition(parseCondition(source), response);
    assert.equal(outcome.ok, ok);
    assert.equal(outcome.display, display);
  });
}

test('a body that is not JSON fails body conditions with the reason', () => {
  const o = evaluateCondition(parseCondition('body.status == "ok"'), { ...response, body: '<html>' });
  assert.equal(o.ok, false);
  assert.match(o.display, /body is not JSON/);
});

for (const bad of ['body.status is ok', 'nonsense == 1', 'body.status ==', 'body..x == 1']) {
  test(`condition syntax error: ${bad}`, () => assert.throws(() => parseCondition(bad), ConditionSyntaxError));
}

test('a `matches` regex runs in linear time (no catastrophic backtracking)', () => {
  const c = parseCondition('body.status matches "^(a+)+$"');
  const o = evaluateCondition(c, { ...response, body: JSON.stringify({ status: `${'a'.repeat(5_000)}!` }) });
  assert.equal(o.ok, false);
  assert.equal(o.display.endsWith('matches /^(a+)+$/'), true);
});

test('a `matches` regex using backtracking-only syntax is refused at load with the reason', () => {
  assert.throws(() => parseCondition('body.status matches "(a)\\\\1"'), /linear-time|backreference|invalid/);
});

test('body paths are own properties: body.constructor is missing, not Object', () => {
  const o = evaluateCondition(parseCondition('body.constructor != "x"'), response);
  assert.equal(o.display, 'body.constructor (missing) != "x"');
});
