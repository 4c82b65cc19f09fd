// Security response headers: parsers and per-response verdicts (HSTS, CSP, nosniff, frame protection,
// Referrer-Policy, version leaks, Permissions-Policy, COOP/CORP, http→https redirect). Pure: no I/O.
import { preloadEligibility } from './hsts-preload.js';
import { evaluateCsp, findingLabel, parseCspHeader, type CspFinding, type CspPolicy } from './csp.js';

export type Headers = Record<string, string>;

export interface Verdict {
  status: 'pass' | 'warn' | 'fail' | 'skip';
  /** What was found, with the resolved values ("max-age=300 < 15768000"). */
  detail: string;
  /** Facts for the evidence, also on a pass (e.g. HSTS preload eligibility). */
  details?: Record<string, string>;
}

const pass = (detail: string): Verdict => ({ status: 'pass', detail });
const warn = (detail: string): Verdict => ({ status: 'warn', detail });
const fail = (detail: string): Verdict => ({ status: 'fail', detail });
const skip = (detail: string): Verdict => ({ status: 'skip', detail });

// ---------------------------------------------------------------- HSTS (RFC 6797 §6.1)

export type Hsts = { ok: true; maxAge: number; includeSubDomains: boolean; preload: boolean } | { ok: false; reason: string };

export function parseHsts(value: string | undefined): Hsts | undefined {
  if (value === undefined) return undefined;
  // Several headers joined by ", ": the UA processes only the first (RFC 6797 §8.1).
  const first = value.split(',')[0];
  let maxAge: number | undefined;
  let includeSubDomains = false;
  let preload = false;
  const seen = new Set<string>();
  for (const part of first.split(';')) {
    const [rawName, ...rest] = part.split('=');
    const name = rawName.trim().toLowerCase();
    if (!name) continue;
    if (seen.has(name)) return { ok: false, reason: `directive ${name} appears twice` };
    seen.add(name);
    const raw = rest
      .join('=')
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (name === 'max-age') {
      if (!/^\d+$/.test(raw)) return { ok: false, reason: `max-age ${JSON.stringify(raw)} is not a number of seconds` };
      maxAge = Number(raw);
    } else if (name === 'includesubdomains') includeSubDomains = true;
    else if (name === 'preload') preload = true;
  }
  if (maxAge === undefined) return { ok: false, reason: 'no max-age directive' };
  return { ok: true, maxAge, includeSubDomains, preload };
}

export function judgeHsts(
  h: Headers,
  opts: { required: boolean; minMaxAge: number; includeSubDomains: boolean; https: boolean; host: string },
): Verdict {
  if (!opts.required)
    return skip(
      opts.https
        ? 'the profile sets hsts.required: false'
        : 'the target is http and the profile does not require HSTS (browsers ignore it over http); set hsts.required: true to check it anyway',
    );
  const hsts = parseHsts(h['strict-transport-security']);
  if (!hsts) return fail('Strict-Transport-Security header missing');
  if (!hsts.ok) return fail(`Strict-Transport-Security invalid: ${hsts.reason}`);
  const preload = preloadEligibility(hsts, opts);
  const details = {
    'preload eligible': preload.eligible ? 'yes (hstspreload.org rules)' : `no: ${preload.reasons.join('; ')}`,
  };
  const problems: string[] = [];
  if (hsts.maxAge < opts.minMaxAge) problems.push(`max-age=${hsts.maxAge} < ${opts.minMaxAge}`);
  if (opts.includeSubDomains && !hsts.includeSubDomains) problems.push('includeSubDomains missing');
  // Asking for preload without qualifying: the submission is refused, and the header says something untrue.
  const badPreload =
    hsts.preload && !preload.eligible ? `preload is set but the host is not eligible: ${preload.reasons.join('; ')}` : '';
  if (problems.length)
    return { ...fail(`Strict-Transport-Security: ${[...problems, badPreload].filter(Boolean).join(', ')}`), details };
  if (badPreload) return { ...warn(`Strict-Transport-Security: ${badPreload}`), details };
  const directives = `max-age=${hsts.maxAge}${hsts.includeSubDomains ? '; includeSubDomains' : ''}${hsts.preload ? '; preload' : ''}`;
  return { ...pass(`${directives}${preload.eligible ? ' (eligible for the HSTS preload list)' : ''}`), details };
}

