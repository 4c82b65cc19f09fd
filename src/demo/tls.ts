// `shipgate demo --tls`: the demo served over HTTPS with a certificate from a throwaway CA made at start
// (src/demo/throwaway-ca.ts), and a plain-http port that redirects to it. Its flaws are certificates gone
// wrong; each fails exactly security.tls.certificate (and, where clients refuse the certificate, the gates
// that cannot reach the target).
import type { DemoModule } from './app.js';
import { days, ThrowawayCa, type Issued } from './throwaway-ca.js';

export const TLS_FLAWS = {
  'tls-expired': 'served over HTTPS (implies --tls) with a certificate that expired 2 days ago',
  'tls-wrong-host': 'served over HTTPS (implies --tls) with a certificate for another host (wrong.example)',
  'tls-expiring': 'served over HTTPS (implies --tls) with a certificate valid for 3 more days',
};

/** The flaws live in the certificate `demo --tls` issues; the app itself has nothing to install. */
export const tls: DemoModule = { flaws: TLS_FLAWS, install() {} };

export function impliesTls(flaws: string[]): boolean {
  return flaws.some((f) => f in TLS_FLAWS);
}

/** A CA for this demo run and the server's leaf, shaped by the TLS flaws. */
export function demoCertificates(flaws: string[]): { ca: ThrowawayCa; leaf: Issued } {
  const ca = ThrowawayCa.create();
  const has = (f: string) => flaws.includes(f);
  const leaf = ca.issue({
    hosts: has('tls-wrong-host') ? ['wrong.example'] : ['127.0.0.1', 'localhost'],
    ...(has('tls-expired') ? { notBefore: days(-60), notAfter: days(-2) } : {}),
    ...(has('tls-expiring') ? { notAfter: days(3.5) } : {}),
  });
  return { ca, leaf };
}
