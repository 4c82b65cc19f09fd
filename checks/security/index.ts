// The security gate: sends every probe (headers, CORS, errors) through the shared keep-alive pool with
// bounded concurrency, then judges the answers with the pure evaluators of this folder and records one
// result per check id.
import { randomBytes } from 'node:crypto';
import type { ChartSpec, CheckResult } from '../../src/result.js';
import type { GateContext, GateModule } from '../../src/gates/contract.js';
import { HttpError } from '../../src/http/errors.js';
import { describeRequest, pickHeaders, type HttpResponse } from '../../src/http/client.js';
import { aggregate, listPaths, pushTo, type PathResult } from './aggregate.js';
import * as C from './catalogue.js';
import { auditCookies, maskCookie, type SeenCookie } from './cookies.js';
import {
  CORS_CLASSES,
  corsRepresentatives,
  coverageNote,
  judgeAllowedOrigin,
  judgeClass,
  judgeVaryOrigin,
  judgeWildcardCredentials,
  probeOrigins,
  type CorsClass,
  type CorsObservation,
  type CorsVerdict,
} from './cors.js';
import { jsonDoors, probeDoors } from './error-doors.js';
import { judgeJsonFormat, judgeNoStackTrace, judgeRequestId, type ErrorObservation, type ErrorVerdict } from './errors.js';
import { auditExposure } from './exposure-audit.js';
import { exposureCatalogue } from './exposure-catalogue.js';
import { describeRows, gradeResponse, type GradeResult } from './grade.js';
import {
  classifyRedirect,
  isHtml,
  judgeCrossOriginPolicies,
  judgeCsp,
  judgeFrameOptions,
  judgeHsts,
  judgeNosniff,
  judgePermissionsPolicy,
  judgeRedirect,
  judgeReferrerPolicy,
  judgeVersionLeak,
  type Redirection,
  type Verdict,
} from './headers.js';
import { limiter, type Limit } from './limit.js';
import { GRADE_FLOORS, gradeAtLeast } from './scale.js';
import type { SecurityConfig } from './schema.js';
import { runTlsChecks } from './tls-checks.js';
import { security } from './manifest.js';

interface Exchange {
  request: string;
  requestHeaders: Record<string, string>;
  response?: HttpResponse;
  error?: string;
}

interface Sender {
  send(req: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
    maxRedirects?: number;
  }): Promise<Exchange>;
}

function sender(ctx: GateContext, limit: Limit, total: () => number): Sender {
  let done = 0;
  return {
    send(req) {
      return limit(async () => {
        const url = ctx.http.resolve(req.path);
        const request = describeRequest(req.method, url);
        const requestHeaders = req.headers ?? {};
        try {
          if (ctx.signal.aborted) return { request, requestHeaders, error: 'the gate was interrupted before this request' };
          const response = await ctx.http.request({
            method: req.method,
            url,
            headers: req.headers,
            body: req.body,
            maxRedirects: req.maxRedirects ?? 0,
            maxBodyBytes: 256 * 1024,
            signal: ctx.signal,
          });
          return { request, requestHeaders, response };
        } catch (err) {
          return {
            request,
            requestHeaders,
            error: err instanceof HttpError ? err.message : `request failed: ${(err as Error).message}`,
          };
        } finally {
          done++;
          if (done % 10 === 0 || done === total()) ctx.progress(`${done}/${total()} requests`);
        }
      });
    },
  };
}

function newRequestId(): string {
  return `shipgate-${randomBytes(8).toString('hex')}`;
}

/** The Observatory fetches http://host/ (port 80) to see whether it redirects; no profile headers go over http. */
async function probeHttpTwin(
  ctx: GateContext,
  from: string | undefined,
): Promise<Redirection | { skip: string } | { error: string }> {
  if (ctx.baseUrl.protocol !== 'https:') return { skip: 'the target is http, so there is no http→https redirect to check' };
  if (ctx.baseUrl.port && !from)
    return {
      skip: `the target listens on port ${ctx.baseUrl.port}, so there is no standard http port to test (set gates.security.httpsRedirect.from, e.g. http://${ctx.baseUrl.hostname}:8080)`,
    };
  const url = from ? new URL('/', from).toString() : `http://${ctx.baseUrl.host}/`;
  try {
    const res = await ctx.http.request({ url, profileHeaders: false, maxBodyBytes: 64 * 1024, signal: ctx.signal });
    return classifyRedirect(ctx.baseUrl.hostname, res.status, res.headers.location);
  } catch (err) {
    if (err instanceof HttpError && err.kind === 'refused') return classifyRedirect(ctx.baseUrl.hostname, undefined, undefined);
    return { error: `GET ${url} failed: ${(err as Error).message}` };
  }
}

