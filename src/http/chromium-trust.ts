// The run's trust decision, as Chromium launch flags. Chromium reads neither NODE_EXTRA_CA_CERTS nor a CA
// file, so the chain is verified here, in Node, against the run's trust (system roots + target.tls.ca, the
// server name, the dates); only when that succeeds is Chromium told to accept exactly that leaf's public key
// (--ignore-certificate-errors-spki-list, honoured because Playwright gives every launch its own
// --user-data-dir). A certificate Node refuses gets no flag: Chromium refuses it too. Proxies go as
// --proxy-server, with loopback un-bypassed when the target is on loopback (Chromium skips the proxy for
// localhost by default).
import { createHash, X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { chromiumCode, toHttpError } from './errors.js';
import { openConnection } from './tunnel.js';
import { proxyFor, type Trust } from './trust.js';

export interface ChromiumTrust {
  args: string[];
  /** Why no certificate flag was given, for evidence (Node refused the certificate). */
  refused?: string;
}

/** base64(sha256(SubjectPublicKeyInfo)): the form --ignore-certificate-errors-spki-list takes. */
export function spkiHash(certDer: Buffer): string {
  const spki = new X509Certificate(certDer).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** Whether Chromium's flags depend on the target's certificate (so the browser can only launch once it is up). */
export function needsVerifiedLeaf(target: URL, trust: Trust): boolean {
  return target.protocol === 'https:' && !trust.insecure && trust.customCa;
}

export async function chromiumTrustArgs(target: URL, trust: Trust, timeoutMs: number): Promise<ChromiumTrust> {
  const args: string[] = [];
  const proxy = proxyFor(target, trust.proxy);
  if (proxy) {
    const p = new URL(proxy);
    args.push(`--proxy-server=${p.protocol}//${p.host}`);
    const bypass = (trust.proxy.noProxy ?? '').split(/[\s,]+/).filter(Boolean);
    if (/^(127\.|localhost$|\[?::1\]?$)/.test(target.hostname)) bypass.push('<-loopback>');
    if (bypass.length) args.push(`--proxy-bypass-list=${bypass.join(';')}`);
  }
  if (target.protocol !== 'https:') return { args };
  if (trust.insecure) return { args: [...args, '--ignore-certificate-errors'] };
  // Only a CA of the profile needs help: a publicly trusted certificate is Chromium's own business.
  if (!needsVerifiedLeaf(target, trust)) return { args };
  try {
    const socket = (await openConnection(target, trust, timeoutMs)) as TLSSocket;
    const der = socket.getPeerCertificate().raw;
    socket.destroy();
    return { args: [...args, `--ignore-certificate-errors-spki-list=${spkiHash(der)}`] };
  } catch (err) {
    return { args, refused: (err as Error).message };
  }
}

/**
 * Chromium's failure to reach `url`, in the words every other client uses (errors.ts). A certificate
 * Chromium refused is asked about in Node with the run's trust: Node names the cause (self-signed, expired,
 * wrong host) where Chromium has one code for several, and the code stays in parentheses.
 */
export async function browserRefusal(err: unknown, url: URL, trust: Trust, timeoutMs: number): Promise<string | undefined> {
  const code = chromiumCode(err);
  if (!code) return undefined;
  const mapped = toHttpError(err, url, timeoutMs, false);
  if (mapped.kind !== 'tls') return mapped.message;
  try {
    (await openConnection(url, trust, timeoutMs)).destroy();
  } catch (nodeErr) {
    const node = toHttpError(nodeErr, url, timeoutMs, false);
    if (node.kind === 'tls') return `${node.message} (net::${code})`;
  }
  return mapped.message;
}
