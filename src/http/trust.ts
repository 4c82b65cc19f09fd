// One trust decision for the run, applied by every client (HTTP, load, SSE, WebSocket, readiness probe,
// Chromium): which certificates are trusted (system roots plus target.tls.ca), whether verification is
// switched off (target.tls.insecure), the SNI/verification name, the client certificate, and which proxy,
// if any, carries the traffic (target.proxy, else HTTPS_PROXY / HTTP_PROXY, minus NO_PROXY).
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { TargetTls } from '../profile/target-tls.js';

/** Options every TLS connection to the target gets (tls.connect / undici connect / ws / https.request). */
export interface TlsOptions {
  ca?: string[];
  rejectUnauthorized: boolean;
  servername?: string;
  cert?: string;
  key?: string;
}

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

export interface Trust {
  /** target.tls.insecure: no certificate is checked. */
  insecure: boolean;
  /** A CA of the profile is trusted besides the system roots. */
  customCa: boolean;
  tls: TlsOptions;
  proxy: ProxySettings;
}

export class TrustError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrustError';
  }
}

/** PEM text as it is, or the file it names. */
function pem(value: string, what: string): string {
  if (value.trimStart().startsWith('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (err) {
    throw new TrustError(`cannot read ${what} ${value}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function trustFor(target: { tls?: TargetTls; proxy?: string }, env: NodeJS.ProcessEnv = process.env): Trust {
  const t = target.tls;
  const cas = t?.ca === undefined ? [] : (Array.isArray(t.ca) ? t.ca : [t.ca]).map((c) => pem(c, 'target.tls.ca'));
  const tls: TlsOptions = { rejectUnauthorized: !t?.insecure };
  // Passing `ca` replaces Node's roots: the system roots stay trusted, the profile's CA is added.
  if (cas.length) tls.ca = [...rootCertificates, ...cas];
  if (t?.serverName) tls.servername = t.serverName;
  if (t?.cert && t.key) {
    tls.cert = pem(t.cert, 'target.tls.cert');
    tls.key = pem(t.key, 'target.tls.key');
  }
  const fromEnv = (name: string) => env[name] ?? env[name.toLowerCase()] ?? undefined;
  const proxy: ProxySettings = target.proxy
    ? { httpProxy: target.proxy, httpsProxy: target.proxy, noProxy: fromEnv('NO_PROXY') }
    : {
        httpProxy: fromEnv('HTTP_PROXY') || undefined,
        httpsProxy: fromEnv('HTTPS_PROXY') || fromEnv('HTTP_PROXY') || undefined,
        noProxy: fromEnv('NO_PROXY'),
      };
  return { insecure: Boolean(t?.insecure), customCa: cas.length > 0, tls, proxy };
}

/**
 * The trust for hosts other than the target (a webhook): the profiles' CAs and proxy apply, as for the
 * target; its server name, client certificate and insecure waiver do not, since they describe the target
 * (an unverified host must not receive a run's findings).
 */
export function trustBeyondTarget(targets: { tls?: TargetTls; proxy?: string }[], env: NodeJS.ProcessEnv = process.env): Trust {
  const ca = targets.flatMap((t) => (t.tls?.ca === undefined ? [] : [t.tls.ca].flat()));
  const proxy = targets.find((t) => t.proxy)?.proxy;
  return trustFor({ tls: ca.length ? { ca, insecure: false } : undefined, proxy }, env);
}

/** The default: system roots, verification on, proxies from the environment. */
export const DEFAULT_TRUST: Trust = trustFor({}, {});

/** The proxy that carries a request to `url`, or undefined to go direct (NO_PROXY as curl reads it). */
export function proxyFor(url: URL, proxy: ProxySettings): string | undefined {
  const chosen = url.protocol === 'https:' || url.protocol === 'wss:' ? proxy.httpsProxy : proxy.httpProxy;
  if (!chosen) return undefined;
  return bypassesProxy(url, proxy.noProxy) ? undefined : chosen;
}

function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' || url.protocol === 'wss:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(entry)!;
    const name = m[1].replace(/^\*?\./, '.');
    if (m[2] && m[2] !== port) continue;
    if (name.startsWith('.') ? host === name.slice(1) || host.endsWith(name) : host === name || host.endsWith(`.${name}`))
      return true;
  }
  return false;
}
