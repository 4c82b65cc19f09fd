// The security gate's part of `shipgate init`: grade the headers and try CORS on the page it audits, write
// the section (paths, CORS origins, where errors are probed).
import type { InitHook, InitRenderContext, SummaryRow } from '../../src/init/hook.js';
import { commented, q } from '../../src/init/yaml.js';
import { probeCors, SAMPLE_ORIGIN, type CorsFindings } from './init-cors.js';
import { gradeHeaders, type HeaderFindings } from './init-headers.js';

export interface SecurityFindings {
  headers?: HeaderFindings;
  cors?: CorsFindings;
}

export const init: InitHook<SecurityFindings> = {
  async discover({ prober, home, target, facts, progress }) {
    const homeWorks = home.res !== undefined && home.res.status < 400;
    const auditPath = homeWorks ? '/' : (facts.healthPath ?? '/');
    progress('security headers and CORS');
    const headers = gradeHeaders(homeWorks ? home : await prober.get(auditPath), target.protocol === 'https:');
    const cors = await probeCors(prober, auditPath);
    return { headers, cors };
  },
  render(found, ctx) {
    const { lines, todos } = section(found ?? {}, ctx);
    return { lines, todos, summary: summary(found ?? {}), active: true };
  },
};

function section({ headers, cors }: SecurityFindings, ctx: InitRenderContext): { lines: string[]; todos: string[] } {
  const out: string[] = [];
  const todos: string[] = [];
  const todo = (s: string) => todos.push(s);
  const paths = [
    ...new Set(
      [ctx.home.status !== undefined && ctx.home.status < 400 ? '/' : undefined, ctx.facts.healthPath].filter((x): x is string =>
        Boolean(x),
      ),
    ),
  ];
  if (paths.length === 0) paths.push('/');
  out.push('  security:');
  out.push(
    `    # Headers and CORS are audited on these paths.${headers ? ` Init saw grade ${headers.grade} (score ${headers.score}) on ${headers.path}.` : ''}`,
  );
  out.push(`    paths: [${paths.map(q).join(', ')}]`);
  if (headers && headers.penalties.length) out.push(`    # Points lost on ${headers.path}: ${headers.penalties.join(', ')}.`);
  if (headers && headers.leaks.length)
    out.push(
      `    # Version leaks on ${headers.path}: ${headers.leaks.join(', ')} (security.headers.version-leak fails until removed).`,
    );
  out.push('    minGrade: B');
  out.push('    cors:');
  const allowed = cors?.allowed ?? [];
  if (cors?.behaviour === 'reflects') {
    out.push(
      `      # WARNING: init sent Origin: ${SAMPLE_ORIGIN} to ${cors.path} and it was granted (Access-Control-Allow-Origin echoes`,
      `      # any origin${cors.credentialsForSample ? ', with Access-Control-Allow-Credentials: true' : ''}). security.cors.reflect-origin fails until only your front ends are allowed.`,
    );
  } else if (cors?.behaviour === 'wildcard') {
    out.push(
      `      # ${cors.path} answers Access-Control-Allow-Origin: *${cors.credentialsForSample ? ' with credentials (a browser refuses that; the security gate fails it)' : ' (any site may read public responses)'}.`,
    );
  } else if (cors?.behaviour === 'refused') {
    out.push(
      `      # Init sent Origin: ${SAMPLE_ORIGIN} to ${cors.path}: refused (no Access-Control-Allow-Origin), as it should be.`,
    );
  } else if (cors) {
    out.push(
      `      # Init sent Origin: ${SAMPLE_ORIGIN} to ${cors.path}: ${cors.acao ? `Access-Control-Allow-Origin: ${cors.acao}` : 'no answer'}.`,
    );
  }
  if (allowed.length) {
    out.push(
      commented(
        `      allowedOrigins: [${allowed.map((a) => q(a.origin)).join(', ')}]`,
        'granted during init; TODO: add any other front end',
      ),
    );
    out.push(`      credentials: ${allowed.some((a) => a.credentials)}`);
    todo('security.cors.allowedOrigins: check the list init found');
  } else {
    out.push(
      '      # TODO: the front-end origins that must be allowed, e.g. [https://app.example.com]; every other origin must be refused.',
      '      allowedOrigins: []',
      '      # TODO: true if those origins send cookies or an Authorization header.',
      '      credentials: false',
    );
    todo('security.cors.allowedOrigins: the front-end origins your API serves');
  }
  errorsSection(ctx, out, todo);
  return { lines: out, todos };
}