function fromVerdict(check: typeof C.reflectOrigin, v: CorsVerdict | ErrorVerdict): CheckResult {
  return check[v.status]({ message: v.message, evidence: v.evidence });
}

// Every header finding on a path shows the same set of audited response headers, so the findings one
// response causes (one nginx add_header mistake) read as one group with the headers that explain it.
const AUDITED_HEADERS = [
  'content-type',
  'strict-transport-security',
  'content-security-policy',
  'content-security-policy-report-only',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'permissions-policy',
  'feature-policy',
  'cross-origin-resource-policy',
  'cross-origin-opener-policy',
  'server',
  'x-powered-by',
  'x-aspnet-version',
  'x-aspnetmvc-version',
  'x-generator',
  'x-runtime-version',
];

function headerEvidence(x: Exchange, keys: string[]) {
  return {
    request: x.request,
    status: x.response?.status,
    headers: pickHeaders(x.response?.headers, [...new Set([...AUDITED_HEADERS, ...keys])]),
  };
}

/** What every probe of the run answered, once all of them are back. */
interface Answers {
  headerX: { path: string; x: Exchange }[];
  corsObs: CorsObservation[];
  errorX: Exchange[];
  errorObs: ErrorObservation[];
  redirect: Awaited<ReturnType<typeof probeHttpTwin>>;
}

/** The requests of a run, all sent at once: the limiter keeps `concurrency` of them in flight. */
interface Sent {
  http: Sender;
  /** Counts requests for the progress line (the exposure audit and error doors add theirs later). */
  counter: { total: number };
  headerJobs: { path: string; x: Promise<Exchange> }[];
  corsJobs: CorsJob[];
  errorJobs: ErrorJob[];
  derived: ReturnType<typeof probeOrigins>['derived'];
  covered: Map<string, string[]>;
}

interface CorsJob {
  path: string;
  o: { cls: 'allowed' | CorsClass; base?: string; origin: string };
  kind: 'simple' | 'preflight';
  headers: Record<string, string>;
  x: Promise<Exchange>;
}

interface ErrorPlan {
  name: string;
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  expectStatus: (s: number) => boolean;
  expectText: string;
}

interface ErrorJob {
  p: ErrorPlan;
  sentRequestId?: string;
  x: Promise<Exchange>;
}

export const gate: GateModule<SecurityConfig> = {
  async run(ctx, config) {
    if (ctx.notReady) return connectionChecksOnly(ctx, config, ctx.notReady);
    const https = ctx.baseUrl.protocol === 'https:';
    const hstsRequired = config.hsts.required ?? https;
    const sent = sendProbes(ctx, config);
    const redirectJob = probeHttpTwin(ctx, config.httpsRedirect.from);
    const exposureJob = config.exposure.enabled
      ? auditExposure({
          config: config.exposure,
          redactor: ctx.redactor,
          pages: Promise.all(sent.headerJobs.map(async (j) => ({ path: j.path, x: await j.x }))),
          send: (req) => (sent.counter.total++, sent.http.send(req)),
        })
      : undefined;
    const tlsJob = runTlsChecks(ctx, config.tls);
    const answers = await collectAnswers(sent, redirectJob);

    recordCors(ctx, config, sent, answers.corsObs);
    recordHeaders(ctx, config, answers.headerX, { https, hstsRequired });
    recordRedirect(ctx, answers.redirect);
    for (const r of await tlsJob) ctx.record(r);
    recordGrade(ctx, config, answers, { https, hstsRequired });
    // Gates that may log in and see cookies (auth, realtime) run concurrently with this one; judge after them.
    const gates = ctx.profile.gates as Record<string, unknown>;
    const othersRun = Object.keys(gates).some((id) => gates[id] !== undefined && !['build', 'probes', 'security'].includes(id));
    const judgeCookies = () => recordCookies(ctx, config, answers);
    if (othersRun) ctx.afterAll(async () => judgeCookies());
    else judgeCookies();

    if (exposureJob) for (const r of await exposureJob) ctx.record(r);
    else for (const c of exposureCatalogue) ctx.record(c.skip('the exposure audit is switched off (exposure.enabled: false)'));

    if (!config.errors.enabled) {
      for (const c of [C.noStackTrace, C.jsonFormat, C.requestId])
        ctx.record(c.skip('error probes are switched off (errors.enabled: false)'));
      return;
    }
    // Every JSON door the profile names, without and with the auth gate's token: after the other gates
    // when they run (the token exists then, and the probes cannot disturb a login under test).
    const judgeErrors = () => recordErrors(ctx, config, sent, answers);
    if (othersRun) ctx.afterAll(judgeErrors);
    else await judgeErrors();
  },
};

