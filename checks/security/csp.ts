// A Content-Security-Policy parser and an evaluator that follows the rules of Google's CSP Evaluator
// (github.com/google/csp-evaluator, checks/security_checks.ts and checks/parser_checks.ts), evaluated
// as a CSP3 browser sees the policy: 'unsafe-inline' is ignored next to a nonce or hash, and with
// 'strict-dynamic' host and scheme sources, 'self' and 'unsafe-inline' are ignored in script-src.
// Pure: no I/O, so it is tested table-driven. The allowlist-bypass rules come from Google's csp_evaluator
// package itself (Apache-2.0), with its JSONP, AngularJS and Flash host lists.
import { checkFlashObjectAllowlistBypass, checkScriptAllowlistBypass } from 'csp_evaluator/dist/checks/security_checks.js';
import { Severity as EvaluatorSeverity } from 'csp_evaluator/dist/finding.js';
import { CspParser } from 'csp_evaluator/dist/parser.js';

export interface CspPolicy {
  /** Directive name (lower case) → source expressions, in order. The first occurrence of a directive wins. */
  directives: Map<string, string[]>;
  /** Directives that appeared more than once (browsers ignore the repeats). */
  duplicates: string[];
  text: string;
}

/** Severity as the CSP Evaluator grades it: high → fail, medium/syntax → warn, info → reported only. */
export type CspSeverity = 'high' | 'medium' | 'syntax' | 'info';

export interface CspFinding {
  type: string;
  severity: CspSeverity;
  directive: string;
  value?: string;
  description: string;
}

/** Fetch directives fall back to default-src (CSP3 §6.1). */
export const FETCH_DIRECTIVES = [
  'child-src',
  'connect-src',
  'default-src',
  'font-src',
  'frame-src',
  'img-src',
  'manifest-src',
  'media-src',
  'object-src',
  'script-src',
  'script-src-attr',
  'script-src-elem',
  'style-src',
  'style-src-attr',
  'style-src-elem',
  'worker-src',
  'prefetch-src',
];

const KNOWN_DIRECTIVES = new Set([
  ...FETCH_DIRECTIVES,
  'base-uri',
  'plugin-types',
  'sandbox',
  'disown-opener',
  'form-action',
  'frame-ancestors',
  'navigate-to',
  'report-to',
  'report-uri',
  'block-all-mixed-content',
  'upgrade-insecure-requests',
  'reflected-xss',
  'referrer',
  'require-sri-for',
  'trusted-types',
  'require-trusted-types-for',
  'webrtc',
  'fenced-frame-src',
]);

const KEYWORDS = new Set([
  "'self'",
  "'none'",
  "'unsafe-inline'",
  "'unsafe-eval'",
  "'wasm-eval'",
  "'wasm-unsafe-eval'",
  "'strict-dynamic'",
  "'unsafe-hashed-attributes'",
  "'unsafe-hashes'",
  "'report-sample'",
  "'block'",
  "'allow'",
  "'inline-speculation-rules'",
]);

/** Directives whose weakness lets an attacker run script (CSP Evaluator's DIRECTIVES_CAUSING_XSS). */
const XSS_DIRECTIVES = ['script-src', 'script-src-attr', 'script-src-elem', 'object-src', 'base-uri'];
const SCRIPT_DIRECTIVES = ['script-src', 'script-src-attr', 'script-src-elem'];
const XSS_SCHEMES = ['data:', 'http:', 'https:'];

const NONCE = /^'nonce-(.+)'$/;
const STRICT_NONCE = /^'nonce-[a-zA-Z0-9+/_-]+={0,2}'$/;
const HASH = /^'(sha256|sha384|sha512)-(.+)'$/;

export const isNonce = (v: string) => NONCE.test(v);
export const isHash = (v: string) => HASH.test(v);

/**
 * Splits a header value into policies (a comma separates policies: RFC 9110 §5.3 joins repeated headers
 * with commas, and CSP3 §2.2 excludes commas from directive values) and parses each.
 */
export function parseCspHeader(value: string | undefined): CspPolicy[] {
  if (!value) return [];
  return value
    .split(',')
    .map((p) => parsePolicy(p))
    .filter((p) => p.directives.size > 0);
}

/** CSP3 §2.2.1 "parse a serialized CSP": directives split on ";", tokens on ASCII whitespace. */
export function parsePolicy(text: string): CspPolicy {
  const directives = new Map<string, string[]>();
  const duplicates: string[] = [];
  for (const part of text.split(';')) {
    const tokens = part
      .trim()
      .split(/[\t\n\f\r ]+/)
      .filter(Boolean);
    if (tokens.length === 0) continue;
    const name = tokens[0].toLowerCase();
    if (directives.has(name)) {
      duplicates.push(name);
      continue;
    }
    directives.set(name, tokens.slice(1).map(normalizeSource));
  }
  return { directives, duplicates, text: text.trim() };
}

