// The realtime section of a profile: defaults, step parsing, and every mistake as a profile error
// with file:line:column (table-driven).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProfileError } from '../../src/profile/errors.js';
import { parseProfile } from '../../src/profile/load.js';
import type { RealtimeConfig } from '../../checks/realtime/schema.js';
import { substituteRequest, substituteStep } from '../../checks/realtime/steps.js';

const HEAD = `name: t
target:
  baseUrl: http://127.0.0.1:1
gates:
  realtime:
`;

const BROWSER = `${HEAD}    page: /live
    action:
      - fill: '#item-text'
        value: 'item {marker}'
      - click: '#add'
`;

const realtime = (yaml: string) => parseProfile(yaml, 't.yaml', {}).profile.gates.realtime as RealtimeConfig;

test('a browser section gets its defaults: 5 rounds, p95 < 1s, text observation of the marker', () => {
  const c = realtime(BROWSER);
  assert.equal(c.mode, 'browser');
  assert.equal(c.rounds, 5);
  assert.deepEqual(
    c.latency.map((t) => t.source),
    ['p95 < 1s'],
  );
  assert.deepEqual(c.observe, { selector: 'body', text: '{marker}' });
  assert.deepEqual(c.timeouts, { round: 5000, step: 10000, load: 30000, launch: 30000, offline: 1000, spacing: 250 });
  assert.deepEqual(c.action, [
    { kind: 'fill', selector: '#item-text', value: 'item {marker}' },
    { kind: 'click', selector: '#add' },
  ]);
  assert.equal(c.reconnect, false);
  assert.equal(c.useAccessToken, true);
  assert.equal(c.burst, 3);
  assert.equal(c.inspectStorage, true);
});

test('every step kind parses; a request with json gets a method and a content type', () => {
  const c = realtime(`${HEAD}    login:
      - goto: /login
      - fill: '#user'
        value: demo
      - press: '#password'
        key: Enter
      - waitFor: '#welcome'
    action:
      - request:
          url: /api/items
          json: { text: '{marker}' }
    observe:
      selector: '#items li'
      count: 1
    latency: ['p50 < 200ms', 'max < 2s']
`);
  assert.deepEqual(
    c.login.map((s) => s.kind),
    ['goto', 'fill', 'press', 'waitFor'],
  );
  assert.deepEqual(c.action[0], {
    kind: 'request',
    request: { method: 'POST', url: '/api/items', headers: { 'content-type': 'application/json' }, body: '{"text":"{marker}"}' },
  });
  assert.deepEqual(c.observe, { selector: '#items li', count: 1 });
  assert.deepEqual(
    c.latency.map((t) => t.limitMs),
    [200, 2000],
  );
});

test('a protocol section: stream with {clientId}, publish request', () => {
  const c = realtime(`${HEAD}    mode: websocket
    stream: /api/live/ws?client={clientId}
    publish:
      url: /api/live/items
      headers: { X-Client-Id: '{clientId}' }
      json: { text: 'item {marker}' }
    rounds: 3
`);
  assert.equal(c.mode, 'websocket');
  assert.equal(c.stream, '/api/live/ws?client={clientId}');
  const req = substituteRequest(c.publish!, { marker: 'sg-1', clientId: 'abc' });
  assert.deepEqual(req, {
    method: 'POST',
    url: '/api/live/items',
    headers: { 'X-Client-Id': 'abc', 'content-type': 'application/json' },
    body: '{"text":"item sg-1"}',
  });
});

test('{marker} is replaced everywhere in a step; other braces stay', () => {
  const c = realtime(BROWSER);
  assert.deepEqual(substituteStep(c.action[0], { marker: 'sg-42' }), {
    kind: 'fill',
    selector: '#item-text',
    value: 'item sg-42',
  });
  const r = substituteRequest(
    { method: 'POST', url: '/x/{marker}', headers: { a: '{marker}' }, body: '{"a":"{marker}","b":{"c":1},"d":"{other}"}' },
    { marker: 'm1' },
  );
  assert.deepEqual(r, { method: 'POST', url: '/x/m1', headers: { a: 'm1' }, body: '{"a":"m1","b":{"c":1},"d":"{other}"}' });
});

