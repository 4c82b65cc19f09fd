// `shipgate export k6`: the load gate as a k6 script, so a team that outgrows one load generator runs
// the same endpoints and thresholds on k6's distributed runners (k6 cloud, k6-operator on Kubernetes).
// Pure translation: parsed profile in, script text and warnings out; the command does the I/O.
//
// The translation table (shipgate threshold → k6 threshold on a sub-metric of the scope):
//   p95 < 200ms      → http_req_duration{scenario:NAME}: ['p(95)<200']      (k6 durations are in ms)
//   avg|min|med|max  → http_req_duration: ['avg<…'] …
//   errors < 1%      → http_req_failed: ['rate<0.01']                        (status ≥ 400 or transport error, as in shipgate)
//   rps > 500        → http_reqs: ['rate>500']                               (no warm-up)
//                    → http_reqs: ['count>5000'] = 500 × measured seconds    (with a warm-up: k6's rate divides
//                                                                             by the whole test time, warm-up included)
//   timeouts == 0    → http_reqs{error_code:1050}: ['count==0']              (1050: k6's request-timeout error code)
//   abortOnFail, delayAbortEval → the same k6 options (delay shifted by the warm-up)
// Whole-run thresholds go on the bare metric, or on {phase:measure} when a warm-up runs.
// rps with `amount` has no equivalent (the run has no fixed duration to divide by): it is listed in a
// comment in the script and returned as a warning, never dropped silently.
import type { GateExporter } from '../../src/gates/contract.js';
import { formatNumber } from '../../src/lang/thresholds.js';
import type { LoadConfig, LoadEndpoint, LoadThreshold } from './schema.js';
import { RUN_SCOPE } from './schema.js';
import { thresholdIds } from './index.js';

/** k6's error code for a request that ran into its timeout (k6 docs, "Error codes"). */
export const K6_TIMEOUT_ERROR_CODE = 1050;
/** The environment variable the script reads the auth gate's access token from. */
export const TOKEN_ENV = 'SHIPGATE_TOKEN';
export const BASE_URL_ENV = 'BASE_URL';

/** Where a threshold applies, as the translation needs to know it. */
export interface ThresholdScope {
  /** Tag filter of the sub-metric without braces: "scenario:products", "phase:measure", or "" for the bare metric. */
  filter: string;
  /** How long the measured load runs (ms). */
  durationMs: number;
  /** The warm-up before it (ms); 0 for none. */
  warmupMs: number;
  /** Requests per endpoint instead of a duration. */
  amount?: number;
}

export interface K6Threshold {
  /** The k6 metric key: "http_req_duration{scenario:products}". */
  metric: string;
  /** The k6 expression: "p(95)<200". */
  expression: string;
  abortOnFail?: boolean;
  /** k6 duration string. */
  delayAbortEval?: string;
  /** Why the translation is not literal, for a comment next to it. */
  note?: string;
}

export type Translation = { ok: true; k6: K6Threshold } | { ok: false; reason: string };

/** Numbers as k6's threshold parser reads them: no exponent, no float noise (1% → 0.01). */
export function k6Number(n: number): string {
  const s = String(Number(n.toPrecision(12)));
  return s.includes('e') ? n.toFixed(12).replace(/\.?0+$/, '') : s;
}