/**
 * The target is not ready (probes failed, often on the very certificate): only the checks of the connection
 * itself run; every other check is skipped with the reason.
 */
async function connectionChecksOnly(ctx: GateContext, config: SecurityConfig, reason: string): Promise<void> {
  const results = await runTlsChecks(ctx, config.tls);
  // Nothing to look at (an http target, or no handshake at all): the whole gate is skipped, as any other.
  if (results.every((r) => r.status === 'skip')) return;
  const runs = new Set(security.connectionChecks);
  for (const r of results) ctx.record(r);
  for (const c of C.catalogue) if (!runs.has(c.id)) ctx.record(c.skip(reason));
}

function sendProbes(ctx: GateContext, config: SecurityConfig): Sent {
  const { probed: corsPaths, covered } = config.cors.paths
    ? { probed: config.cors.paths, covered: new Map<string, string[]>() }
    : corsRepresentatives(config.paths);
  const { derived } = probeOrigins(config.cors.allowedOrigins, { allowSubdomains: config.cors.allowSubdomains });
  const counter = { total: 0 };
  const http = sender(ctx, limiter(config.concurrency), () => counter.total);
  const headerJobs = config.paths.map((path) => ({ path, x: http.send({ method: 'GET', path, maxRedirects: 5 }) }));
  const corsJobs = sendCorsProbes(http, config, corsPaths, derived);
  const errorJobs = sendErrorProbes(http, config);
  counter.total = headerJobs.length + corsJobs.length + errorJobs.length;
  ctx.progress(
    `${counter.total} requests to ${new Set([...config.paths, ...corsPaths]).size} paths (${config.concurrency} at a time)`,
  );
  return { http, counter, headerJobs, corsJobs, errorJobs, derived, covered };
}

function sendCorsProbes(
  http: Sender,
  config: SecurityConfig,
  corsPaths: string[],
  derived: ReturnType<typeof probeOrigins>['derived'],
): CorsJob[] {
  const origins: CorsJob['o'][] = [
    ...config.cors.allowedOrigins.map((o) => ({ cls: 'allowed' as const, base: o, origin: o })),
    ...derived.filter((d) => d.origin).map((d) => ({ cls: d.cls, base: d.base, origin: d.origin! })),
  ];
  const preflight = config.cors.preflight;
  const jobs: CorsJob[] = [];
  for (const path of corsPaths) {
    for (const o of origins) {
      const simple = { origin: o.origin };
      jobs.push({ path, o, kind: 'simple', headers: simple, x: http.send({ method: 'GET', path, headers: simple }) });
      if (!preflight) continue;
      const headers: Record<string, string> = { origin: o.origin, 'access-control-request-method': preflight.method };
      // As browsers send it: lower-case names, sorted, joined by commas.
      if (preflight.headers.length)
        headers['access-control-request-headers'] = preflight.headers
          .map((h) => h.toLowerCase())
          .sort()
          .join(',');
      jobs.push({ path, o, kind: 'preflight', headers, x: http.send({ method: 'OPTIONS', path, headers }) });
    }
  }
  return jobs;
}

function sendErrorProbes(http: Sender, config: SecurityConfig): ErrorJob[] {
  if (!config.errors.enabled) return [];
  const plan: ErrorPlan[] = [
    {
      name: 'unknown route',
      method: 'GET',
      path: config.errors.notFoundPath,
      expectStatus: (s) => s === 404,
      expectText: '404',
    },
    {
      name: 'malformed JSON body',
      method: config.errors.method,
      path: config.errors.apiPath,
      body: '{"shipgate": "malformed',
      contentType: 'application/json',
      expectStatus: (s) => s >= 400 && s < 500,
      expectText: 'a 4xx (400 Bad Request)',
    },
  ];
  const idHeader = config.errors.requestIdHeader;
  return plan.map((p) => {
    const sentRequestId = idHeader ? newRequestId() : undefined;
    const headers: Record<string, string> = {};
    if (sentRequestId) headers[idHeader.toLowerCase()] = sentRequestId;
    if (p.contentType) headers['content-type'] = p.contentType;
    return { p, sentRequestId, x: http.send({ method: p.method, path: p.path, headers, body: p.body }) };
  });
}

