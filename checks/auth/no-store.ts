// auth.no-store: the login and refresh answers (they carry tokens) and the protected answer (a user's own
// data) must not be kept by a cache.
//
// Token responses need Cache-Control: no-store (RFC 6749 §5.1 makes it a MUST). For the protected answer
// "private" without a positive max-age is accepted too: no shared cache (CDN, proxy) may store it, and the
// browser must ask again before reusing it. What fails is what lets a cache hand it out without asking:
// public, s-maxage, or a positive max-age. No Cache-Control at all there is a warning: a request with
// Authorization is not stored by shared caches (RFC 9111 §3.5), but the browser may keep it on disk.
import type { CheckResult } from '../../src/result.js';
import { noStore } from './catalogue.js';
import { endpointName, shown, type AuthFlow, type Call } from './flow.js';

/** Cache-Control directives, names lower-cased; a directive without a value maps to true. */
export function cacheDirectives(value: string | undefined): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  if (!value) return directives;
  const re = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*)))?\s*(?:,|$)/gy;
  for (let m = re.exec(value); m && m[0] !== ''; m = re.exec(value)) {
    directives.set(m[1].toLowerCase(), m[2] ?? m[3] ?? true);
  }
  return directives;
}

const positive = (v: string | true | undefined) => typeof v === 'string' && Number(v) > 0;

export type CacheVerdict = 'pass' | 'warn' | 'fail';

/** A token response (login, refresh): no-store, nothing less. */
export function judgeTokenResponse(cacheControl: string | undefined): CacheVerdict {
  return cacheDirectives(cacheControl).has('no-store') ? 'pass' : 'fail';
}

/** The protected response: no-store, or private without a positive max-age. */
export function judgeProtectedResponse(cacheControl: string | undefined): CacheVerdict {
  const d = cacheDirectives(cacheControl);
  if (d.has('no-store')) return 'pass';
  if (d.has('public') || positive(d.get('s-maxage')) || positive(d.get('max-age'))) return 'fail';
  if (d.has('private')) return 'pass';
  return 'warn';
}

interface Seen {
  what: string;
  call: Call;
  verdict: CacheVerdict;
}

export function checkNoStore(
  flow: AuthFlow,
  answers: { login?: Call; refresh?: Call; protected?: Call },
  skipReason?: string,
): CheckResult {
  if (skipReason) return noStore.skip(skipReason);
  const seen: Seen[] = [];
  const { login, refresh, protected: prot } = answers;
  const cacheControl = (c: Call) => c.res?.headers['cache-control'];
  if (login?.res)
    seen.push({ what: endpointName(flow.config.login), call: login, verdict: judgeTokenResponse(cacheControl(login)) });
  if (refresh?.res)
    seen.push({ what: endpointName(flow.config.refresh), call: refresh, verdict: judgeTokenResponse(cacheControl(refresh)) });
  if (prot?.res)
    seen.push({ what: endpointName(flow.config.protected), call: prot, verdict: judgeProtectedResponse(cacheControl(prot)) });
  if (seen.length === 0) return noStore.skip('no successful login, refresh or protected answer to inspect');
  const describe = (s: Seen) => {
    const value = cacheControl(s.call);
    return `${s.what} → Cache-Control: ${value === undefined ? '(none)' : shown(value)}`;
  };
  const summary = seen.map(describe).join('; ');
  const notSeen = [!refresh?.res && 'refresh', !prot?.res && 'protected endpoint'].filter(Boolean);
  const tail = notSeen.length ? ` (no 2xx answer of the ${notSeen.join(' or ')} to inspect)` : '';
  const failed = seen.filter((s) => s.verdict === 'fail');
  if (failed.length) {
    const why = failed.map(
      (s) =>
        `${describe(s)}${s.what === endpointName(flow.config.protected) ? " (a cache may hand this user's data to the next person)" : ' (a token response must be no-store)'}`,
    );
    return noStore.fail(`${why.join('; ')}${tail}`, { evidence: flow.evidence(failed[0].call, { all: summary }) });
  }
  const warned = seen.filter((s) => s.verdict === 'warn');
  if (warned.length) {
    return noStore.warn(`${describe(warned[0])}: no no-store or private, so a browser may keep the user's data on disk${tail}`, {
      evidence: flow.evidence(warned[0].call, { all: summary }),
      severity: 'low',
    });
  }
  return noStore.pass(`${summary}${tail}`);
}
