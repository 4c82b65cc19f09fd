// The one transport-error mapper (src/http/errors.ts) words Chromium's network errors like Node's: a page
// Chromium could not open reads like any other client's refusal, Chromium's code kept in parentheses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toHttpError } from '../../src/http/errors.js';

const url = new URL('https://127.0.0.1:8443/live');
const chromium = (code: string) => new Error(`page.goto: net::${code} at https://127.0.0.1:8443/live`);

const table: [string, unknown, string, string][] = [
  [
    'Node: refused',
    Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    'refused',
    'connection refused to 127.0.0.1:8443',
  ],
  [
    'Chromium: refused',
    chromium('ERR_CONNECTION_REFUSED'),
    'refused',
    'connection refused to 127.0.0.1:8443 (net::ERR_CONNECTION_REFUSED)',
  ],
  [
    'Chromium: unknown host',
    chromium('ERR_NAME_NOT_RESOLVED'),
    'dns',
    'cannot resolve host 127.0.0.1 (net::ERR_NAME_NOT_RESOLVED)',
  ],
  [
    'Node: expired',
    Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }),
    'tls',
    'TLS handshake with 127.0.0.1:8443 failed: certificate has expired',
  ],
  [
    'Chromium: expired or not yet valid',
    chromium('ERR_CERT_DATE_INVALID'),
    'tls',
    'TLS handshake with 127.0.0.1:8443 failed: certificate has expired or is not yet valid (net::ERR_CERT_DATE_INVALID)',
  ],
  [
    'Chromium: untrusted',
    chromium('ERR_CERT_AUTHORITY_INVALID'),
    'tls',
    'TLS handshake with 127.0.0.1:8443 failed: certificate not trusted (self-signed or unknown CA) (net::ERR_CERT_AUTHORITY_INVALID)',
  ],
  [
    'Chromium: a TLS code not in the table',
    chromium('ERR_SSL_OBSOLETE_CIPHER'),
    'tls',
    'TLS handshake with 127.0.0.1:8443 failed: TLS error (net::ERR_SSL_OBSOLETE_CIPHER)',
  ],
];

for (const [what, err, kind, message] of table) {
  test(`${what} → ${kind}: ${message}`, () => {
    const e = toHttpError(err, url, 1000, false);
    assert.deepEqual([e.kind, e.message], [kind, message]);
  });
}