/** k6 duration strings: "10s", "1500ms". */
export function k6Duration(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${k6Number(ms)}ms`;
}

function metricKey(metric: string, ...filters: string[]): string {
  const f = filters.filter(Boolean).join(',');
  return f ? `${metric}{${f}}` : metric;
}

/** One shipgate threshold → one k6 threshold, or the reason there is none. */
export function translateThreshold(t: LoadThreshold, scope: ThresholdScope): Translation {
  const op = t.operator;
  let metric: string;
  let expression: string;
  let note: string | undefined;
  switch (t.kind) {
    case 'latency': {
      const agg = t.percentile !== undefined ? `p(${formatNumber(t.percentile)})` : t.aggregate!;
      metric = metricKey('http_req_duration', scope.filter);
      expression = `${agg}${op}${k6Number(t.value)}`;
      break;
    }
    case 'errors':
      metric = metricKey('http_req_failed', scope.filter);
      expression = `rate${op}${k6Number(t.value / 100)}`;
      break;
    case 'rps': {
      if (scope.amount !== undefined) {
        return {
          ok: false,
          reason: `with amount (${scope.amount} requests per endpoint) the measured time is not fixed, and k6's http_reqs rate divides by the whole test time; judge throughput with a duration-based load instead`,
        };
      }
      metric = metricKey('http_reqs', scope.filter);
      if (scope.warmupMs === 0) expression = `rate${op}${k6Number(t.value)}`;
      else {
        const seconds = scope.durationMs / 1000;
        expression = `count${op}${k6Number(t.value * seconds)}`;
        note = `${t.source} over the ${k6Duration(scope.durationMs)} measured: k6's rate would divide by the whole test time (warm-up included), so the count is judged (${formatNumber(t.value)} × ${formatNumber(seconds)}s)`;
      }
      break;
    }
    case 'timeouts':
      metric = metricKey('http_reqs', scope.filter, `error_code:${K6_TIMEOUT_ERROR_CODE}`);
      expression = `count${op}${k6Number(t.value)}`;
      break;
  }
  const k6: K6Threshold = { metric, expression, ...(note ? { note } : {}) };
  if (t.abortOnFail) {
    if (expression.startsWith('count') && t.kind === 'rps') {
      k6.note = `${note}; abortOnFail is not carried over: a count only reaches its total at the end, so k6 would abort at once`;
    } else {
      k6.abortOnFail = true;
      // shipgate counts the delay from the start of the measured load; k6 from the start of the test.
      const delay = t.delayAbortEvalMs + scope.warmupMs;
      if (delay > 0) k6.delayAbortEval = k6Duration(delay);
    }
  }
  return { ok: true, k6 };
}

// ---------------------------------------------------------------------------------------------
// The script

/** A value the script must read from the environment instead of containing it. */
export interface EnvRef {
  /** The resolved value as it appears in the parsed profile. */
  value: string;
  /** The environment variable the script reads it from. */
  name: string;
}

export interface K6Input {
  profileName: string;
  /** The profile file, for the header comment. */
  profilePath: string;
  version: string;
  baseUrl: URL;
  targetHeaders: Record<string, string>;
  production: boolean;
  requestTimeoutMs: number;
  load: LoadConfig;
  /** Check ids of each scope's thresholds, in order (the load gate's thresholdIds). */
  thresholdIds: (scope: string, thresholds: LoadThreshold[]) => string[];
  /** Every value the profile marks secret; none may appear in the script. */
  secrets: string[];
  /** Environment variables the secrets came from (${secret:NAME} and the like). */
  envRefs: EnvRef[];
}

export interface K6Output {
  script: string;
  warnings: string[];
  scenarios: string[];
  thresholds: number;
  untranslated: number;
}

/** A piece of a string expression: literal text or an environment reference. */
type Part = string | { env: string };

/**
 * JS expression for `value` with every secret replaced by an __ENV read. Secrets with a known variable
 * use it; a literal secret in the profile becomes SHIPGATE_SECRET_<n>, with a warning.
 */
class SecretWriter {
  private readonly refs: EnvRef[];
  readonly literalSecrets = new Map<string, string>();
  readonly usedEnv = new Set<string>();

  constructor(
    envRefs: EnvRef[],
    private readonly secrets: string[],
  ) {
    // Longest first, so "Bearer abc" is not split by a shorter value inside it.
    this.refs = envRefs.filter((r) => r.value.length >= 4).sort((a, b) => b.value.length - a.value.length);
  }

  parts(value: string): Part[] {
    let parts: Part[] = [value];
    const split = (needle: string, env: string) => {
      parts = parts.flatMap((p) => {
        if (typeof p !== 'string' || !p.includes(needle)) return [p];
        const pieces = p.split(needle);
        return pieces.flatMap((piece, i) => (i === 0 ? [piece] : [{ env }, piece]));
      });
    };
    for (const r of this.refs) split(r.value, r.name);
    for (const s of this.secrets.filter((x) => x.length >= 4).sort((a, b) => b.length - a.length)) {
      if (!parts.some((p) => typeof p === 'string' && p.includes(s))) continue;
      let name = this.literalSecrets.get(s);
      if (!name) {
        name = `SHIPGATE_SECRET_${this.literalSecrets.size + 1}`;
        this.literalSecrets.set(s, name);
      }
      split(s, name);
    }
    const out = parts.filter((p) => p !== '');
    for (const p of out) if (typeof p !== 'string') this.usedEnv.add(p.env);
    return out.length ? out : [''];
  }

