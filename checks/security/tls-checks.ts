// security.tls.certificate and security.tls.protocols: judged on what tls-inspect.ts saw (pure functions),
// and the gate step that looks (https targets only; skipped with the reason on http).
import type { GateContext } from '../../src/gates/contract.js';
import { toHttpError } from '../../src/http/errors.js';
import type { CheckResult } from '../../src/result.js';
import * as C from './catalogue.js';
import { inspectCertificate, probeOldProtocol, type CertificateObservation, type ProtocolProbe } from './tls-inspect.js';

const DAY = 86_400_000;

/** Node/OpenSSL verification codes, in words a person acts on. */
const WHY: Record<string, string> = {
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is for another host',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed root that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the chain does not lead to a trusted root (missing intermediate or unknown CA)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer is not trusted (unknown CA or missing intermediate)',
  UNABLE_TO_GET_ISSUER_CERT: 'the issuer is not trusted (unknown CA or missing intermediate)',
  CERT_UNTRUSTED: 'the certificate is not trusted',
};

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function judgeCertificate(
  o: CertificateObservation,
  opts: { host: string; warnDays: number; failDays: number; insecure?: boolean; now?: number },
): Pick<CheckResult, 'status' | 'message' | 'evidence' | 'metrics'> {
  const now = opts.now ?? Date.now();
  const daysLeft = Math.floor((o.leaf.notAfter.getTime() - now) / DAY);
  const evidence = {
    request: `TLS handshake with ${opts.host}`,
    details: {
      subject: o.leaf.subject,
      subjectAltNames: o.leaf.sans,
      issuer: o.leaf.issuer,
      notBefore: o.leaf.notBefore.toISOString(),
      notAfter: o.leaf.notAfter.toISOString(),
      daysLeft,
      protocol: o.protocol,
      chain: o.chain.map((c) => `${c.subject} ← ${c.issuer}`),
      ...(o.authorizationError ? { verification: o.authorizationError } : {}),
    },
  };
  const metrics = { daysLeft };
  const sans = o.leaf.sans.join(', ') || o.leaf.subject;
  // Dates first: they are what a person renews, whatever else is wrong.
  if (now > o.leaf.notAfter.getTime())
    return {
      status: 'fail',
      message: `the certificate of ${opts.host} expired on ${day(o.leaf.notAfter)} (${Math.floor((now - o.leaf.notAfter.getTime()) / DAY)} days ago)`,
      evidence,
      metrics,
    };
  if (now < o.leaf.notBefore.getTime())
    return {
      status: 'fail',
      message: `the certificate of ${opts.host} is not valid before ${o.leaf.notBefore.toISOString()}`,
      evidence,
      metrics,
    };
  if (o.authorizationError) {
    const why = WHY[o.authorizationError] ?? o.authorizationError;
    const extra = o.authorizationError === 'ERR_TLS_CERT_ALTNAME_INVALID' ? ` (it names ${sans})` : ` (issuer ${o.leaf.issuer})`;
    // Under target.tls.insecure the person chose not to verify: said loudly, not failed (dates still fail).
    if (opts.insecure)
      return {
        status: 'warn',
        message: `${opts.host}: ${why}${extra}; not verified because target.tls.insecure is true`,
        evidence,
        metrics,
      };
    return { status: 'fail', message: `${opts.host}: ${why}${extra}`, evidence, metrics };
  }
  const line = `trusted certificate for ${sans}, issued by ${o.leaf.issuer}, expires ${day(o.leaf.notAfter)} (${daysLeft} days left)`;
  if (daysLeft < opts.failDays)
    return { status: 'fail', message: `${line}: fewer than failDays (${opts.failDays})`, evidence, metrics };
  if (daysLeft < opts.warnDays)
    return { status: 'warn', message: `${line}: fewer than warnDays (${opts.warnDays})`, evidence, metrics };
  return { status: 'pass', message: line, evidence, metrics };
}

export function judgeProtocols(
  negotiated: string | null,
  probes: ProtocolProbe[],
): Pick<CheckResult, 'status' | 'message' | 'evidence'> {
  const evidence = {
    details: {
      negotiated,
      ...Object.fromEntries(probes.map((p) => [`offering only ${p.version}`, `${p.outcome}: ${p.detail}`])),
    },
  };
  const accepted = probes.filter((p) => p.outcome === 'accepted');
  if (accepted.length)
    return {
      status: 'fail',
      message: `the target accepts ${accepted.map((p) => (p.version === 'TLSv1' ? 'TLS 1.0' : 'TLS 1.1')).join(' and ')} (deprecated, RFC 8996)`,
      evidence,
    };
  if (negotiated !== 'TLSv1.2' && negotiated !== 'TLSv1.3')
    return { status: 'fail', message: `the best protocol the target offers is ${negotiated ?? 'unknown'}`, evidence };
  const untested = probes.filter((p) => p.outcome === 'cannot-offer');
  if (untested.length) {
    return {
      status: 'skip',
      message: `${negotiated} is offered, but this Node/OpenSSL cannot offer ${untested.map((p) => p.version).join(' or ')}, so their refusal was not tested (${untested[0].detail})`,
      evidence,
    };
  }
  return { status: 'pass', message: `${negotiated} negotiated; TLS 1.0 and 1.1 refused`, evidence };
}

export async function runTlsChecks(ctx: GateContext, config: { warnDays: number; failDays: number }): Promise<CheckResult[]> {
  if (ctx.baseUrl.protocol !== 'https:') {
    const why = 'the target is http, so there is no certificate or TLS protocol to check';
    return [C.tlsCertificate.skip(why), C.tlsProtocols.skip(why)];
  }
  const trust = ctx.http.trust;
  const host = ctx.baseUrl.host;
  let observed: CertificateObservation;
  try {
    observed = await inspectCertificate(ctx.baseUrl, trust, ctx.requestTimeoutMs);
  } catch (err) {
    const e = toHttpError(err, ctx.baseUrl, ctx.requestTimeoutMs, false);
    // A target that is down (not ready, and not even a handshake to look at) has no certificate to judge.
    if (ctx.notReady && e.kind !== 'tls') {
      const why = `${ctx.notReady}; no TLS handshake either: ${e.message}`;
      return [C.tlsCertificate.skip(why), C.tlsProtocols.skip(why)];
    }
    return [C.tlsCertificate.error(e.message), C.tlsProtocols.error(e.message)];
  }
  const cert = judgeCertificate(observed, { host, ...config, insecure: trust.insecure });
  const probes = await Promise.all(
    (['TLSv1', 'TLSv1.1'] as const).map((v) => probeOldProtocol(ctx.baseUrl, trust, ctx.requestTimeoutMs, v)),
  );
  const protocols = judgeProtocols(observed.protocol, probes);
  return [
    C.tlsCertificate[cert.status as 'pass' | 'warn' | 'fail']({
      message: cert.message,
      evidence: cert.evidence,
      metrics: cert.metrics,
    }),
    C.tlsProtocols[protocols.status as 'pass' | 'fail' | 'skip']({ message: protocols.message, evidence: protocols.evidence }),
  ];
}
