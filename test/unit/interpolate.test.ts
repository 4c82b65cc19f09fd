import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InterpolationError, interpolate, interpolateForShell } from '../../src/profile/interpolate.js';

const env = { HOST: 'api.example.com', EMPTY: '', TOKEN: 's3cr3t-token' };

const cases: { input: string; value?: string; secrets?: string[]; error?: RegExp }[] = [
  { input: 'https://${HOST}/x', value: 'https://api.example.com/x' },
  { input: '${MISSING:-fallback}', value: 'fallback' },
  { input: '${EMPTY:-fallback}', value: 'fallback' },
  { input: '${EMPTY}', value: '' },
  { input: '$${HOST}', value: '${HOST}' },
  { input: 'Bearer ${secret:TOKEN}', value: 'Bearer s3cr3t-token', secrets: ['s3cr3t-token'] },
  { input: '${secret:MISSING:-dev-default}', value: 'dev-default', secrets: ['dev-default'] },
  { input: 'no variables', value: 'no variables' },
  { input: '${MISSING}', error: /environment variable MISSING is not set/ },
  { input: '${MISSING:?set it in CI}', error: /\$\{MISSING\} is not set: set it in CI/ },
  { input: '${1BAD}', error: /malformed variable reference/ },
  { input: 'x ${OPEN', error: /malformed variable reference/ },
];

for (const c of cases) {
  test(`interpolate ${JSON.stringify(c.input)}`, () => {
    if (c.error) {
      assert.throws(
        () => interpolate(c.input, env),
        (e: unknown) => e instanceof InterpolationError && c.error!.test(e.message),
      );
      return;
    }
    const r = interpolate(c.input, env);
    assert.equal(r.value, c.value);
    assert.deepEqual(r.secrets, c.secrets ?? []);
  });
}

test('interpolateForShell: values travel in environment variables, the command text only refers to them', () => {
  const r = interpolateForShell('git checkout "${BRANCH}" && deploy ${secret:TOKEN} ${MISSING:-a} ${MISSING:-b}', {
    BRANCH: 'x"; touch PWNED; echo "',
    TOKEN: 's3cr3t-token',
  });
  assert.equal(
    r.value,
    'git checkout "${SHIPGATE_VAR_BRANCH}" && deploy ${SHIPGATE_VAR_TOKEN} ${SHIPGATE_VAR_MISSING} ${SHIPGATE_VAR_MISSING_2}',
  );
  assert.deepEqual(r.vars, {
    SHIPGATE_VAR_BRANCH: 'x"; touch PWNED; echo "',
    SHIPGATE_VAR_TOKEN: 's3cr3t-token',
    SHIPGATE_VAR_MISSING: 'a',
    SHIPGATE_VAR_MISSING_2: 'b',
  });
  assert.deepEqual(r.secrets, ['s3cr3t-token']);
  assert.throws(() => interpolateForShell('x ${NOPE}', {}), /environment variable NOPE is not set/);
});