  expr(value: string): string {
    return this.parts(value)
      .map((p) => (typeof p === 'string' ? quote(p) : `__ENV.${p.env}`))
      .join(' + ');
  }
}

function quote(s: string): string {
  return `'${s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}'`;
}

/** A property key, quoted only when needed. */
function key(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

/** A JS function name for an endpoint ("api-items" → "api_items"), unique among `taken`. */
function functionName(endpoint: string, taken: Set<string>): string {
  let name = endpoint.replace(/[^A-Za-z0-9_$]/g, '_');
  if (/^\d/.test(name)) name = `_${name}`;
  if (RESERVED.has(name)) name = `${name}_`;
  while (taken.has(name)) name = `${name}_`;
  taken.add(name);
  return name;
}

const RESERVED = new Set([
  'default',
  'options',
  'setup',
  'teardown',
  'handleSummary',
  'http',
  'check',
  'BASE_URL',
  'TOKEN',
  'request',
  'delete',
  'new',
  'class',
  'function',
  'return',
  'var',
  'let',
  'const',
  'if',
  'else',
  'for',
  'while',
  'do',
  'switch',
  'case',
  'break',
  'continue',
  'try',
  'catch',
  'finally',
  'throw',
  'typeof',
  'instanceof',
  'in',
  'of',
  'void',
  'with',
  'yield',
  'await',
  'async',
  'import',
  'export',
  'super',
  'this',
  'null',
  'true',
  'false',
  'enum',
  'static',
  'public',
  'private',
  'protected',
  'interface',
  'package',
  'implements',
  'debugger',
  'extends',
]);

interface ScenarioPlan {
  endpoint: LoadEndpoint;
  scenario: string;
  warmupScenario?: string;
  exec: string;
  connections: number;
  rate?: number;
}

export function renderK6Script(input: K6Input): K6Output {
  const { load } = input;
  const secrets = new SecretWriter(input.envRefs, input.secrets);
  const { plans, scenarioNames } = planScenarios(load);
  const thresholds = renderThresholds(input, plans);
  const warnings = thresholds.untranslated.map(
    (u) => `threshold ${u}; it is listed in a comment in the script, not enforced by k6`,
  );

  // Endpoint functions are rendered first so every secret's variable is known for the header.
  const baseHeaders = lowerKeys(input.targetHeaders);
  const fnLines = plans.flatMap((p) => endpointFunction(p, input, secrets, baseHeaders));
  const baseUrlExpr = secrets.expr(input.baseUrl.origin);
  for (const [, name] of secrets.literalSecrets)
    warnings.push(
      `a secret written literally in the profile is read from __ENV.${name} in the script (set it when running k6); better: reference it as \${secret:NAME} in the profile`,
    );
  if (input.production)
    warnings.push('target.production is true: shipgate refuses load on this target without --allow-load; k6 will not ask');

  const lines = [...header(input, plans, secrets, baseUrlExpr), ...options(load, plans, thresholds.lines)];
  if (thresholds.untranslated.length) {
    lines.push('', '// NOT TRANSLATED: these thresholds of the profile have no k6 equivalent and are not enforced here:');
    for (const u of thresholds.untranslated) lines.push(`//   ${u}`);
  }
  lines.push('', ...fnLines);
  return {
    script: `${lines.join('\n').replace(/\n+$/, '')}\n`,
    warnings,
    scenarios: [...scenarioNames],
    thresholds: thresholds.translated,
    untranslated: thresholds.untranslated.length,
  };
}

/** One scenario per endpoint, plus a warm-up one each when the profile warms up. */
function planScenarios(load: LoadConfig): { plans: ScenarioPlan[]; scenarioNames: Set<string> } {
  const scenarioNames = new Set(load.endpoints.map((e) => e.name));
  const fnNames = new Set<string>();
  const plans = load.endpoints.map((e): ScenarioPlan => {
    let warmupScenario: string | undefined;
    if (load.warmup > 0) {
      warmupScenario = `warmup-${e.name}`;
      while (scenarioNames.has(warmupScenario)) warmupScenario = `${warmupScenario}-`;
      scenarioNames.add(warmupScenario);
    }
    return {
      endpoint: e,
      scenario: e.name,
      warmupScenario,
      exec: functionName(e.name, fnNames),
      connections: e.connections ?? load.connections,
      rate: e.rate ?? load.rate,
    };
  });
  return { plans, scenarioNames };
}

/** The options.thresholds lines, grouped by k6 metric with a comment per threshold; what k6 cannot express, apart. */
function renderThresholds(
  input: K6Input,
  plans: ScenarioPlan[],
): { lines: string[]; untranslated: string[]; translated: number } {
  const { load } = input;
  const untranslated: string[] = [];
  let translated = 0;
  const byMetric = new Map<string, { comments: string[]; entries: string[] }>();
  const addScope = (scopeName: string, label: string, thresholds: LoadThreshold[], scope: ThresholdScope) => {
    const ids = input.thresholdIds(scopeName, thresholds);
    thresholds.forEach((t, i) => {
      const tr = translateThreshold(t, scope);
      if (!tr.ok) {
        untranslated.push(`${ids[i]} "${t.source}" (${label}): ${tr.reason}`);
        return;
      }
      translated++;
      const slot = byMetric.get(tr.k6.metric) ?? { comments: [], entries: [] };
      byMetric.set(tr.k6.metric, slot);
      slot.comments.push(`${ids[i]}: "${t.source}" (${label})${tr.k6.note ? ` — ${tr.k6.note}` : ''}`);
      if (tr.k6.abortOnFail)
        slot.entries.push(
          `{ threshold: ${quote(tr.k6.expression)}, abortOnFail: true${tr.k6.delayAbortEval ? `, delayAbortEval: ${quote(tr.k6.delayAbortEval)}` : ''} }`,
        );
      else slot.entries.push(quote(tr.k6.expression));
    });
  };
  const base = { durationMs: load.duration, warmupMs: load.warmup, amount: load.amount };
  for (const p of plans)
    addScope(p.endpoint.name, `${p.endpoint.method} ${p.endpoint.path ?? p.endpoint.url}`, p.endpoint.thresholds, {
      ...base,
      filter: `scenario:${p.scenario}`,
    });
  addScope(RUN_SCOPE, 'all endpoints', load.thresholds, { ...base, filter: load.warmup > 0 ? 'phase:measure' : '' });
  const lines: string[] = [];
  for (const [metric, slot] of byMetric) {
    for (const c of slot.comments) lines.push(`    // ${c}`);
    lines.push(`    ${quote(metric)}: [${slot.entries.join(', ')}],`);
  }
  return { lines, untranslated, translated };
}

/** The exported function one endpoint's scenario runs: its request, headers (secrets from __ENV) and check. */
function endpointFunction(p: ScenarioPlan, input: K6Input, secrets: SecretWriter, baseHeaders: Record<string, string>): string[] {
  const e = p.endpoint;
  const resolved = new URL(e.target, input.baseUrl);
  const urlExpr =
    resolved.origin === input.baseUrl.origin
      ? `BASE_URL + ${secrets.expr(resolved.pathname + resolved.search)}`
      : secrets.expr(resolved.toString());
  const headers: Record<string, string> = { ...baseHeaders, ...lowerKeys(e.headers) };
  let bodyExpr = 'null';
  if (e.body !== undefined) {
    if (typeof e.body === 'string') bodyExpr = secrets.expr(e.body);
    else {
      headers['content-type'] ??= 'application/json';
      bodyExpr = secrets.expr(JSON.stringify(e.body));
    }
  }
  // The token replaces a target Authorization header, as in the load gate.
  if (e.auth) delete headers.authorization;
  const headerLines = Object.entries(headers).map(([k, v]) => `      ${quote(k)}: ${secrets.expr(v)},`);
  if (e.auth) headerLines.push(`      'authorization': 'Bearer ' + TOKEN, // auth: true`);
  return [
    `// ${e.method} ${e.path ?? e.url}${e.auth ? ' (auth: true)' : ''}`,
    `export function ${p.exec}() {`,
    `  const res = http.request(${quote(e.method)}, ${urlExpr}, ${bodyExpr}, {`,
    ...(headerLines.length ? ['    headers: {', ...headerLines, '    },'] : []),
    `    timeout: ${quote(k6Duration(input.load.timeout ?? input.requestTimeoutMs))},`,
    `    tags: { name: ${quote(e.name)} },`,
    '  });',
    `  check(res, { 'status 2xx/3xx': (r) => r.status >= 200 && r.status < 400 });`,
    '}',
    '',
  ];
}

/** The header comment (how to run it, its environment, where k6 differs), the imports and the constants. */
function header(input: K6Input, plans: ScenarioPlan[], secrets: SecretWriter, baseUrlExpr: string): string[] {
  const { load } = input;
  const anyAuth = load.endpoints.some((e) => e.auth);
  const envDocs = [
    `${BASE_URL_ENV}: the target's origin (default ${input.baseUrl.origin})`,
    ...(anyAuth
      ? [
          `${TOKEN_ENV}: an access token for the endpoints with auth: true (shipgate takes it from the auth gate's login; k6 must be given one)`,
        ]
      : []),
    ...[...secrets.usedEnv]
      .filter((n) => n !== TOKEN_ENV)
      .sort()
      .map(
        (n) =>
          `${n}: ${input.envRefs.some((r) => r.name === n) ? 'a secret the profile reads from this variable' : 'a secret written literally in the profile'}`,
      ),
  ];
  const out: string[] = [];
  out.push(
    `// k6 script generated by \`shipgate export k6\` (shipgate ${input.version}) from profile "${input.profileName}" (${input.profilePath}).`,
  );
  out.push('// The load gate of that profile: the same endpoints, connections, duration, rate and thresholds, for');
  out.push("// k6's runners (k6 run, k6 cloud, k6-operator on Kubernetes). Regenerate it when the profile changes.");
  out.push('//');
  out.push(
    `//   ${BASE_URL_ENV}=${input.baseUrl.origin}${anyAuth ? ` ${TOKEN_ENV}=…` : ''} k6 run ${slug(input.profileName)}.k6.js`,
  );
  out.push('//');
  out.push('// Environment:');
  for (const d of envDocs) out.push(`//   ${d}`);
  out.push('//');
  out.push('// Where k6 differs from `shipgate run --gates load`:');
  out.push('// - a threshold whose metric got no samples passes in k6; shipgate fails it (no data is no proof);');
  out.push('// - http_req_duration excludes connecting and DNS; autocannon measures from writing the request to the');
  out.push('//   last byte of the response on kept-alive connections, so both are comparable after the warm-up;');
  if ([...load.thresholds, ...load.endpoints.flatMap((e) => e.thresholds)].some((x) => x.kind === 'timeouts'))
    out.push(
      `// - timeouts count k6's request timeouts (error_code ${K6_TIMEOUT_ERROR_CODE}); a connect timeout is k6 error 1211, counted by http_req_failed but not here;`,
    );
  if (plans.some((p) => p.rate !== undefined))
    out.push(
      '// - with a rate, k6 is an open model (constant-arrival-rate) and drops iterations it has no free VU for\n//   (dropped_iterations); autocannon caps a closed loop and shipgate corrects its latencies for coordinated omission;',
    );
  out.push(
    `// - the safety caps (maxDuration ${k6Duration(load.maxDuration)}, maxConnections ${load.maxConnections}${load.allowHosts.length ? `, allowHosts ${load.allowHosts.join(', ')}` : ''}) are not enforced by k6: the script sends what it says below.`,
  );
  if (input.production) out.push('// WARNING: target.production is true; shipgate refuses load on it without --allow-load.');
  out.push("import http from 'k6/http';");
  out.push("import { check } from 'k6';");
  out.push('');
  out.push(`const BASE_URL = (__ENV.${BASE_URL_ENV} || ${baseUrlExpr}).replace(/\\/+$/, '');`);
  if (anyAuth) {
    out.push(`const TOKEN = __ENV.${TOKEN_ENV};`);
    out.push(
      `if (!TOKEN) throw new Error('set ${TOKEN_ENV} to an access token: endpoints with auth: true send it as Authorization: Bearer');`,
    );
  }
  out.push('');
  return out;
}

/** export const options: trend stats, one scenario per endpoint (and its warm-up), the thresholds. */
function options(load: LoadConfig, plans: ScenarioPlan[], thresholdLines: string[]): string[] {
  const percentiles = new Set(['p(90)', 'p(95)', 'p(99)']);
  for (const t of [...load.thresholds, ...load.endpoints.flatMap((e) => e.thresholds)])
    if (t.percentile !== undefined) percentiles.add(`p(${formatNumber(t.percentile)})`);
  const trendStats = [
    'avg',
    'min',
    'med',
    'max',
    ...[...percentiles].sort((a, b) => parseFloat(a.slice(2)) - parseFloat(b.slice(2))),
  ];
  const out: string[] = [];
  out.push('export const options = {');
  out.push('  // autocannon reads and drops the bodies too');
  out.push('  discardResponseBodies: true,');
  out.push(`  summaryTrendStats: [${trendStats.map(quote).join(', ')}],`);
  out.push('  scenarios: {');
  for (const p of plans) {
    if (p.warmupScenario) {
      out.push(`    // warm-up: same load, not counted (its requests carry phase: warmup, which no threshold selects)`);
      out.push(`    ${key(p.warmupScenario)}: {`);
      for (const l of executorLines(p, load.warmup, undefined)) out.push(`      ${l}`);
      out.push(`      gracefulStop: '0s',`);
      out.push(`      exec: ${quote(p.exec)},`);
      out.push(`      tags: { phase: 'warmup' },`);
      out.push('    },');
    }
    out.push(`    ${key(p.scenario)}: {`);
    for (const l of executorLines(p, load.duration, load.amount)) out.push(`      ${l}`);
    if (load.warmup > 0) out.push(`      startTime: ${quote(k6Duration(load.warmup))},`);
    out.push(`      exec: ${quote(p.exec)},`);
    out.push(`      tags: { phase: 'measure' },`);
    out.push('    },');
  }
  out.push('  },');
  out.push('  thresholds: {');
  out.push(...thresholdLines);
  out.push('  },');
  out.push('};');
  return out;
}

/** The executor for one endpoint: a rate → constant-arrival-rate; an amount → shared-iterations; else constant-vus. */
function executorLines(p: ScenarioPlan, durationMs: number, amount: number | undefined): string[] {
  if (p.rate !== undefined) {
    // amount at a rate: the time the amount takes at that rate, capped by the duration.
    const ms = amount !== undefined ? Math.min(durationMs, Math.ceil((amount / p.rate) * 1000)) : durationMs;
    return [
      `executor: 'constant-arrival-rate',`,
      `rate: ${p.rate},`,
      `timeUnit: '1s',`,
      `duration: ${quote(k6Duration(ms))},${amount !== undefined ? ` // amount ${amount} at ${p.rate}/s` : ''}`,
      `preAllocatedVUs: ${p.connections},`,
      `maxVUs: ${p.connections}, // connections: autocannon never opens more either`,
    ];
  }
  if (amount !== undefined) {
    return [
      `executor: 'shared-iterations',`,
      `vus: ${p.connections},`,
      `iterations: ${amount},`,
      `maxDuration: ${quote(k6Duration(durationMs))},`,
    ];
  }
  return [`executor: 'constant-vus',`, `vus: ${p.connections}, // connections`, `duration: ${quote(k6Duration(durationMs))},`];
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'load'
  );
}

/** The manifest's `export k6` hook: the loaded profile in, the script out. */
export const exportK6: GateExporter<LoadConfig> = ({ profile, profilePath, config, version, secrets, envRefs }) => {
  const result = renderK6Script({
    profileName: profile.name,
    profilePath,
    version,
    baseUrl: new URL(profile.target.baseUrl),
    targetHeaders: profile.target.headers,
    production: profile.target.production,
    requestTimeoutMs: profile.timeouts.request,
    load: config,
    thresholdIds,
    secrets,
    envRefs,
  });
  const untranslated = result.untranslated ? `, ${result.untranslated} not translated (see the warnings)` : '';
  const summary = `${result.scenarios.length} scenario${result.scenarios.length === 1 ? '' : 's'}, ${result.thresholds} threshold${result.thresholds === 1 ? '' : 's'}${untranslated}`;
  return { text: result.script, warnings: result.warnings, summary };
};