/** Keywords, schemes and hosts are case-insensitive; nonce and hash values are not. */
function normalizeSource(v: string): string {
  const m = /^'(nonce|sha256|sha384|sha512)-(.*)'$/i.exec(v);
  return m ? `'${m[1].toLowerCase()}-${m[2]}'` : v.toLowerCase();
}

/** CSP3 §6.8.3 fallback lists: script-src-elem falls back to script-src before default-src, and so on. */
const FALLBACKS: Record<string, string[]> = {
  'script-src-elem': ['script-src-elem', 'script-src', 'default-src'],
  'script-src-attr': ['script-src-attr', 'script-src', 'default-src'],
  'style-src-elem': ['style-src-elem', 'style-src', 'default-src'],
  'style-src-attr': ['style-src-attr', 'style-src', 'default-src'],
  'worker-src': ['worker-src', 'child-src', 'script-src', 'default-src'],
  'frame-src': ['frame-src', 'child-src', 'default-src'],
};

/**
 * The directive that governs `name`: itself if present; for a fetch directive, the first present one of
 * its fallback list (ending in default-src); else itself. (The CSP Evaluator falls back straight to
 * default-src; the spec's lists avoid false alarms like script-src-elem inheriting a broad default-src.)
 */
export function effectiveDirective(policy: CspPolicy, name: string): string {
  if (policy.directives.has(name) || !FETCH_DIRECTIVES.includes(name)) return name;
  const chain = FALLBACKS[name] ?? [name, 'default-src'];
  return chain.find((d) => policy.directives.has(d)) ?? 'default-src';
}

function valuesOf(policy: CspPolicy, name: string): string[] {
  return policy.directives.get(name) ?? [];
}

const hasNonce = (p: CspPolicy) => valuesOf(p, effectiveDirective(p, 'script-src')).some(isNonce);
const hasHash = (p: CspPolicy) => valuesOf(p, effectiveDirective(p, 'script-src')).some(isHash);
const hasStrictDynamic = (p: CspPolicy) => valuesOf(p, effectiveDirective(p, 'script-src')).includes("'strict-dynamic'");

/** The policy as a CSP3 browser enforces it (CSP Evaluator's getEffectiveCsp for Version.CSP3). */
export function effectivePolicy(policy: CspPolicy): CspPolicy {
  const directives = new Map([...policy.directives].map(([k, v]) => [k, [...v]] as [string, string[]]));
  const eff: CspPolicy = { ...policy, directives };
  const name = effectiveDirective(eff, 'script-src');
  const values = directives.get(name);
  if (!values) return eff;
  if (hasNonce(policy) || hasHash(policy)) remove(values, (v) => v === "'unsafe-inline'");
  if (hasStrictDynamic(policy)) remove(values, (v) => !v.startsWith("'") || v === "'self'" || v === "'unsafe-inline'");
  return eff;
}

function remove(arr: string[], pred: (v: string) => boolean): void {
  for (let i = arr.length - 1; i >= 0; i--) if (pred(arr[i])) arr.splice(i, 1);
}

function schemeFree(v: string): string {
  return v.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, '');
}

