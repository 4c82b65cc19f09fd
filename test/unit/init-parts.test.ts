// The pure parts of shipgate init: reading scripts and pages, naming profiles, quoting YAML, finding tokens.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { profileNameFor } from '../../src/commands/init.js';
import { neighbourOrigins } from '../../checks/security/init-cors.js';
import { findTokenPath } from '../../checks/auth/init-discover.js';
import { cleanStreamUrl, guessPage, streamsInScript } from '../../checks/realtime/init-discover.js';
import { q } from '../../src/init/yaml.js';

const BASE = new URL('http://127.0.0.1:4000');

const scripts: [string, string, { kind: string; url: string }[]][] = [
  [
    'EventSource with a literal path and a query',
    "new EventSource('/api/live/events?client=' + id)",
    [{ kind: 'sse', url: '/api/live/events' }],
  ],
  ['EventSource in a template literal', 'const es = new EventSource(`/stream/${room}`)', [{ kind: 'sse', url: '/stream/' }]],
  [
    'WebSocket with an absolute URL on the target',
    'new WebSocket("ws://127.0.0.1:4000/ws")',
    [{ kind: 'websocket', url: '/ws' }],
  ],
  [
    'WebSocket on another host',
    "new WebSocket('wss://push.example.com/socket')",
    [{ kind: 'websocket', url: 'wss://push.example.com/socket' }],
  ],
  [
    'WebSocket from a computed URL: the ws-looking literal',
    "var url = proto + location.host + '/api/live/ws?client=' + id; var ws = new WebSocket(url);",
    [{ kind: 'websocket', url: '/api/live/ws' }],
  ],
  ['no stream at all', "fetch('/api/items').then(r => r.json())", []],
  ['a ws-looking literal without any WebSocket is not a stream', "fetch('/api/ws/items')", []],
];
for (const [what, code, expected] of scripts) {
  test(`streams in a script: ${what}`, () => assert.deepEqual(streamsInScript(code, BASE), expected));
}

test('stream URLs: "/" alone and non-paths are dropped', () => {
  assert.equal(cleanStreamUrl('/', BASE), undefined);
  assert.equal(cleanStreamUrl('events', BASE), undefined);
  assert.equal(cleanStreamUrl('?x=1', BASE), undefined);
  assert.equal(cleanStreamUrl('/events#x', BASE), '/events');
});

test('page guesses: the text input, the submit button and the list', () => {
  const html =
    '<form><input type="hidden" name="csrf"><input name="q" type="search"><button type="button" id="clear">x</button><button>Go</button></form><ul class="x" id="results"></ul>';
  assert.deepEqual(guessPage('/search', html), {
    page: '/search',
    input: 'input[name=q]',
    submit: 'button[type=submit]',
    list: '#results li',
  });
  assert.deepEqual(guessPage('/empty', '<p>nothing</p>'), { page: '/empty' });
});

const names: [string, string][] = [
  ['http://127.0.0.1:4100', 'local'],
  ['http://localhost:3000', 'local'],
  ['http://[::1]:3000', 'local'],
  ['https://staging.example.com', 'staging-example'],
  ['https://www.example.com', 'example'],
  ['https://1password.example.com', 'target-1password-example'],
];
for (const [url, name] of names) test(`profile name for ${url}: ${name}`, () => assert.equal(profileNameFor(new URL(url)), name));

test('neighbour origins to try for CORS: the parent domain and its usual front ends, none for IPs', () => {
  assert.deepEqual(neighbourOrigins(new URL('https://api.example.com')), [
    'https://example.com',
    'https://www.example.com',
    'https://app.example.com',
  ]);
  assert.deepEqual(neighbourOrigins(new URL('https://example.com')), ['https://www.example.com', 'https://app.example.com']);
  assert.deepEqual(neighbourOrigins(new URL('http://10.0.0.5:8080')), []);
  assert.deepEqual(neighbourOrigins(new URL('http://localhost:8080')), []);
});

test('token paths: a JWT anywhere, else a string under a token-like key; never the refresh token', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
  assert.equal(findTokenPath({ accessToken: jwt }), 'accessToken');
  assert.equal(findTokenPath({ data: { tokens: { refresh: jwt, access: jwt } } }), 'data.tokens.access');
  assert.equal(findTokenPath({ user: { id: 1 }, access_token: 'opaque-0123456789abcdef' }), 'access_token');
  assert.equal(findTokenPath({ refreshToken: jwt }), undefined);
  assert.equal(findTokenPath({ ok: true }), undefined);
});

test('YAML scalars: plain where safe, quoted where YAML would read something else', () => {
  for (const s of [
    '/health',
    'local',
    'body.status == "ok"',
    '#items li',
    'yes',
    '127-0-0-1',
    'http://x:1',
    'it\'s "both"',
    '',
  ]) {
    assert.equal(parse(`v: ${q(s)}`).v, s, `${s} → ${q(s)}`);
  }
  assert.equal(q('/health'), '/health');
  assert.equal(q('body.status == "ok"'), `'body.status == "ok"'`);
});
