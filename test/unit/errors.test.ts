// Errors carry their exit code: the CLI asks the error, it never matches names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnknownFlawError } from '../../src/demo/server.js';
import { EXIT_INTERNAL, EXIT_USAGE, exitCodeOf, UsageError } from '../../src/errors.js';
import { ProfileError } from '../../src/profile/errors.js';
import { MergeError } from '../../src/report/merge.js';
import { UsageError as PlanUsageError } from '../../src/runner/plan.js';

const table: [string, unknown, number, string][] = [
  ['a usage error', new UsageError('bad flag'), EXIT_USAGE, 'shipgate: '],
  [
    'a profile error (names its own file:line:column)',
    new ProfileError('p.yaml', [{ line: 1, column: 2, message: 'bad' }]),
    EXIT_USAGE,
    '',
  ],
  ['a merge error', new MergeError('nothing to merge'), EXIT_USAGE, 'shipgate: '],
  ['an unknown demo flaw', new UnknownFlawError('unknown flaw "x"'), EXIT_USAGE, 'shipgate: '],
  ['an error named like a usage error but not one', Object.assign(new Error('x'), { name: 'UsageError' }), EXIT_INTERNAL, ''],
  ['a TypeError', new TypeError('x is undefined'), EXIT_INTERNAL, ''],
  ['a thrown string', 'boom', EXIT_INTERNAL, ''],
];
for (const [what, err, code, prefix] of table) {
  test(`${what} exits ${code}`, () => {
    assert.equal(exitCodeOf(err), code);
    if (err instanceof UsageError) assert.equal(err.prefix, prefix);
  });
}

test('the runner re-exports the one UsageError', () => assert.equal(PlanUsageError, UsageError));
