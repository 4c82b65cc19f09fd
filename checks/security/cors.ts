// Active CORS probing: which Origins to send, and what the answers mean. The taxonomy of origin-validation
// mistakes is CORScanner's and James Kettle's ("Exploiting CORS misconfigurations for Bitcoins and bounties",
// 2016): reflection, null, prefix, suffix, unescaped dot, http twin, any subdomain; plus `*` with
// credentials and a missing `Vary: Origin`. Pure: the gate's index.ts sends the requests.
import type { Evidence } from '../../src/result.js';
import { pickHeaders } from '../../src/http/client.js';
import { listPaths, pushTo } from './aggregate.js';

export const CORS_CLASSES = [
  'reflect-origin',
  'null-origin',
  'prefix-match',
  'suffix-match',
  'unescaped-dot',
  'http-trusted',
  'any-subdomain',
] as const;
export type CorsClass = (typeof CORS_CLASSES)[number];

/** An origin no one allows on purpose (.test is reserved, RFC 2606). */
export const ATTACKER_ORIGIN = 'https://evil.test';
const ATTACKER_DOMAIN = 'evil.test';

export interface DerivedOrigin {
  cls: CorsClass;
  /** The allowed origin it was derived from (absent for reflect-origin and null-origin). */
  base?: string;
  origin?: string;
  /** Why this class does not apply to `base` (e.g. an http origin has no http twin). */
  notApplicable?: string;
}

function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
}

/**
 * Origins an attacker could register or control that a sloppy check (startsWith, endsWith, an unescaped
 * regex dot, ignoring the scheme, any subdomain) would confuse with `allowed`.
 */
export function deriveOrigins(allowed: string, opts: { allowSubdomains: boolean }): DerivedOrigin[] {
  const u = new URL(allowed);
  const scheme = u.protocol; // "https:"
  const host = u.hostname;
  const port = u.port ? `:${u.port}` : '';
  const labels = host.split('.');
  const ip = isIp(host);
  const out: DerivedOrigin[] = [];
  const add = (cls: CorsClass, origin: string | undefined, notApplicable?: string) =>
    out.push(notApplicable ? { cls, base: allowed, notApplicable } : { cls, base: allowed, origin });

  // startsWith("https://app.example.com") accepts https://app.example.com.evil.test
  add('prefix-match', `${scheme}//${host}.${ATTACKER_DOMAIN}${port}`);
  // endsWith("app.example.com") accepts https://evilapp.example.com
  if (ip) add('suffix-match', undefined, `${host} is an IP address`);
  else add('suffix-match', `${scheme}//evil${host}${port}`);
  // /app.example.com/ (dot unescaped) accepts https://appxexample.com, a domain anyone can register
  if (ip || labels.length < 2) add('unescaped-dot', undefined, `${host} has no dot`);
  else {
    const i = Math.max(1, labels.length - 2);
    add('unescaped-dot', `${scheme}//${labels.slice(0, i).join('.')}x${labels.slice(i).join('.')}${port}`);
  }
  // an https origin trusted over http lets a network attacker inject script into the http twin
  if (scheme === 'https:') add('http-trusted', `http://${host}${port}`);
  else add('http-trusted', undefined, `${allowed} is already http`);
  // any subdomain: one XSS or takeover on any subdomain is enough
  if (opts.allowSubdomains) add('any-subdomain', undefined, 'subdomains are allowed by the profile (cors.allowSubdomains)');
  else if (ip) add('any-subdomain', undefined, `${host} is an IP address`);
  else add('any-subdomain', `${scheme}//evil.${host}${port}`);
  return out;
}

/** Every origin to probe: the allowed ones, the attacker's, null, and the ones derived from each allowed one. */
export function probeOrigins(
  allowedOrigins: string[],
  opts: { allowSubdomains: boolean },
): { allowed: string[]; derived: DerivedOrigin[] } {
  const derived: DerivedOrigin[] = [
    { cls: 'reflect-origin', origin: ATTACKER_ORIGIN },
    { cls: 'null-origin', origin: 'null' },
  ];
  for (const a of allowedOrigins) derived.push(...deriveOrigins(a, opts));
  // An allowed origin is never an attack (e.g. both https://x and http://x are allowed on purpose).
  for (const d of derived)
    if (d.origin && allowedOrigins.includes(d.origin))
      Object.assign(d, { origin: undefined, notApplicable: `${d.origin} is itself an allowed origin` });
  return { allowed: allowedOrigins, derived };
}

/**
 * The paths probed with every origin when `cors.paths` is not set: the first audited path under each
 * top-level segment. CORS middleware is mounted per prefix (`app.use('/api', cors())`), so /api/a and
 * /api/b answer alike; probing both would multiply the requests by the number of paths, not the number
 * of policies. `covered` maps each probed path to the audited paths it stands for.
 */