// ---------------------------------------------------------------- CSP

export function enforcedPolicies(h: Headers): CspPolicy[] {
  return parseCspHeader(h['content-security-policy']);
}

export interface CspVerdict extends Verdict {
  findings: CspFinding[];
}

export function judgeCsp(h: Headers): CspVerdict {
  const raw = h['content-security-policy'];
  const policies = enforcedPolicies(h);
  if (policies.length === 0) {
    const reportOnly = h['content-security-policy-report-only'];
    if (raw !== undefined) return { ...fail(`Content-Security-Policy ${JSON.stringify(raw)} has no directives`), findings: [] };
    return {
      ...fail(
        reportOnly
          ? 'only Content-Security-Policy-Report-Only is sent, so nothing is enforced'
          : 'Content-Security-Policy header missing',
      ),
      findings: [],
    };
  }
  const findings = evaluateCsp(policies);
  const high = findings.filter((f) => f.severity === 'high');
  const medium = findings.filter((f) => f.severity === 'medium' || f.severity === 'syntax');
  const list = (fs: CspFinding[]) => fs.map((f) => `${findingLabel(f)} (${f.description})`).join('; ');
  if (high.length) return { ...fail(list(high)), findings };
  if (medium.length) return { ...warn(list(medium)), findings };
  const labels = [...new Set(findings.map(findingLabel))];
  const info = labels.length
    ? ` (informational: ${labels.slice(0, 3).join(', ')}${labels.length > 3 ? ` and ${labels.length - 3} more` : ''})`
    : '';
  return { ...pass(`no high or medium findings${info}`), findings };
}

// ---------------------------------------------------------------- X-Content-Type-Options

export function judgeNosniff(h: Headers): Verdict {
  const v = h['x-content-type-options'];
  if (v === undefined) return fail('X-Content-Type-Options header missing');
  if (v.split(',')[0].trim().toLowerCase() !== 'nosniff')
    return fail(`X-Content-Type-Options is ${JSON.stringify(v)}, expected "nosniff"`);
  return pass('nosniff');
}

// ---------------------------------------------------------------- Frame protection

/** Sources that let any site frame the page (the Observatory's DANGEROUSLY_BROAD). */
const BROAD = new Set(['*', 'http:', 'https:', 'ftp:', 'http://*', 'https://*', 'http://*.*', 'https://*.*']);

export type FrameProtection =
  | { via: 'csp'; value: string }
  | { via: 'xfo'; value: 'deny' | 'sameorigin' }
  | { via: 'allow-from'; value: string }
  | { via: 'none' }
  | { via: 'invalid'; value: string };

export function frameProtection(h: Headers): FrameProtection {
  for (const p of enforcedPolicies(h)) {
    const fa = p.directives.get('frame-ancestors');
    if (fa && !fa.some((s) => BROAD.has(s))) return { via: 'csp', value: `frame-ancestors ${fa.join(' ') || "'none'"}` };
  }
  const xfo = h['x-frame-options'];
  if (xfo === undefined) return { via: 'none' };
  const v = xfo.split(',')[0].trim().toLowerCase();
  if (v === 'deny' || v === 'sameorigin') return { via: 'xfo', value: v };
  if (v.startsWith('allow-from')) return { via: 'allow-from', value: xfo };
  return { via: 'invalid', value: xfo };
}