async function collectAnswers(sent: Sent, redirectJob: Promise<Answers['redirect']>): Promise<Answers> {
  const headerX = await Promise.all(sent.headerJobs.map(async (j) => ({ path: j.path, x: await j.x })));
  const corsObs: CorsObservation[] = await Promise.all(
    sent.corsJobs.map(async (j) => {
      const x = await j.x;
      return {
        path: j.path,
        kind: j.kind,
        cls: j.o.cls,
        base: j.o.base,
        origin: j.o.origin,
        request: x.request,
        requestHeaders: j.headers,
        status: x.response?.status,
        headers: x.response?.headers,
        error: x.error,
      };
    }),
  );
  const errorX = await Promise.all(sent.errorJobs.map((j) => j.x));
  const errorObs: ErrorObservation[] = sent.errorJobs.map((j, i) => {
    const x = errorX[i];
    return {
      name: j.p.name,
      request: x.request,
      sentRequestId: j.sentRequestId,
      status: x.response?.status,
      headers: x.response?.headers,
      body: x.response?.body,
      error: x.error,
      expectStatus: j.p.expectStatus,
      expectText: j.p.expectText,
    };
  });
  return { headerX, corsObs, errorX, errorObs, redirect: await redirectJob };
}

const CORS_CLASS_CHECKS: Record<CorsClass, typeof C.reflectOrigin> = {
  'reflect-origin': C.reflectOrigin,
  'null-origin': C.nullOrigin,
  'prefix-match': C.prefixMatch,
  'suffix-match': C.suffixMatch,
  'unescaped-dot': C.unescapedDot,
  'http-trusted': C.httpTrusted,
  'any-subdomain': C.anySubdomain,
};

function recordCors(ctx: GateContext, config: SecurityConfig, sent: Sent, corsObs: CorsObservation[]): void {
  const corsOpts = {
    credentials: config.cors.credentials,
    preflight: config.cors.preflight,
    derived: sent.derived,
    allowedOrigins: config.cors.allowedOrigins,
    note: coverageNote(sent.covered),
  };
  for (const cls of CORS_CLASSES) ctx.record(fromVerdict(CORS_CLASS_CHECKS[cls], judgeClass(cls, corsObs, corsOpts)));
  ctx.record(fromVerdict(C.wildcardCredentials, judgeWildcardCredentials(corsObs)));
  ctx.record(fromVerdict(C.varyOrigin, judgeVaryOrigin(corsObs)));
  ctx.record(fromVerdict(C.allowedOrigin, judgeAllowedOrigin(corsObs, corsOpts)));
}

const VERSION_HEADERS = ['server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version', 'x-generator', 'x-runtime-version'];

/** One result per header check, aggregated over every audited path. */
function recordHeaders(
  ctx: GateContext,
  config: SecurityConfig,
  headerX: Answers['headerX'],
  opts: { https: boolean; hstsRequired: boolean },
): void {
  const perPath = (judge: (h: Record<string, string>, x: Exchange) => Verdict, keys: string[]): PathResult[] =>
    headerX.map(({ path, x }) => {
      if (!x.response)
        return {
          path,
          status: 'error',
          detail: x.error ?? 'no response',
          evidence: { request: x.request, details: { error: x.error } },
        };
      const v = judge(x.response.headers, x);
      if (v.status === 'pass' && !v.details) return { path, status: v.status, detail: v.detail };
      const evidence = headerEvidence(x, keys);
      return { path, status: v.status, detail: v.detail, evidence: v.details ? { ...evidence, details: v.details } : evidence };
    });
  const hstsOpts = {
    required: opts.hstsRequired,
    minMaxAge: config.hsts.minMaxAge,
    includeSubDomains: config.hsts.includeSubDomains,
    https: opts.https,
    // The site's name: the one its certificate is checked against when the target is reached by IP.
    host: ctx.http.trust.tls.servername ?? ctx.baseUrl.hostname,
  };
  ctx.record(
    aggregate(
      C.hsts,
      perPath((h) => judgeHsts(h, hstsOpts), ['strict-transport-security']),
    ),
  );
  ctx.record(
    aggregate(
      C.csp,
      perPath((h) => judgeCsp(h), ['content-security-policy', 'content-security-policy-report-only']),
    ),
  );
  ctx.record(aggregate(C.nosniff, perPath(judgeNosniff, ['x-content-type-options'])));
  ctx.record(aggregate(C.frameOptions, perPath(judgeFrameOptions, ['x-frame-options', 'content-security-policy'])));
  ctx.record(aggregate(C.referrerPolicyCheck, perPath(judgeReferrerPolicy, ['referrer-policy'])));
  ctx.record(aggregate(C.versionLeak, perPath(judgeVersionLeak, VERSION_HEADERS)));
  ctx.record(
    aggregate(
      C.permissionsPolicy,
      perPath((h) => judgePermissionsPolicy(h, isHtml(h)), ['permissions-policy', 'feature-policy', 'content-type']),
    ),
  );
  ctx.record(
    aggregate(
      C.crossOriginPolicies,
      perPath(
        (h) => judgeCrossOriginPolicies(h, isHtml(h)),
        ['cross-origin-resource-policy', 'cross-origin-opener-policy', 'content-type'],
      ),
    ),
  );
}