function errorsSection(ctx: InitRenderContext, out: string[], todo: (s: string) => void): void {
  const api = ctx.facts.jsonEndpoint;
  const apiPrefix = api && /^\/api\b/.test(api.path) ? '/api' : undefined;
  out.push('    errors:');
  const errs = ctx.catchAll.errors;
  if (ctx.catchAll.spaFallback) {
    out.push(
      `      # Unknown paths answer ${errs.status} ${errs.contentType || ''} (a single-page app's fallback): probe a path under the API instead.`,
    );
    if (apiPrefix) out.push(`      notFoundPath: ${apiPrefix}/shipgate-no-such-route`);
    else {
      out.push(commented('      notFoundPath: /api/shipgate-no-such-route', 'TODO: a path under your API prefix'));
      todo('security.errors.notFoundPath: a path under your API prefix');
    }
  } else if (errs.contentType && !errs.contentType.includes('json')) {
    out.push(
      `      # Unknown routes answer ${errs.status} ${errs.contentType}; security.errors.json-format wants JSON errors (RFC 9457 problem details).`,
    );
  } else if (errs.keys.length && !['title', 'status', 'detail'].every((k) => errs.keys.includes(k))) {
    out.push(
      `      # Unknown routes answer JSON with ${errs.keys.map((k) => `"${k}"`).join(', ')}. The gate wants RFC 9457 problem details`,
      '      # (title, status, detail); if your API has its own error format on purpose, TODO: name its fields in requiredFields.',
    );
    todo("security.errors.requiredFields: your API's errors are not RFC 9457 problem details");
  }
  const malformed = api?.malformedStatus;
  if (api && malformed !== undefined && malformed >= 400 && malformed < 500) {
    out.push(
      commented(`      apiPath: ${q(api.path)}`, `an API path that takes JSON: it answered malformed JSON with ${malformed}`),
    );
  } else {
    out.push(commented('      apiPath: /api', 'TODO: an API path that takes a JSON body (POST); malformed JSON is sent to it'));
    todo('security.errors.apiPath: an API path that takes JSON');
  }
}

function summary({ headers, cors: c }: SecurityFindings): SummaryRow[] {
  const rows: SummaryRow[] = [];
  if (headers) {
    const weak = !['A+', 'A', 'A-', 'B+', 'B'].includes(headers.grade);
    rows.push([
      weak || headers.leaks.length ? 'problem' : 'found',
      'headers',
      `grade ${headers.grade} (score ${headers.score}) on ${headers.path}${headers.penalties.length ? `; lost points: ${headers.penalties.map((p) => p.split(' (')[0]).join(', ')}` : ''}${headers.leaks.length ? `; version leak: ${headers.leaks.join(', ')}` : ''}`,
    ]);
  }
  if (c) {
    const text =
      c.behaviour === 'reflects'
        ? `reflects any origin (${SAMPLE_ORIGIN} granted${c.credentialsForSample ? ', with credentials' : ''})`
        : c.behaviour === 'wildcard'
          ? `Access-Control-Allow-Origin: *${c.credentialsForSample ? ' with credentials' : ''}`
          : c.behaviour === 'refused'
            ? `${SAMPLE_ORIGIN} refused on ${c.path}${c.allowed.length ? `; allowed: ${c.allowed.map((a) => a.origin).join(', ')}` : ''}`
            : `${SAMPLE_ORIGIN} on ${c.path}: ${c.acao ?? 'no answer'}`;
    rows.push([
      c.behaviour === 'reflects' || (c.behaviour === 'wildcard' && c.credentialsForSample) ? 'problem' : 'found',
      'CORS',
      text,
    ]);
  }
  return rows;
}