export function judgeFrameOptions(h: Headers): Verdict {
  const fp = frameProtection(h);
  switch (fp.via) {
    case 'csp':
      return pass(`CSP ${fp.value}`);
    case 'xfo':
      return pass(`X-Frame-Options: ${fp.value.toUpperCase()}`);
    case 'allow-from':
      return fail(
        `X-Frame-Options ${JSON.stringify(fp.value)}: ALLOW-FROM is ignored by current browsers; use CSP frame-ancestors`,
      );
    case 'invalid':
      return fail(`X-Frame-Options ${JSON.stringify(fp.value)} is not DENY or SAMEORIGIN, and no CSP frame-ancestors`);
    case 'none':
      return fail('neither X-Frame-Options nor CSP frame-ancestors is set');
  }
}

// ---------------------------------------------------------------- Referrer-Policy

const REFERRER_PRIVATE = new Set(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']);
const REFERRER_UNSAFE = new Set(['origin', 'origin-when-cross-origin', 'unsafe-url', 'no-referrer-when-downgrade']);

export type ReferrerClass = 'private' | 'unsafe' | 'invalid' | 'missing';

/** The policy a browser applies: the last recognized token of the comma list (Referrer Policy §11.1). */
export function referrerPolicy(value: string | undefined): { cls: ReferrerClass; policy?: string } {
  if (value === undefined) return { cls: 'missing' };
  const tokens = value.split(',').map((t) => t.trim().toLowerCase());
  const known = tokens.filter((t) => REFERRER_PRIVATE.has(t) || REFERRER_UNSAFE.has(t));
  const policy = known.at(-1);
  if (!policy) return { cls: 'invalid', policy: value };
  return { cls: REFERRER_PRIVATE.has(policy) ? 'private' : 'unsafe', policy };
}

export function judgeReferrerPolicy(h: Headers): Verdict {
  const rp = referrerPolicy(h['referrer-policy']);
  switch (rp.cls) {
    case 'private':
      return pass(rp.policy!);
    case 'unsafe':
      return fail(`Referrer-Policy ${rp.policy} sends the full URL or origin to other sites`);
    case 'invalid':
      return fail(`Referrer-Policy ${JSON.stringify(rp.policy)} is not a recognized policy`);
    case 'missing':
      return warn(
        'Referrer-Policy header missing (browsers default to strict-origin-when-cross-origin, older ones leak full URLs)',
      );
  }
}

// ---------------------------------------------------------------- Version leaks

const LEAKY_HEADERS = ['x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version', 'x-generator', 'x-runtime-version'];

export function versionLeaks(h: Headers): string[] {
  const out: string[] = [];
  for (const k of LEAKY_HEADERS) if (h[k] !== undefined) out.push(`${headerCase(k)}: ${h[k]}`);
  const server = h['server'];
  // "nginx" is fine; "nginx/1.25.3" or "Apache/2.4.57 (Debian)" names the version to look up CVEs for.
  if (server !== undefined && /\/\s*v?\d|\b\d+\.\d+/.test(server)) out.push(`Server: ${server}`);
  return out;
}

export function judgeVersionLeak(h: Headers): Verdict {
  const leaks = versionLeaks(h);
  return leaks.length ? fail(leaks.join(', ')) : pass('no X-Powered-By, no versioned Server header');
}

function headerCase(k: string): string {
  return k.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
}

// ---------------------------------------------------------------- Permissions-Policy

/**
 * Permissions-Policy governs the document (and its frames) a response creates; on a JSON or image
 * response it does nothing, so its absence there is no finding (helmet, for one, never sets it).
 */
export function judgePermissionsPolicy(h: Headers, isDocument = true): Verdict {
  const v = h['permissions-policy'];
  if (v !== undefined && v.trim()) return pass(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  if (!isDocument)
    return skip(
      `not an HTML document (${(h['content-type'] ?? 'no content type').split(';')[0].trim()}): Permissions-Policy only governs documents`,
    );
  if (h['feature-policy'] !== undefined)
    return warn('only the legacy Feature-Policy header is sent; browsers now read Permissions-Policy');
  return warn(
    'Permissions-Policy header missing (camera, microphone, geolocation and other powerful features are not restricted)',
  );
}

// ---------------------------------------------------------------- COOP / CORP

const COOP_OK = new Set(['same-origin', 'same-origin-allow-popups']);
const CORP_VALUES = new Set(['same-origin', 'same-site', 'cross-origin']);

export function corpValue(h: Headers): { cls: 'missing' | 'invalid' | 'same' | 'cross-origin'; value?: string } {
  const v = h['cross-origin-resource-policy'];
  if (v === undefined) return { cls: 'missing' };
  const t = v.trim().toLowerCase();
  if (!CORP_VALUES.has(t)) return { cls: 'invalid', value: v };
  return { cls: t === 'cross-origin' ? 'cross-origin' : 'same', value: t };
}

export function judgeCrossOriginPolicies(h: Headers, isDocument: boolean): Verdict {
  const problems: { status: 'warn' | 'fail'; text: string }[] = [];
  const corp = corpValue(h);
  if (corp.cls === 'invalid')
    problems.push({
      status: 'fail',
      text: `Cross-Origin-Resource-Policy ${JSON.stringify(corp.value)} is not same-origin, same-site or cross-origin`,
    });
  else if (corp.cls === 'missing') problems.push({ status: 'warn', text: 'Cross-Origin-Resource-Policy missing' });
  const coop = h['cross-origin-opener-policy']?.split(';')[0].trim().toLowerCase();
  if (isDocument && !coop) problems.push({ status: 'warn', text: 'Cross-Origin-Opener-Policy missing on an HTML document' });
  else if (isDocument && coop && !COOP_OK.has(coop) && coop !== 'unsafe-none' && coop !== 'noopener-allow-popups')
    problems.push({ status: 'fail', text: `Cross-Origin-Opener-Policy ${JSON.stringify(coop)} is not a recognized value` });
  if (problems.some((p) => p.status === 'fail')) return fail(problems.map((p) => p.text).join(', '));
  if (problems.length) return warn(problems.map((p) => p.text).join(', '));
  return pass(`CORP ${corp.value}${coop ? `, COOP ${coop}` : ''}`);
}

// ---------------------------------------------------------------- http → https redirection

export type Redirection =
  | { kind: 'to-https'; location: string }
  | { kind: 'no-http' }
  | { kind: 'missing'; status: number }
  | { kind: 'not-to-https'; location: string }
  | { kind: 'off-host'; location: string };

/** Classifies the answer to `http://host/` (first hop only, like the Observatory). */
export function classifyRedirect(targetHost: string, status: number | undefined, location: string | undefined): Redirection {
  if (status === undefined) return { kind: 'no-http' };
  if (status < 300 || status > 399 || !location) return { kind: 'missing', status };
  let next: URL;
  try {
    next = new URL(location, `http://${targetHost}/`);
  } catch {
    return { kind: 'missing', status };
  }
  if (next.protocol !== 'https:') return { kind: 'not-to-https', location };
  if (next.hostname !== targetHost) return { kind: 'off-host', location };
  return { kind: 'to-https', location };
}

export function judgeRedirect(r: Redirection): Verdict {
  switch (r.kind) {
    case 'to-https':
      return pass(`http:// redirects to ${r.location}`);
    case 'no-http':
      return pass('nothing answers on plain http, so there is nothing to redirect');
    case 'missing':
      return fail(`http:// answers ${r.status} instead of redirecting to https`);
    case 'not-to-https':
      return fail(`http:// redirects to ${r.location}, which is not https`);
    case 'off-host':
      return warn(`http:// redirects to another host (${r.location}) first, so HSTS for this host is never set`);
  }
}

export function isHtml(h: Headers): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)/i.test(h['content-type'] ?? '');
}
