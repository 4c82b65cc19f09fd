// security.tls.certificate, security.tls.protocols and the https redirect from a configured plain-http
// origin, against real HTTPS servers whose certificates a CA made in the test signed (openssl CLI).
import assert from 'node:assert/strict';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { days, ThrowawayCa } from '../../src/demo/throwaway-ca.js';
import { check, runYaml } from '../helpers/run.js';
import { withServer } from '../helpers/servers.js';
import { startTlsTarget } from '../helpers/tls-target.js';

let ca: ThrowawayCa;
before(() => {
  ca = ThrowawayCa.create();
});
after(() => ca.remove());

async function securityRun(tls: ServerOptions, targetTls = `{ ca: ${JSON.stringify('%CA%')} }`, extra = '') {
  const t = await startTlsTarget(tls);
  try {
    return await runYaml(`name: t
target:
  baseUrl: ${t.url}
  tls: ${targetTls.replace('%CA%', ca.certPath)}
gates:
  security:
    paths: [/]
    cors: { allowedOrigins: [] }
    errors: { enabled: false }
${extra}`);
  } finally {
    await t.close();
  }
}

const cases: { name: string; leaf: () => { cert: string; key: string }; status: string; message: RegExp; targetTls?: string }[] =
  [
    {
      name: 'a good leaf',
      leaf: () => ca.issue({ hosts: ['127.0.0.1'] }),
      status: 'pass',
      message:
        /^trusted certificate for IP Address:127\.0\.0\.1, issued by CN=shipgate throwaway CA, expires \d{4}-\d\d-\d\d \(\d+ days left\)$/,
    },
    {
      name: 'an expired leaf',
      leaf: () => ca.issue({ hosts: ['127.0.0.1'], notBefore: days(-60), notAfter: days(-2) }),
      status: 'fail',
      message: /expired on \d{4}-\d\d-\d\d \([23] days ago\)/,
    },
    {
      name: 'a not-yet-valid leaf',
      leaf: () => ca.issue({ hosts: ['127.0.0.1'], notBefore: days(2), notAfter: days(60) }),
      status: 'fail',
      message: /is not valid before /,
    },
    {
      name: 'a wrong-host leaf',
      leaf: () => ca.issue({ hosts: ['other.example'] }),
      status: 'fail',
      message: /the certificate is for another host \(it names DNS:other\.example\)/,
    },
    {
      name: 'a self-signed (untrusted) leaf',
      leaf: () => ca.selfSigned(['127.0.0.1']),
      status: 'fail',
      message: /the certificate is self-signed and not trusted/,
    },
    {
      name: 'a leaf expiring in 3 days (failDays 7)',
      leaf: () => ca.issue({ hosts: ['127.0.0.1'], notAfter: days(3.5) }),
      status: 'fail',
      message: /\(3 days left\): fewer than failDays \(7\)/,
    },
    {
      name: 'a leaf expiring in 10 days (warnDays 21)',
      leaf: () => ca.issue({ hosts: ['127.0.0.1'], notAfter: days(10.5) }),
      status: 'warn',
      message: /\(10 days left\): fewer than warnDays \(21\)/,
    },
    {
      name: 'a self-signed leaf under insecure: true',
      leaf: () => ca.selfSigned(['127.0.0.1']),
      targetTls: '{ insecure: true }',
      status: 'warn',
      message: /self-signed and not trusted .*not verified because target\.tls\.insecure is true/,
    },
  ];

for (const c of cases) {
  test(`security.tls.certificate: ${c.name} → ${c.status}`, async () => {
    const r = await securityRun(c.leaf(), c.targetTls);
    const cert = check(r, 'security.tls.certificate');
    assert.equal(cert.status, c.status, cert.message);
    assert.match(cert.message, c.message);
    const d = cert.evidence!.details!;
    for (const k of ['subject', 'subjectAltNames', 'issuer', 'notBefore', 'notAfter', 'daysLeft', 'chain'])
      assert.ok(k in d, `evidence has ${k}`);
  });
}

