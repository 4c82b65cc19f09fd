// target.tls.insecure switches certificate checks off for every client. So that nobody forgets it in
// production, every report of such a run opens with a warning check saying so.
import type { Trust } from '../http/trust.js';
import type { Reporter } from '../report/reporter.js';
import type { GateResult } from '../result.js';

export const INSECURE_TLS_CHECK = 'target.tls.insecure';

/** The warning gate of an insecure run, reported at once; undefined when certificates are checked. */
export function reportInsecureTls(trust: Trust, baseUrl: URL, reporter: Reporter): GateResult | undefined {
  if (!trust.insecure) return undefined;
  const gate: GateResult = {
    id: 'target',
    title: 'Target',
    status: 'warn',
    durationMs: 0,
    checks: [
      {
        id: INSECURE_TLS_CHECK,
        title: 'TLS certificates are verified',
        status: 'warn',
        severity: 'high',
        message: `target.tls.insecure is true: no client checked the certificate of ${baseUrl.host} (chain, hostname, dates); anyone on the path could have answered`,
        remediation:
          "Remove target.tls.insecure and trust the target's CA instead (target.tls.ca), or give the target a certificate from a public CA.",
        durationMs: 0,
      },
    ],
  };
  reporter.onGateBegin?.({ id: gate.id, title: gate.title });
  reporter.onCheck?.(gate.id, gate.checks[0]);
  reporter.onGateEnd?.(gate);
  return gate;
}