export function corsRepresentatives(paths: string[]): { probed: string[]; covered: Map<string, string[]> } {
  const byPrefix = new Map<string, string[]>();
  for (const path of paths) {
    const prefix = path.split(/[/?#]/)[1] ?? '';
    pushTo(byPrefix, prefix, path);
  }
  const covered = new Map<string, string[]>();
  for (const group of byPrefix.values()) covered.set(group[0], group.slice(1));
  return { probed: [...covered.keys()], covered };
}

/** " (one path per prefix: /api/a stands for /api/b, /api/c and 3 more; list cors.paths to probe others)" or "". */
export function coverageNote(covered: Map<string, string[]>): string {
  const standIns = [...covered].filter(([, others]) => others.length > 0);
  if (standIns.length === 0) return '';
  const parts = standIns.map(([path, others]) => `${path} stands for ${listPaths(others, 3)}`);
  return ` (one path per prefix: ${parts.join('; ')}; list cors.paths to probe others)`;
}

// ---------------------------------------------------------------- reading answers

export interface CorsObservation {
  path: string;
  kind: 'simple' | 'preflight';
  /** 'allowed' for an allowed origin, else the class of the derived origin. */
  cls: 'allowed' | CorsClass;
  base?: string;
  origin: string;
  /** "OPTIONS http://host/path" */
  request: string;
  requestHeaders: Record<string, string>;
  status?: number;
  headers?: Record<string, string>;
  error?: string;
}

export interface Grant {
  acao?: string;
  /** ACAO equals the Origin sent, byte for byte (what the browser compares). */
  exact: boolean;
  wildcard: boolean;
  credentials: boolean;
}

export function grantOf(headers: Record<string, string> | undefined, origin: string): Grant {
  const acao = headers?.['access-control-allow-origin']?.trim();
  const credentials = headers?.['access-control-allow-credentials']?.trim().toLowerCase() === 'true';
  return { acao, exact: acao !== undefined && acao === origin, wildcard: acao === '*', credentials };
}

const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);
const SAFELISTED_HEADERS = new Set(['accept', 'accept-language', 'content-language']);

/** Would a browser accept this preflight answer for `method` and `headers` (Fetch §4.8 CORS-preflight fetch)? */
export function preflightProblems(o: CorsObservation, method: string, headers: string[], credentials: boolean): string[] {
  const h = o.headers ?? {};
  const problems: string[] = [];
  if (o.status === undefined || o.status < 200 || o.status > 299) problems.push(`preflight answered ${o.status}, not 2xx`);
  const methods = list(h['access-control-allow-methods']);
  if (!SAFELISTED_METHODS.has(method) && !methods.includes(method) && !(methods.includes('*') && !credentials)) {
    problems.push(
      `Access-Control-Allow-Methods ${h['access-control-allow-methods'] === undefined ? 'missing' : JSON.stringify(h['access-control-allow-methods'])} does not allow ${method}`,
    );
  }
  const allowedHeaders = list(h['access-control-allow-headers']).map((x) => x.toLowerCase());
  const missing = headers
    .map((x) => x.toLowerCase())
    .filter(
      (x) =>
        !SAFELISTED_HEADERS.has(x) &&
        !allowedHeaders.includes(x) &&
        !(allowedHeaders.includes('*') && !credentials && x !== 'authorization'),
    );
  if (missing.length)
    problems.push(
      `Access-Control-Allow-Headers ${h['access-control-allow-headers'] === undefined ? 'missing' : JSON.stringify(h['access-control-allow-headers'])} does not allow ${missing.join(', ')}`,
    );
  return problems;
}

function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

export function varyIncludesOrigin(headers: Record<string, string> | undefined): boolean {
  const vary = list(headers?.['vary']).map((x) => x.toLowerCase());
  return vary.includes('origin') || vary.includes('*');
}

// ---------------------------------------------------------------- verdicts

export interface CorsVerdict {
  status: 'pass' | 'fail' | 'skip' | 'error';
  message: string;
  evidence?: Evidence;
}

export interface CorsJudgeOptions {
  credentials: boolean;
  preflight: false | { method: string; headers: string[] };
  derived: DerivedOrigin[];
  allowedOrigins: string[];
  /** Appended to verdicts that name the probed paths (see coverageNote). */
  note?: string;
}

const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'vary',
];

export function corsEvidence(o: CorsObservation): Evidence {
  return {
    request: `${o.request} (Origin: ${o.origin})`,
    status: o.status,
    headers: pickHeaders(o.headers, CORS_HEADERS),
    details: {
      sent: o.requestHeaders,
      ...(o.error ? { error: o.error } : {}),
      ...(o.headers && !o.headers['access-control-allow-origin'] ? { note: 'no Access-Control-Allow-Origin in the answer' } : {}),
    },
  };
}

