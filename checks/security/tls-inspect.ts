// Looks at the target's TLS as the run's trust sees it: one handshake that does not stop at an untrusted
// certificate (so it can be described), and handshakes offering only TLS 1.0 or 1.1, which must be refused.
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { connect as tlsConnect } from 'node:tls';
import { isIP } from 'node:net';
import { once } from 'node:events';
import type { Trust } from '../../src/http/trust.js';
import { rawConnection } from '../../src/http/tunnel.js';

export interface CertificateObservation {
  /** The negotiated protocol, e.g. "TLSv1.3". */
  protocol: string | null;
  /** Node's verdict with the run's CA and server name: undefined when trusted. */
  authorizationError?: string;
  leaf: CertSummary;
  chain: CertSummary[];
}

export interface CertSummary {
  subject: string;
  issuer: string;
  sans: string[];
  notBefore: Date;
  notAfter: Date;
  fingerprint256: string;
}

function name(x: PeerCertificate['subject'] | undefined): string {
  if (!x) return '';
  return Object.entries(x)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

function summary(c: PeerCertificate): CertSummary {
  return {
    subject: name(c.subject),
    issuer: name(c.issuer),
    sans: (c.subjectaltname ?? '').split(/,\s*/).filter(Boolean),
    notBefore: new Date(c.valid_from),
    notAfter: new Date(c.valid_to),
    fingerprint256: c.fingerprint256,
  };
}

async function handshake(target: URL, trust: Trust, timeoutMs: number, extra: Record<string, unknown>): Promise<TLSSocket> {
  const socket = await rawConnection(target, trust, timeoutMs);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const servername = trust.tls.servername ?? (isIP(host) ? undefined : host);
  const secure = tlsConnect({ socket, host, ...trust.tls, servername, ...extra });
  secure.setTimeout(timeoutMs, () =>
    secure.destroy(Object.assign(new Error(`no TLS handshake within ${timeoutMs}ms`), { code: 'ETIMEDOUT' })),
  );
  try {
    await once(secure, 'secureConnect');
  } catch (err) {
    socket.destroy();
    throw err;
  }
  secure.setTimeout(0);
  return secure;
}

/** The certificate the target presents, and whether the run's trust accepts it (chain, dates, hostname). */
export async function inspectCertificate(target: URL, trust: Trust, timeoutMs: number): Promise<CertificateObservation> {
  const socket = await handshake(target, trust, timeoutMs, { rejectUnauthorized: false });
  try {
    const peer = socket.getPeerCertificate(true);
    const chain: CertSummary[] = [];
    const seen = new Set<string>();
    for (
      let c: PeerCertificate | undefined = peer;
      c && c.fingerprint256 && !seen.has(c.fingerprint256);
      c = (c as { issuerCertificate?: PeerCertificate }).issuerCertificate
    ) {
      seen.add(c.fingerprint256);
      chain.push(summary(c));
    }
    return {
      protocol: socket.getProtocol(),
      authorizationError: socket.authorized ? undefined : String(socket.authorizationError),
      leaf: chain[0],
      chain,
    };
  } finally {
    socket.destroy();
  }
}

export type ProtocolProbe = { version: 'TLSv1' | 'TLSv1.1'; outcome: 'accepted' | 'refused' | 'cannot-offer'; detail: string };

/** Codes OpenSSL gives when this side could not even offer the old protocol (nothing was refused by the target). */
const LOCAL =
  /NO_PROTOCOLS_AVAILABLE|NO_CIPHERS_AVAILABLE|NO_SUITABLE|UNSUPPORTED_PROTOCOL.*client|ERR_TLS_INVALID_PROTOCOL_VERSION/i;

/** Offers only `version` (with ciphers at security level 0, as an old client would) and reports what happened. */
export async function probeOldProtocol(
  target: URL,
  trust: Trust,
  timeoutMs: number,
  version: 'TLSv1' | 'TLSv1.1',
): Promise<ProtocolProbe> {
  try {
    const socket = await handshake(target, trust, timeoutMs, {
      rejectUnauthorized: false,
      minVersion: version,
      maxVersion: version,
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    const got = socket.getProtocol();
    socket.destroy();
    return { version, outcome: 'accepted', detail: `handshake completed with ${got}` };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { reason?: string };
    const detail = `${e.code ?? ''} ${e.reason ?? e.message}`.trim();
    if (LOCAL.test(detail)) return { version, outcome: 'cannot-offer', detail };
    return { version, outcome: 'refused', detail };
  }
}