function hostOf(v: string): string {
  return schemeFree(v)
    .replace(/[/?#].*$/, '')
    .replace(/:\d+$/, '');
}

/** All findings for one policy, on its effective (CSP3) form, plus the parser checks on the text as written. */
export function evaluatePolicy(policy: CspPolicy): CspFinding[] {
  const eff = effectivePolicy(policy);
  const effective = (names: string[]) => [...new Set(names.map((n) => effectiveDirective(eff, n)))];
  return [
    ...unsafeScriptKeywords(eff, effective(SCRIPT_DIRECTIVES)),
    ...plainSchemesAndWildcards(eff, effective(XSS_DIRECTIVES)),
    ...missingDirectives(policy),
    // checkScriptAllowlistBypass / checkFlashObjectAllowlistBypass: Google's own code and host lists (the
    // csp_evaluator package), run on the effective policy, so JSONP and AngularJS hosts in script-src fail.
    ...allowlistBypasses(eff),
    ...sourceValueFindings(eff),
    ...deprecatedDirectives(policy),
    ...parserFindings(policy),
  ];
}

/** checkScriptUnsafeInline / checkScriptUnsafeEval, on the directives that govern scripts. */
function unsafeScriptKeywords(eff: CspPolicy, directives: string[]): CspFinding[] {
  const findings: CspFinding[] = [];
  const push = (f: CspFinding) => findings.push(f);
  for (const d of directives) {
    const values = valuesOf(eff, d);
    if (values.includes("'unsafe-inline'"))
      push({
        type: 'script-unsafe-inline',
        severity: 'high',
        directive: d,
        value: "'unsafe-inline'",
        description: `'unsafe-inline' in ${d} allows the execution of injected in-page scripts and event handlers`,
      });
    if (values.includes("'unsafe-hashes'"))
      push({
        type: 'script-unsafe-hashes',
        severity: 'info',
        directive: d,
        value: "'unsafe-hashes'",
        description: `'unsafe-hashes' in ${d} still allows inline event handlers whose hashes are listed`,
      });
    if (values.includes("'unsafe-eval'"))
      push({
        type: 'script-unsafe-eval',
        severity: 'medium',
        directive: d,
        value: "'unsafe-eval'",
        description: `'unsafe-eval' in ${d} allows code injected into eval() and similar APIs to run`,
      });
  }

  return findings;
}

/** checkPlainUrlSchemes / checkWildcards, on the directives that can run injected script. */
function plainSchemesAndWildcards(eff: CspPolicy, directives: string[]): CspFinding[] {
  const findings: CspFinding[] = [];
  const push = (f: CspFinding) => findings.push(f);
  for (const d of directives) {
    for (const v of valuesOf(eff, d)) {
      if (XSS_SCHEMES.includes(v))
        push({
          type: 'plain-url-scheme',
          severity: 'high',
          directive: d,
          value: v,
          description: `${v} in ${d} allows scripts from any ${v === 'data:' ? 'data: URL' : `${v.slice(0, -1)} URL`}`,
        });
      else if (schemeFree(v) === '*')
        push({
          type: 'wildcard',
          severity: 'high',
          directive: d,
          value: v,
          description: `${d} should not allow '*' as a source`,
        });
    }
  }

  return findings;
}

/** checkMissingObjectSrcDirective / checkMissingScriptSrcDirective / checkMissingBaseUriDirective, on the policy as written. */
function missingDirectives(policy: CspPolicy): CspFinding[] {
  const findings: CspFinding[] = [];
  const push = (f: CspFinding) => findings.push(f);
  const objectValues = policy.directives.get('object-src') ?? policy.directives.get('default-src');
  if (!objectValues || objectValues.length === 0)
    push({
      type: 'missing-object-src',
      severity: 'high',
      directive: 'object-src',
      description: "missing object-src (and no default-src) allows plugins that execute JavaScript; set object-src 'none'",
    });
  if (!policy.directives.has('script-src') && !policy.directives.has('default-src'))
    push({
      type: 'missing-script-src',
      severity: 'high',
      directive: 'script-src',
      description: 'script-src (or default-src) is missing, so scripts load from anywhere',
    });
  if (!policy.directives.has('base-uri')) {
    // base-uri matters where a <base> tag can retarget relative nonce'd script URLs (Evaluator: nonce, or hash + strict-dynamic).
    const needed = hasNonce(policy) || (hasHash(policy) && hasStrictDynamic(policy));
    push({
      type: 'missing-base-uri',
      severity: needed ? 'high' : 'info',
      directive: 'base-uri',
      description: needed
        ? "missing base-uri lets an injected <base> tag point relative script URLs at an attacker's host; set base-uri 'none' or 'self'"
        : "base-uri is not set ('none' or 'self' is a cheap extra)",
    });
  }

  return findings;
}

/** checkNonceLength / checkSrcHttp / checkIpSource, on every value of every directive. */
function sourceValueFindings(eff: CspPolicy): CspFinding[] {
  const findings: CspFinding[] = [];
  const push = (f: CspFinding) => findings.push(f);
  for (const [d, values] of eff.directives) {
    for (const v of values) {
      const nonce = NONCE.exec(v);
      if (nonce) {
        if (nonce[1].length < 8)
          push({
            type: 'nonce-length',
            severity: 'medium',
            directive: d,
            value: v,
            description: 'nonces should be at least 8 characters long',
          });
        if (!STRICT_NONCE.test(v))
          push({
            type: 'nonce-charset',
            severity: 'info',
            directive: d,
            value: v,
            description: 'nonces should only use the base64 charset',
          });
      }
      if (v.startsWith('http://'))
        push({
          type: 'src-http',
          severity: 'medium',
          directive: d,
          value: v,
          description: d === 'report-uri' ? 'send violation reports over https' : `${v} loads resources over plain http`,
        });
      const host = hostOf(v);
      if (!v.startsWith("'") && (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[')))
        push({
          type: 'ip-source',
          severity: 'info',
          directive: d,
          value: v,
          description:
            host === '127.0.0.1'
              ? `${d} allows localhost; remove it in production`
              : `${d} lists an IP address (${host}), which browsers ignore`,
        });
    }
  }
  return findings;
}

/** checkDeprecatedDirective. */
function deprecatedDirectives(policy: CspPolicy): CspFinding[] {
  const findings: CspFinding[] = [];
  const push = (f: CspFinding) => findings.push(f);
  for (const [d, replacement] of [
    ['reflected-xss', 'X-XSS-Protection'],
    ['referrer', 'the Referrer-Policy header'],
    ['disown-opener', 'Cross-Origin-Opener-Policy'],
  ] as const) {
    if (policy.directives.has(d))
      push({
        type: 'deprecated-directive',
        severity: 'info',
        directive: d,
        description: `${d} is deprecated; use ${replacement}`,
      });
  }

  return findings;
}

/**
 * The Evaluator's allowlist-bypass checks on our effective policy. A host known to serve JSONP or
 * AngularJS (or Flash, in object-src) is high: it lets an attacker run script despite the allowlist.
 * The Evaluator's "maybe" findings ('self', hosts not on its lists) stay informational.
 */
function allowlistBypasses(eff: CspPolicy): CspFinding[] {
  const text = [...eff.directives].map(([d, values]) => [d, ...values].join(' ')).join('; ');
  const parsed = new CspParser(text).csp;
  const tagged = [
    ...checkScriptAllowlistBypass(parsed).map((f) => ({ f, type: 'script-allowlist-bypass' })),
    ...checkFlashObjectAllowlistBypass(parsed).map((f) => ({ f, type: 'object-allowlist-bypass' })),
  ];
  return tagged.map(({ f, type }): CspFinding => {
    const high = f.severity === EvaluatorSeverity.HIGH;
    return {
      type: high ? type : 'script-allowlist',
      severity: high ? 'high' : 'info',
      directive: f.directive,
      value: f.value,
      description: high ? `${f.value} in ${f.directive}: ${f.description.replace(/\.$/, '')}` : f.description,
    };
  });
}

/** CSP Evaluator's parser checks: unknown directives, missing semicolons, keywords without quotes. */
function parserFindings(policy: CspPolicy): CspFinding[] {
  const findings: CspFinding[] = [];
  const bareKeywords = new Set([...KEYWORDS].map((k) => k.slice(1, -1)));
  for (const [d, values] of policy.directives) {
    if (!KNOWN_DIRECTIVES.has(d)) {
      findings.push({
        type: 'unknown-directive',
        severity: 'syntax',
        directive: d,
        description: d.endsWith(':') ? `CSP directives don't end with a colon ("${d}")` : `"${d}" is not a known CSP directive`,
      });
    }
    for (const v of values) {
      if (KNOWN_DIRECTIVES.has(v)) {
        findings.push({
          type: 'missing-semicolon',
          severity: 'syntax',
          directive: d,
          value: v,
          description: `did you forget a semicolon? "${v}" is a directive, not a source`,
        });
      } else if (bareKeywords.has(v) || v.startsWith('nonce-') || /^(sha256|sha384|sha512)-/.test(v)) {
        findings.push({
          type: 'invalid-keyword',
          severity: 'syntax',
          directive: d,
          value: v,
          description: `"${v}" needs single quotes ('${v}'); without them it is read as a host name`,
        });
      } else if (
        v.startsWith("'") &&
        !KEYWORDS.has(v) &&
        !isNonce(v) &&
        !isHash(v) &&
        !(d === 'require-trusted-types-for' && v === "'script'") &&
        !(d === 'trusted-types' && v === "'allow-duplicates'")
      ) {
        findings.push({
          type: 'invalid-keyword',
          severity: 'syntax',
          directive: d,
          value: v,
          description: `${v} is not a CSP keyword`,
        });
      }
    }
  }
  for (const d of policy.duplicates)
    findings.push({
      type: 'duplicate-directive',
      severity: 'syntax',
      directive: d,
      description: `${d} appears more than once; browsers ignore every occurrence after the first`,
    });
  return findings;
}

/**
 * Findings for a set of enforced policies. A resource must satisfy every policy, so a high-severity
 * weakness counts only when every policy has it (like the Evaluator's multiple-policy base-uri check);
 * medium, syntax and informational findings are reported from any policy.
 */
export function evaluateCsp(policies: CspPolicy[]): CspFinding[] {
  if (policies.length === 0) return [];
  const per = policies.map(evaluatePolicy);
  const out: CspFinding[] = [];
  const seen = new Set<string>();
  for (const findings of per) {
    for (const f of findings) {
      const key = `${f.type}|${f.directive}|${f.value ?? ''}`;
      if (seen.has(key)) continue;
      if (f.severity === 'high' && !per.every((fs) => fs.some((g) => g.type === f.type && g.severity === 'high'))) continue;
      seen.add(key);
      out.push(f);
    }
  }
  return out;
}

/** "script-src 'unsafe-inline'" style label for a finding. */
export function findingLabel(f: CspFinding): string {
  return f.value ? `${f.directive} ${f.value}` : f.directive;
}