const bad: { name: string; yaml: string; expect: RegExp }[] = [
  {
    name: 'a bad latency threshold',
    yaml: BROWSER + '    latency: p95 > 1s\n',
    expect:
      /^t\.yaml:11:14 gates\.realtime\.latency: "p95 > 1s": operator ">" at column 5 is not allowed here \(a latency threshold is an upper bound\)/,
  },
  {
    name: 'a bad threshold in a list',
    yaml: BROWSER + '    latency: ["p95 < 1s", "p50 < soon"]\n',
    expect: /^t\.yaml:11:27 gates\.realtime\.latency\[1\]: "p50 < soon": expected a number at column 7, got "soon"/,
  },
  {
    name: 'an unknown step with a suggestion',
    yaml: BROWSER.replace("- click: '#add'", "- clik: '#add'"),
    expect:
      /^t\.yaml:10:9 gates\.realtime\.action\[1\]: expected a step with one of goto, fill, click, press, waitFor, request \(did you mean "click"\?\)/,
  },
  {
    name: 'a step doing two things',
    yaml: BROWSER.replace("- click: '#add'", "- click: '#add'\n        goto: /x"),
    expect: /^t\.yaml:10:9 gates\.realtime\.action\[1\]: a step does one thing; this one has "click" and "goto"/,
  },
  {
    name: 'fill without value',
    yaml: BROWSER.replace("        value: 'item {marker}'\n", ''),
    expect: /^t\.yaml:8:9 gates\.realtime\.action\[0\]\.value: .*expected the text to type/,
  },
  {
    name: 'a stray key in a step',
    yaml: BROWSER.replace("- click: '#add'", "- click: '#add'\n        timeout: 3s"),
    expect: /^t\.yaml:11:9 gates\.realtime\.action\[1\]\.timeout: unknown key/,
  },
  {
    name: 'a step that is not a mapping',
    yaml: BROWSER.replace("- click: '#add'", '- click'),
    expect: /^t\.yaml:10:9 gates\.realtime\.action\[1\]: expected a step \(goto, fill, click, press, waitFor, request\)/,
  },
  {
    name: 'browser mode without action',
    yaml: `${HEAD}    page: /live\n`,
    expect: /^t\.yaml:6:5 gates\.realtime\.action: browser mode needs the steps A performs each round/,
  },
  {
    name: 'an action that never uses the marker',
    yaml: BROWSER.replace("'item {marker}'", "'item'"),
    expect: /gates\.realtime\.action: no action step uses \{marker\}/,
  },
  {
    name: 'observe.text without the marker',
    yaml: BROWSER + '    observe:\n      text: item\n',
    expect: /^t\.yaml:12:13 gates\.realtime\.observe\.text: observe\.text must contain \{marker\}/,
  },
  {
    name: 'observe with text and count',
    yaml: BROWSER + "    observe:\n      text: '{marker}'\n      count: 1\n",
    expect: /gates\.realtime\.observe: observe either text or count, not both/,
  },
  {
    name: 'an unknown mode',
    yaml: BROWSER + '    mode: polling\n',
    expect: /^t\.yaml:11:11 gates\.realtime\.mode: expected one of "browser", "sse", "websocket", got "polling"/,
  },
  {
    name: 'sse mode without stream and publish',
    yaml: `${HEAD}    mode: sse\n`,
    expect: /gates\.realtime\.stream: sse mode needs the stream URL/,
  },
  {
    name: 'a publish request without the marker',
    yaml: `${HEAD}    mode: sse\n    stream: /events\n    publish:\n      url: /items\n      body: hello\n`,
    expect: /^t\.yaml:\d+:\d+ gates\.realtime\.publish: the publish request must contain \{marker\}/,
  },
  {
    name: 'reconnect in protocol mode',
    yaml: `${HEAD}    mode: sse\n    stream: /events\n    publish: { url: '/items?m={marker}' }\n    reconnect: true\n`,
    expect: /gates\.realtime\.reconnect: the reconnect check needs a browser/,
  },
  {
    name: 'a bad round timeout',
    yaml: BROWSER + '    timeouts:\n      round: soon\n',
    expect: /^t\.yaml:12:14 gates\.realtime\.timeouts\.round: expected a duration/,
  },
  {
    name: 'zero rounds',
    yaml: BROWSER + '    rounds: 0\n',
    expect: /^t\.yaml:11:13 gates\.realtime\.rounds: expected a number >= 1, got number 0/,
  },
  {
    name: 'a page that is not a path',
    yaml: BROWSER.replace('page: /live', 'page: live'),
    expect: /^t\.yaml:6:11 gates\.realtime\.page: expected a path starting with "\/" or an absolute http\(s\) URL, got "live"/,
  },
  {
    name: 'body and json together',
    yaml: `${HEAD}    mode: sse\n    stream: /events\n    publish:\n      url: /items\n      body: '{marker}'\n      json: { a: 1 }\n`,
    expect: /gates\.realtime\.publish: give either body or json, not both/,
  },
];
for (const c of bad) {
  test(`realtime profile error: ${c.name}`, () => {
    try {
      parseProfile(c.yaml, 't.yaml', {});
    } catch (err) {
      assert.ok(err instanceof ProfileError, `expected a ProfileError, got ${err}`);
      assert.match(err.message, c.expect);
      return;
    }
    assert.fail('the profile was accepted');
  });
}
