// One path grammar: the auth gate's token path and a probe condition's body path read the same text the
// same way, and find the same value.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateCondition, parseCondition } from '../../src/conditions.js';
import { JsonPathError, lookup, parseJsonPath, valueAt } from '../../src/lang/json-path.js';

const doc = {
  data: { tokens: [{ value: 't' }], 'access-token': 'a', 'with space': 's', '0': 'zero' },
  items: [1, { id: 7 }],
  n: 0,
  nil: null,
};

// [path as written after "body.", segments, value found in doc ('missing' when not found)]
const table: [string, (string | number)[], unknown][] = [
  ['data.tokens[0].value', ['data', 'tokens', 0, 'value'], 't'],
  ['data.access-token', ['data', 'access-token'], 'a'],
  ['data.with space', ['data', 'with space'], 's'],
  ['data.0', ['data', '0'], 'zero'],
  ['items[1].id', ['items', 1, 'id'], 7],
  ['items.1.id', ['items', '1', 'id'], 7],
  ['n', ['n'], 0],
  ['nil', ['nil'], null],
  ['items[5]', ['items', 5], 'missing'],
  ['data.tokens[0].value.x', ['data', 'tokens', 0, 'value', 'x'], 'missing'],
  ['data.constructor', ['data', 'constructor'], 'missing'],
  ['items.__proto__', ['items', '__proto__'], 'missing'],
  ['data[0]', ['data', 0], 'missing'],
];
for (const [path, segments, value] of table) {
  test(`path ${path}: the same segments and value for auth and for a condition`, () => {
    assert.deepEqual(parseJsonPath(path).segments, segments);
    assert.deepEqual(parseJsonPath(`body.${path}`).segments, segments);
    const found = lookup(doc, parseJsonPath(path));
    assert.deepEqual(found.found ? found.value : 'missing', value);
    const condition = parseCondition(`body.${path} != "never"`);
    assert.deepEqual(condition.subject, { kind: 'body', path: segments });
    const shown = evaluateCondition(condition, { status: 200, headers: {}, body: JSON.stringify(doc) }).display;
    assert.ok(shown.includes(`(${value === 'missing' ? 'missing' : JSON.stringify(value)})`), shown);
  });
}

test('a path may open with an index when the document is an array', () => {
  assert.deepEqual(parseJsonPath('[1].id').segments, [1, 'id']);
  assert.equal(valueAt([{ id: 1 }, { id: 2 }], parseJsonPath('[1].id')), 2);
  assert.deepEqual(parseCondition('body[1].id == 2').subject, { kind: 'body', path: [1, 'id'] });
});

const bad: [string, RegExp][] = [
  ['a..b', /empty segment/],
  ['a.', /ends with "."/],
  ['a.[0]', /an index needs something to index/],
  ['a[x]', /unexpected "\[" at position 2/],
  ['a]b', /unexpected "]" at position 2/],
];
for (const [path, message] of bad) {
  test(`path ${JSON.stringify(path)} is rejected the same way by auth and by a condition`, () => {
    assert.throws(
      () => parseJsonPath(path),
      (err: unknown) => err instanceof JsonPathError && message.test(err.message),
    );
    assert.throws(
      () => parseCondition(`body.${path} == 1`),
      (err: unknown) => err instanceof Error && message.test(err.message),
    );
  });
}
