// The pure parts of TLS, proxies and stream caps, as tables: NO_PROXY matching, the protocol verdict
// (including the honest skip when this OpenSSL cannot offer an old protocol) and the SSE event counter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeProtocols } from '../../checks/security/tls-checks.js';
import { EventSizeCounter } from '../../src/http/stream-caps.js';
import { proxyFor, trustFor } from '../../src/http/trust.js';

test('proxyFor: HTTPS_PROXY / HTTP_PROXY / NO_PROXY as curl reads them; target.proxy overrides the environment', () => {
  const env = {
    HTTPS_PROXY: 'http://proxy:3128',
    HTTP_PROXY: 'http://plain-proxy:3128',
    NO_PROXY: 'localhost,.internal,10.0.0.5:8443',
  };
  const proxy = trustFor({}, env).proxy;
  const table: [string, string | undefined][] = [
    ['https://staging.example.com/', 'http://proxy:3128'],
    ['http://staging.example.com/', 'http://plain-proxy:3128'],
    ['wss://staging.example.com/ws', 'http://proxy:3128'],
    ['https://localhost:3000/', undefined],
    ['https://api.internal/', undefined],
    ['https://internal/', undefined],
    ['https://a.b.internal/', undefined],
    ['https://notinternal.com/', 'http://proxy:3128'],
    ['https://10.0.0.5:8443/', undefined],
    ['https://10.0.0.5:9443/', 'http://proxy:3128'],
  ];
  for (const [url, expected] of table) assert.equal(proxyFor(new URL(url), proxy), expected, url);
  assert.equal(proxyFor(new URL('https://x.example/'), trustFor({}, { ...env, NO_PROXY: '*' }).proxy), undefined);
  assert.equal(proxyFor(new URL('https://x.example/'), trustFor({ proxy: 'http://mine:8080' }, env).proxy), 'http://mine:8080');
  assert.equal(proxyFor(new URL('https://x.example/'), trustFor({}, {}).proxy), undefined);
});

test('judgeProtocols: accepted old protocols fail, refused pass, and a build that cannot offer them skips saying so', () => {
  const refused = (v: 'TLSv1' | 'TLSv1.1') => ({
    version: v,
    outcome: 'refused' as const,
    detail: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  });
  assert.equal(judgeProtocols('TLSv1.3', [refused('TLSv1'), refused('TLSv1.1')]).status, 'pass');
  const accepts = judgeProtocols('TLSv1.3', [
    { version: 'TLSv1', outcome: 'accepted', detail: 'handshake completed with TLSv1' },
    refused('TLSv1.1'),
  ]);
  assert.equal(accepts.status, 'fail');
  assert.match(accepts.message, /^the target accepts TLS 1\.0 \(deprecated, RFC 8996\)$/);
  const cannot = judgeProtocols('TLSv1.3', [
    { version: 'TLSv1', outcome: 'cannot-offer', detail: 'ERR_SSL_NO_PROTOCOLS_AVAILABLE no protocols available' },
    refused('TLSv1.1'),
  ]);
  assert.equal(cannot.status, 'skip');
  assert.match(cannot.message, /this Node\/OpenSSL cannot offer TLSv1, so their refusal was not tested/);
  assert.equal(judgeProtocols('TLSv1.1', [refused('TLSv1'), refused('TLSv1.1')]).status, 'fail');
});

test('EventSizeCounter: an event ends at an empty line (LF, CR or CRLF, split across chunks); a longer one is cut', () => {
  const c = new EventSizeCounter(10);
  assert.equal(c.push(Buffer.from('data: 1234\n\n')), true);
  assert.equal(c.push(Buffer.from('data: 12\r')), true);
  assert.equal(c.push(Buffer.from('\n\r\ndata: 1234\r\n\r\n')), true, 'CRLF split across chunks still ends the event');
  assert.equal(c.push(Buffer.from('data: 12\ndata: 34\n')), false, 'two lines of one event count together');
  const line = new EventSizeCounter(10);
  assert.equal(line.push(Buffer.alloc(10, 'a')), true);
  assert.equal(line.push(Buffer.from('a')), false);
});
