// Which JSON doors the profile names, and the probes each gets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { doorProbes, jsonDoors } from '../../checks/security/error-doors.js';

const base = new URL('http://127.0.0.1:3000');

test('doors: errors.apiPath, login and refresh, load endpoints with a body, the realtime publish request; each once, GETs left out', () => {
  const gates = {
    auth: { login: { method: 'POST', path: '/api/auth/login' }, refresh: { method: 'POST', path: '/api/auth/refresh' } },
    load: {
      endpoints: [
        { name: 'list', method: 'GET', path: '/api/items', target: '/api/items' },
        { name: 'create', method: 'POST', path: '/api/items', body: { name: 'x' }, target: '/api/items' },
        {
          name: 'search',
          method: 'POST',
          url: 'http://127.0.0.1:3000/api/search?q=1',
          body: '{}',
          target: 'http://127.0.0.1:3000/api/search?q=1',
        },
        { name: 'elsewhere', method: 'POST', url: 'http://other.test/api/x', body: '{}', target: 'http://other.test/api/x' },
      ],
    },
    realtime: { publish: { method: 'POST', url: '/api/rooms/{marker}/messages', headers: {}, body: '{"text":"{marker}"}' } },
  };
  assert.deepEqual(
    jsonDoors(gates, { apiPath: '/api/items', method: 'POST' }, base).map((d) => `${d.source}: ${d.method} ${d.path}`),
    [
      'errors.apiPath: POST /api/items',
      'auth.login: POST /api/auth/login',
      'auth.refresh: POST /api/auth/refresh',
      'load.endpoints (search): POST /api/search?q=1',
      'realtime publish request: POST /api/rooms/shipgate-probe/messages',
    ],
  );
});

test('probes: malformed, wrong content type, oversized (unterminated JSON of the asked size), wrong method', () => {
  const probes = doorProbes({ method: 'POST', path: '/api/login', source: 'auth.login' }, 2048);
  assert.deepEqual(
    probes.map((p) => `${p.kind}: ${p.method} ${p.headers['content-type']}`),
    [
      'malformed JSON: POST application/json',
      'wrong content type: POST text/plain',
      'oversized body: POST application/json',
      'wrong method: PUT application/json',
    ],
  );
  const big = probes[2].body;
  assert.equal(big.length, 2048);
  assert.throws(() => JSON.parse(big));
  assert.equal(
    doorProbes({ method: 'PUT', path: '/x', source: 's' }, 0)
      .map((p) => p.kind)
      .join(),
    'malformed JSON,wrong content type,wrong method',
  );
  assert.equal(doorProbes({ method: 'PUT', path: '/x', source: 's' }, 0)[2].method, 'POST');
});