function recordRedirect(ctx: GateContext, redirect: Answers['redirect']): void {
  if ('skip' in redirect) ctx.record(C.httpsRedirect.skip(redirect.skip));
  else if ('error' in redirect) ctx.record(C.httpsRedirect.error(redirect.error));
  else {
    const v = judgeRedirect(redirect);
    ctx.record(C.httpsRedirect[v.status](v.detail));
  }
}

/** Every path graded, the worst one decides. */
function recordGrade(
  ctx: GateContext,
  config: SecurityConfig,
  { headerX, redirect }: Answers,
  opts: { https: boolean; hstsRequired: boolean },
): void {
  const graded = headerX
    .filter(({ x }) => x.response)
    .map(({ path, x }) => ({
      path,
      g: gradeResponse({
        headers: x.response!.headers,
        setCookies: x.response!.setCookies,
        https: opts.https,
        hstsRequired: opts.hstsRequired,
        redirection: 'kind' in redirect ? redirect : undefined,
      }),
    }));
  const errors = headerX.filter(({ x }) => !x.response).map(({ path, x }) => `${path}: ${x.error}`);
  ctx.record(gradeCheck(graded, config, errors));
}

/** Cookies: everything this gate saw, plus what other gates (auth's login) saw. */
function recordCookies(ctx: GateContext, config: SecurityConfig, { headerX, errorX }: Answers): void {
  const seen: SeenCookie[] = [...headerX.map((h) => h.x), ...errorX].flatMap((x) =>
    (x.response?.setCookies ?? []).map((setCookie) => ({ url: x.response!.url, setCookie })),
  );
  ctx.record(
    cookieCheck(
      [...seen, ...(ctx.shared.cookies ?? [])],
      config,
      headerX.map((h) => h.path),
    ),
  );
}

/** The error probes, the 4xx answers of the audited paths, and every JSON door the profile names. */
async function recordErrors(ctx: GateContext, config: SecurityConfig, sent: Sent, answers: Answers): Promise<void> {
  const { headerX, errorObs } = answers;
  const idHeader = config.errors.requestIdHeader;
  const errOpts = {
    requiredFields: config.errors.requiredFields,
    requestIdFields: config.errors.requestIdFields,
    requestIdHeader: idHeader,
  };
  const errorResponses = [
    ...errorObs,
    ...headerX
      .filter(({ x }) => x.response && x.response.status >= 400)
      .map(({ x }) => ({
        request: x.request,
        status: x.response!.status,
        headers: x.response!.headers,
        body: x.response!.body,
      })),
  ];
  const gates = ctx.profile.gates as Record<string, unknown>;
  const doors = config.errors.doors ? jsonDoors(gates, config.errors, ctx.baseUrl) : [];
  const doorObs = await probeDoors((req) => (sent.counter.total++, sent.http.send(req)), doors, {
    oversizeBytes: config.errors.oversizeBytes,
    token: ctx.shared.accessToken,
  });
  ctx.record(fromVerdict(C.noStackTrace, judgeNoStackTrace([...errorResponses, ...doorObs], idHeader)));
  ctx.record(fromVerdict(C.jsonFormat, judgeJsonFormat([...errorObs, ...doorObs], errOpts)));
  const plain = headerX.find(({ x }) => x.response);
  ctx.record(
    fromVerdict(
      C.requestId,
      judgeRequestId(
        errorObs,
        plain && { request: plain.x.request, status: plain.x.response!.status, headers: plain.x.response!.headers },
        errOpts,
      ),
    ),
  );
}