function grantText(g: Grant): string {
  return `ACAO: ${g.acao ?? '(none)'}${g.credentials ? ', ACAC: true' : ''}`;
}

function paths(obs: CorsObservation[]): string {
  return listPaths(obs.map((o) => o.path));
}

/** Whether `origin` was allowed (exactly) on `path` by either the simple request or the preflight. */
function allowedOn(obs: CorsObservation[], path: string, cls: CorsClass, base?: string): CorsObservation | undefined {
  return obs.find((o) => o.path === path && o.cls === cls && o.base === base && grantOf(o.headers, o.origin).exact);
}

/** The broader class whose failure already explains this one on the same path, if any. */
function coveredBy(obs: CorsObservation[], o: CorsObservation): CorsClass | undefined {
  if (o.cls !== 'reflect-origin' && allowedOn(obs, o.path, 'reflect-origin')) return 'reflect-origin';
  if (o.cls === 'any-subdomain' && allowedOn(obs, o.path, 'suffix-match', o.base)) return 'suffix-match';
  return undefined;
}

const CONSEQUENCE: Record<CorsClass, string> = {
  'reflect-origin': 'any site can read these responses',
  'null-origin': 'sandboxed iframes and data: pages of any site send Origin: null',
  'prefix-match': 'the attacker registers a domain that starts with the allowed host',
  'suffix-match': 'the attacker registers a domain that ends with the allowed host',
  'unescaped-dot': 'a regex dot matches any character, so the attacker registers the look-alike domain',
  'http-trusted': 'a network attacker can inject script into the http twin and read https responses',
  'any-subdomain': 'one XSS or subdomain takeover anywhere under the allowed host is enough',
};

/** One verdict per derived class, aggregated over paths and allowed origins. */
export function judgeClass(cls: CorsClass, obs: CorsObservation[], opts: CorsJudgeOptions): CorsVerdict {
  const mine = obs.filter((o) => o.cls === cls);
  const inapplicable = opts.derived.filter((d) => d.cls === cls && d.notApplicable);
  if (mine.length === 0) {
    if (opts.allowedOrigins.length === 0 && cls !== 'reflect-origin' && cls !== 'null-origin')
      return {
        status: 'skip',
        message: 'no allowed origins configured (cors.allowedOrigins), so there is nothing to derive look-alike origins from',
      };
    return { status: 'skip', message: inapplicable.map((d) => d.notApplicable).join('; ') || 'nothing to probe' };
  }
  const allowed = mine.filter((o) => grantOf(o.headers, o.origin).exact);
  const failing = allowed.filter((o) => !coveredBy(obs, o));
  if (failing.length) {
    const first = failing[0];
    const g = grantOf(first.headers, first.origin);
    const origins = [...new Set(failing.map((o) => o.origin))].join(', ');
    const withCreds = failing.some((o) => grantOf(o.headers, o.origin).credentials);
    return {
      status: 'fail',
      message: `${origins} allowed${withCreds ? ' with credentials' : ''} on ${paths(failing)} (${grantText(g)}): ${CONSEQUENCE[cls]}`,
      evidence: corsEvidence(first),
    };
  }
  if (allowed.length) {
    const by = coveredBy(obs, allowed[0])!;
    return {
      status: 'skip',
      message: `covered by security.cors.${by}: ${allowed[0].origin} is allowed on ${paths(allowed)}, but so is every origin this check would distinguish`,
    };
  }
  const errored = mine.filter((o) => o.error);
  if (errored.length)
    return {
      status: 'error',
      message: `could not probe ${errored[0].origin} on ${paths(errored)}: ${errored[0].error}`,
      evidence: corsEvidence(errored[0]),
    };
  const origins = [...new Set(mine.map((o) => o.origin))];
  const wildcard = mine.filter((o) => grantOf(o.headers, o.origin).wildcard && !grantOf(o.headers, o.origin).credentials);
  const pub = wildcard.length
    ? `; ${paths(wildcard)} answer ACAO * without credentials (public, nothing user-specific is shared)`
    : '';
  const na = inapplicable.length ? `; not applicable: ${inapplicable.map((d) => d.notApplicable).join('; ')}` : '';
  return { status: 'pass', message: `${origins.join(', ')} refused on ${paths(mine)}${opts.note ?? ''}${pub}${na}` };
}

