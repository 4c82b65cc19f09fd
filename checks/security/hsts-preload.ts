// Whether a Strict-Transport-Security header qualifies its host for the browsers' HSTS preload list, by the
// rules hstspreload.org applies (chromium/hstspreload, header.go, policy "bulk-1-year"): max-age of at least
// one year, includeSubDomains, preload; and, as the MDN HTTP Observatory requires for any HSTS, served on the
// https origin. The list holds domain names, so an IP address or localhost never qualifies.
import { isIP } from 'node:net';

/** One year: hstspreload.org's minimum max-age for preloading. */
export const PRELOAD_MIN_MAX_AGE = 31_536_000;

export interface PreloadEligibility {
  eligible: boolean;
  /** Why not, one short reason per unmet rule. */
  reasons: string[];
}

export function preloadEligibility(
  hsts: { maxAge: number; includeSubDomains: boolean; preload: boolean },
  where: { https: boolean; host: string },
): PreloadEligibility {
  const reasons: string[] = [];
  if (hsts.maxAge < PRELOAD_MIN_MAX_AGE) reasons.push(`max-age=${hsts.maxAge} is below ${PRELOAD_MIN_MAX_AGE} (1 year)`);
  if (!hsts.includeSubDomains) reasons.push('includeSubDomains is missing');
  if (!hsts.preload) reasons.push('the preload directive is missing');
  if (!where.https) reasons.push('the header is served over http, where browsers ignore it');
  const host = where.host.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host) || host === 'localhost' || host.endsWith('.localhost') || !host.includes('.'))
    reasons.push(`${host} is not a public domain name (the preload list holds domain names)`);
  return { eligible: reasons.length === 0, reasons };
}