test('security.tls.protocols: a TLS 1.2+ server passes; one that accepts TLS 1.0 and 1.1 fails', async () => {
  const leaf = ca.issue({ hosts: ['127.0.0.1'] });
  const modern = check(await securityRun(leaf), 'security.tls.protocols');
  assert.equal(modern.status, 'pass', modern.message);
  assert.match(modern.message, /^TLSv1\.3 negotiated; TLS 1\.0 and 1\.1 refused$/);
  const old = check(await securityRun({ ...leaf, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }), 'security.tls.protocols');
  assert.equal(old.status, 'fail', old.message);
  assert.match(old.message, /^the target accepts TLS 1\.0 and TLS 1\.1 \(deprecated, RFC 8996\)$/);
});

test('https-redirect is judged from gates.security.httpsRedirect.from on a non-standard port', async () => {
  const leaf = ca.issue({ hosts: ['127.0.0.1'] });
  const t = await startTlsTarget(leaf);
  try {
    await withServer(
      (req, res) => res.writeHead(301, { location: `${t.url}${req.url}` }).end(),
      async (plain) => {
        const r = await runYaml(`name: t
target:
  baseUrl: ${t.url}
  tls: { ca: ${JSON.stringify(ca.certPath)} }
gates:
  security:
    paths: [/]
    cors: { allowedOrigins: [] }
    errors: { enabled: false }
    httpsRedirect: { from: "${plain}" }
`);
        const redirect = check(r, 'security.headers.https-redirect');
        assert.equal(redirect.status, 'pass', redirect.message);
        assert.match(redirect.message, /http:\/\/ redirects to https:\/\/127\.0\.0\.1:\d+\//);
      },
    );
    await withServer(
      (_req, res) => res.end('plain'),
      async (plain) => {
        const r = await runYaml(
          `name: t\ntarget:\n  baseUrl: ${t.url}\n  tls: { ca: ${JSON.stringify(ca.certPath)} }\ngates:\n  security:\n    paths: [/]\n    cors: { allowedOrigins: [] }\n    errors: { enabled: false }\n    httpsRedirect: { from: "${plain}" }\n`,
        );
        assert.equal(check(r, 'security.headers.https-redirect').status, 'fail');
      },
    );
  } finally {
    await t.close();
  }
});

test('HSTS preload eligibility, judged on the https origin as hstspreload.org does, in the evidence', async () => {
  const cases = [
    {
      header: 'max-age=63072000; includeSubDomains; preload',
      tls: `{ ca: ${JSON.stringify(ca.certPath)}, serverName: www.shipgate.example }`,
      status: 'pass',
      message: /preload \(eligible for the HSTS preload list\)/,
      eligible: /^yes/,
    },
    {
      header: 'max-age=15768000; includeSubDomains; preload',
      tls: `{ ca: ${JSON.stringify(ca.certPath)}, serverName: www.shipgate.example }`,
      status: 'warn',
      message: /preload is set but the host is not eligible: max-age=15768000 is below 31536000 \(1 year\)/,
      eligible: /^no: max-age=15768000 is below 31536000/,
    },
    {
      header: 'max-age=63072000; includeSubDomains; preload',
      tls: `{ ca: ${JSON.stringify(ca.certPath)} }`,
      hosts: ['127.0.0.1'],
      status: 'warn',
      message: /not eligible: 127\.0\.0\.1 is not a public domain name/,
      eligible: /^no: 127\.0\.0\.1 is not a public domain name/,
    },
  ];
  for (const c of cases) {
    const server = createHttpsServer(ca.issue({ hosts: c.hosts ?? ['www.shipgate.example'] }), (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'strict-transport-security': c.header }).end('{}'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await runYaml(
        `name: t\ntarget:\n  baseUrl: ${url}\n  tls: ${c.tls}\ngates:\n  security:\n    paths: [/]\n    cors: { allowedOrigins: [] }\n    errors: { enabled: false }\n`,
      );
      const hsts = check(r, 'security.headers.hsts');
      assert.equal(hsts.status, c.status, `${c.header}: ${hsts.message}`);
      assert.match(hsts.message, c.message);
      assert.match(String(hsts.evidence?.details?.['preload eligible']), c.eligible);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }
});