export function judgeAllowedOrigin(obs: CorsObservation[], opts: CorsJudgeOptions): CorsVerdict {
  const mine = obs.filter((o) => o.cls === 'allowed');
  if (opts.allowedOrigins.length === 0) return { status: 'skip', message: 'no allowed origins configured (cors.allowedOrigins)' };
  // The same problem on many paths is reported once, with the paths listed.
  const problems = new Map<string, CorsObservation[]>();
  const add = (o: CorsObservation, text: string) => pushTo(problems, text, o);
  const errors = mine.filter((o) => o.error);
  for (const o of mine) {
    if (o.error) continue;
    const g = grantOf(o.headers, o.origin);
    const what = o.kind === 'preflight' ? 'preflight' : 'request';
    if (!g.exact && !(g.wildcard && !opts.credentials)) {
      add(o, `${what} from ${o.origin} got ${g.acao === undefined ? 'no Access-Control-Allow-Origin' : `ACAO: ${g.acao}`}`);
      continue;
    }
    if (opts.credentials && !g.credentials)
      add(o, `${what} from ${o.origin} lacks Access-Control-Allow-Credentials: true (the profile expects credentials)`);
    if (!opts.credentials && g.credentials)
      add(o, `${what} from ${o.origin} allows credentials, but the profile says credentials: false`);
    if (o.kind === 'preflight' && opts.preflight)
      for (const p of preflightProblems(o, opts.preflight.method, opts.preflight.headers, opts.credentials)) add(o, p);
  }
  if (problems.size) {
    const first = [...problems.values()][0][0];
    return {
      status: 'fail',
      message: [...problems].map(([text, os]) => `${paths(os)}: ${text}`).join('; '),
      evidence: corsEvidence(first),
    };
  }
  if (errors.length)
    return {
      status: 'error',
      message: `could not probe ${errors[0].origin} on ${paths(errors)}: ${errors[0].error}`,
      evidence: corsEvidence(errors[0]),
    };
  const pre = opts.preflight
    ? ` and preflight ${opts.preflight.method}${opts.preflight.headers.length ? ` with ${opts.preflight.headers.join(', ')}` : ''}`
    : '';
  return {
    status: 'pass',
    message: `${opts.allowedOrigins.join(', ')} allowed exactly${opts.credentials ? ' with credentials' : ''} on ${paths(mine)} (simple request${pre})${opts.note ?? ''}`,
  };
}

export function judgeWildcardCredentials(obs: CorsObservation[]): CorsVerdict {
  const bad = obs.filter((o) => grantOf(o.headers, o.origin).wildcard && grantOf(o.headers, o.origin).credentials);
  if (bad.length)
    return {
      status: 'fail',
      message: `ACAO * together with Access-Control-Allow-Credentials: true on ${paths(bad)}: the server means to share credentialed responses with everyone (browsers refuse the combination, so someone will "fix" it by reflecting the Origin)`,
      evidence: corsEvidence(bad[0]),
    };
  if (obs.every((o) => o.error))
    return { status: 'error', message: `no CORS probe was answered: ${obs[0]?.error ?? 'nothing probed'}` };
  return { status: 'pass', message: 'no response combines ACAO * with credentials' };
}

/**
 * When Access-Control-Allow-Origin depends on the request's Origin, every response must say
 * `Vary: Origin`, or a shared cache serves one origin's answer to another.
 */
export function judgeVaryOrigin(obs: CorsObservation[]): CorsVerdict {
  const simple = obs.filter((o) => o.kind === 'simple' && o.headers);
  const byPath = new Map<string, CorsObservation[]>();
  for (const o of simple) pushTo(byPath, o.path, o);
  const dependent: string[] = [];
  const missing: CorsObservation[] = [];
  for (const [path, os] of byPath) {
    const values = new Set(os.map((o) => o.headers!['access-control-allow-origin']?.trim() ?? ''));
    if (values.size <= 1) continue; // the same answer for every Origin (static or absent): nothing varies
    dependent.push(path);
    missing.push(...os.filter((o) => !varyIncludesOrigin(o.headers)));
  }
  if (missing.length) {
    const withAcao = missing.find((o) => o.headers!['access-control-allow-origin']) ?? missing[0];
    return {
      status: 'fail',
      message: `Access-Control-Allow-Origin depends on the Origin on ${paths(missing)}, but ${missing.length} of those responses lack Vary: Origin (e.g. Origin ${withAcao.origin} → Vary: ${withAcao.headers!['vary'] ?? '(none)'})`,
      evidence: corsEvidence(withAcao),
    };
  }
  if (simple.length === 0)
    return { status: 'error', message: `no CORS probe was answered: ${obs[0]?.error ?? 'nothing probed'}` };
  if (dependent.length === 0)
    return {
      status: 'pass',
      message: `Access-Control-Allow-Origin does not depend on the Origin on ${listPaths([...byPath.keys()])}, so no Vary is needed`,
    };
  return { status: 'pass', message: `Vary: Origin on every response of ${listPaths(dependent)}` };
}
