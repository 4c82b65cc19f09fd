// CORS as the target does it today, for a sample origin nobody allows: refused, reflected (any origin is
// trusted), or `*`; with or without credentials. When the sample is refused, a few origins next to the
// target's own host (www., app., the parent domain) are tried, to guess the allowlist.
import { isIP } from 'node:net';
import { grantOf } from './cors.js';
import type { Prober } from '../../src/init/prober.js';

/** An origin no deployment allows on purpose (.example is reserved, RFC 2606). */
export const SAMPLE_ORIGIN = 'https://shipgate-init.example';

export type CorsBehaviour = 'refused' | 'reflects' | 'wildcard' | 'other' | 'unknown';

export interface CorsFindings {
  path: string;
  behaviour: CorsBehaviour;
  /** Access-Control-Allow-Credentials: true came with the sample origin's grant. */
  credentialsForSample: boolean;
  /** What Access-Control-Allow-Origin said to the sample origin, if anything. */
  acao?: string;
  /** Origins near the target's host that were granted exactly. */
  allowed: { origin: string; credentials: boolean }[];
  /** Whether the answers vary on Origin (Vary: Origin). */
  varyOrigin: boolean;
}

/** https://www.example.com, https://app.example.com, https://example.com for api.example.com; none for IPs. */
export function neighbourOrigins(target: URL): string[] {
  const host = target.hostname;
  if (isIP(host) || host === 'localhost' || !host.includes('.')) return [];
  const labels = host.split('.');
  const parent = labels.length > 2 ? labels.slice(1).join('.') : host;
  // The target's own origin is same-origin, not a CORS question.
  return [...new Set([`https://${parent}`, `https://www.${parent}`, `https://app.${parent}`])].filter((o) => o !== target.origin);
}

export async function probeCors(p: Prober, path: string): Promise<CorsFindings> {
  const simple = await p.send({ path, headers: { origin: SAMPLE_ORIGIN }, maxBodyBytes: 16 * 1024 });
  const preflight = await p.send({
    method: 'OPTIONS',
    path,
    headers: { origin: SAMPLE_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    maxBodyBytes: 16 * 1024,
  });
  const grants = [simple, preflight].filter((a) => a.res).map((a) => grantOf(a.res!.headers, SAMPLE_ORIGIN));
  const vary = [simple, preflight].some((a) => /(^|,)\s*origin\s*(,|$)/i.test(a.res?.headers.vary ?? ''));
  const found: CorsFindings = { path, behaviour: 'unknown', credentialsForSample: false, allowed: [], varyOrigin: vary };
  if (grants.length === 0) return found;
  const granted = grants.find((g) => g.acao !== undefined);
  found.acao = granted?.acao;
  found.credentialsForSample = grants.some((g) => (g.exact || g.wildcard) && g.credentials);
  found.behaviour = !granted ? 'refused' : granted.exact ? 'reflects' : granted.wildcard ? 'wildcard' : 'other';
  if (found.behaviour !== 'refused' && found.behaviour !== 'other') return found;
  // The sample is refused: which neighbours of the target's host are allowed?
  const candidates = neighbourOrigins(p.baseUrl);
  const answers = await p.each(candidates, (origin) => p.send({ path, headers: { origin }, maxBodyBytes: 16 * 1024 }));
  answers.forEach((a, i) => {
    const g = grantOf(a.res?.headers, candidates[i]);
    if (g.exact) found.allowed.push({ origin: candidates[i], credentials: g.credentials });
  });
  return found;
}