function gradeCheck(graded: { path: string; g: GradeResult }[], config: SecurityConfig, errors: string[]): CheckResult {
  if (graded.length === 0) return C.grade.error(`no audited path answered: ${errors.join('; ')}`);
  const worst = graded.reduce((a, b) => (b.g.score < a.g.score ? b : a));
  const min = config.minGrade;
  // The non-zero Observatory modifiers of the worst path, for the HTML report's score breakdown.
  const modifiers = Object.fromEntries(
    worst.g.rows.filter((r) => r.modifier !== 0).map((r) => [`modifier.${r.result ?? r.test}`, r.modifier]),
  );
  const metrics = { score: worst.g.score, minScore: GRADE_FLOORS[min], ...modifiers };
  const status = errors.length ? 'error' : gradeAtLeast(worst.g.grade, min) ? 'pass' : 'fail';
  const bars = Object.entries(modifiers).map(([k, value]) => ({ label: k.slice('modifier.'.length), value }));
  const charts: ChartSpec[] = [
    { kind: 'grade', id: 'security-grade-tile', grade: worst.g.grade, score: worst.g.score, status },
    ...(bars.length
      ? [{ kind: 'bars' as const, id: 'security-grade', title: 'Score breakdown (Observatory modifiers, from 100)', bars }]
      : []),
  ];
  const scores = graded.map(({ g }) => g.score);
  const each =
    graded.length <= 6
      ? graded.map(({ path, g }) => `${path} ${g.grade} ${g.score}`).join(' · ')
      : `${graded.length} paths scored ${Math.min(...scores)}–${Math.max(...scores)}`;
  const evidence = {
    details: Object.fromEntries(
      graded.map(({ path, g }) => [path, `${g.grade} ${g.score}: ${describeRows(g.rows) || 'no modifiers'}`]),
    ),
  };
  const tail = errors.length ? `; not graded: ${errors.join('; ')}` : '';
  if (!gradeAtLeast(worst.g.grade, min)) {
    return C.grade.fail({
      message: `grade ${worst.g.grade} (score ${worst.g.score}) on ${worst.path} is below the minimum ${min}: ${describeRows(worst.g.rows.filter((r) => r.modifier < 0))} (${each})${tail}`,
      metrics,
      evidence,
      charts,
    });
  }
  const penalties = describeRows(worst.g.rows.filter((r) => r.modifier < 0));
  const result = {
    message: `grade ${worst.g.grade} (score ${worst.g.score}, minimum ${min}): ${each}${penalties ? ` (${worst.path}: ${penalties})` : ''}${tail}`,
    metrics,
    evidence,
    charts,
  };
  return errors.length ? C.grade.error(result) : C.grade.pass(result);
}

function cookieCheck(seen: SeenCookie[], config: SecurityConfig, paths: string[]): CheckResult {
  const { audited, problems } = auditCookies(seen, config.cookies.sessionNames);
  if (audited.length === 0)
    return C.cookieFlags.skip(`no cookie was set on ${listPaths(paths)}${seen.length ? ' (only deletions)' : ''}`);
  const where = (u: string) => new URL(u).pathname;
  if (problems.length) {
    const byProblem = new Map<string, string[]>();
    for (const p of problems) {
      const key = `${p.name} (%PATHS%): ${p.problems.join(', ')}`;
      pushTo(byProblem, key, where(p.url));
    }
    return C.cookieFlags.fail({
      message: [...byProblem].map(([key, ps]) => key.replace('%PATHS%', listPaths(ps))).join('; '),
      evidence: { request: `GET ${problems[0].url}`, details: { 'set-cookie': problems[0].masked } },
    });
  }
  const byName = new Map<string, string[]>();
  for (const a of audited) pushTo(byName, a.name, where(a.url));
  const names = [...byName].map(([name, ps]) => `${name} (${listPaths(ps)})`);
  return C.cookieFlags.pass({
    message: `${names.join(', ')}: Secure or loopback, HttpOnly where needed, SameSite set`,
    evidence: { details: Object.fromEntries(seen.slice(0, 5).map((s, i) => [`set-cookie ${i + 1}`, maskCookie(s.setCookie)])) },
  });
}
