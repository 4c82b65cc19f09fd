// The exposure audit's traffic and verdicts: every sensitive path next to a random sibling (the
// catch-all baseline), then the scripts of the audited pages and the source maps they announce (or that
// sit beside them). One result per security.exposure.* id; whatever was found is masked in the evidence
// and its secret values are handed to the run's redactor, so no report reprints them.
import { randomBytes } from 'node:crypto';
import type { CheckFactory } from '../../src/check.js';
import { excerpt, pickHeaders, type HttpResponse } from '../../src/http/client.js';
import type { Redactor } from '../../src/redact.js';
import type { CheckResult } from '../../src/result.js';
import { listPaths } from './aggregate.js';
import * as C from './exposure-catalogue.js';
import {
  dotenvValues,
  EXPOSURE_PROBES,
  extraProbe,
  isAllowed,
  judgeExposure,
  maskExposed,
  secretJsonValues,
  siblingPath,
  type Answer,
  type ExposureFinding,
  type ExposureKind,
  type ExposureProbe,
} from './exposure.js';
import type { ExposureConfig } from './schema.js';
import { announcedMap, dataUrlBody, parseSourceMap, scriptSources, type SourceMapInfo } from './sourcemaps.js';

export interface Exchanged {
  request: string;
  response?: HttpResponse;
  error?: string;
}

export type Send = (req: { method: string; path: string; maxRedirects?: number }) => Promise<Exchanged>;

const CHECKS: Record<ExposureKind, CheckFactory> = { dotenv: C.dotenv, vcs: C.vcs, debug: C.debug, backup: C.backup };

const answerOf = (x: Exchanged): Answer => ({
  status: x.response?.status,
  contentType: x.response?.headers['content-type'],
  body: x.response?.body,
});

/** "404×5, 200 like a random path×2": what the probed paths answered instead. */
function answersText(list: { x: Exchanged; baselineLike: boolean }[]): string {
  const counts = new Map<string, number>();
  for (const { x, baselineLike } of list) {
    const key = x.response ? `${x.response.status}${baselineLike ? ' like a random path' : ''}` : 'no answer';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k}×${n}`).join(', ');
}

function protect(redactor: Redactor, f: ExposureFinding): void {
  const body = f.answer.body ?? '';
  const values = f.probe.kind === 'dotenv' ? dotenvValues(body) : secretJsonValues(body);
  for (const m of body.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:"']+:([^\s/@"']+)@/gi)) values.push(m[1]);
  for (const v of values) redactor.add(v);
}

export async function auditExposure(opts: {
  config: ExposureConfig;
  send: Send;
  pages: Promise<{ path: string; x: Exchanged }[]>;
  redactor: Redactor;
}): Promise<CheckResult[]> {
  const { config, send, redactor } = opts;
  const token = `shipgate-${randomBytes(6).toString('hex')}`;
  const probes: ExposureProbe[] = [...EXPOSURE_PROBES, ...config.extraPaths.map(extraProbe)];
  const allowed = probes.filter((p) => isAllowed(p.path, config.allow));
  const active = probes.filter((p) => !isAllowed(p.path, config.allow));

  // One baseline per path shape; sent with the probes, all through the gate's limiter.
  const baselineJobs = new Map<string, Promise<Exchanged>>();
  for (const p of active) {
    const b = siblingPath(p.path, token);
    if (!baselineJobs.has(b)) baselineJobs.set(b, send({ method: 'GET', path: b }));
  }
  const probeJobs = active.map((p) => ({ p, x: send({ method: 'GET', path: p.path }) }));
  const mapsJob = auditSourceMaps(opts);

  const results: CheckResult[] = [];
  const judged = await Promise.all(
    probeJobs.map(async ({ p, x }) => {
      const baselinePath = siblingPath(p.path, token);
      const [answer, baseline] = await Promise.all([x, baselineJobs.get(baselinePath)!]);
      const finding = answer.response
        ? judgeExposure(p, answerOf(answer), baseline.response ? answerOf(baseline) : undefined, baselinePath)
        : undefined;
      const baselineLike = Boolean(
        answer.response &&
        baseline.response &&
        !finding &&
        answer.response.status === baseline.response.status &&
        answer.response.status < 300,
      );
      return { p, x: answer, finding, baselineLike };
    }),
  );
  for (const kind of Object.keys(CHECKS) as ExposureKind[]) {
    const check = CHECKS[kind];
    const mine = judged.filter((j) => j.p.kind === kind);
    const allowedHere = allowed.filter((p) => p.kind === kind).map((p) => p.path);
    const allowNote = allowedHere.length ? `; not probed (exposure.allow): ${listPaths(allowedHere)}` : '';
    const found = mine.filter((j) => j.finding);
    if (found.length) {
      for (const f of found) protect(redactor, f.finding!);
      const first = found[0];
      results.push(
        check.fail({
          message: found.map((f) => `${f.p.path} serves ${f.finding!.matched}`).join('; '),
          evidence: {
            request: first.x.request,
            status: first.x.response!.status,
            headers: pickHeaders(first.x.response!.headers, ['content-type', 'content-length']),
            body: excerpt(maskExposed(first.x.response!.body, kind), 300),
            details: { exposed: found.map((f) => f.p.path) },
          },
        }),
      );
      continue;
    }
    if (mine.length === 0) {
      results.push(check.skip(`every path of this kind is in exposure.allow${allowNote}`));
      continue;
    }
    const answered = mine.filter((j) => j.x.response);
    if (answered.length === 0) {
      results.push(
        check.error({
          message: `no probe was answered: ${mine[0].x.error}`,
          evidence: { request: mine[0].x.request, details: { error: mine[0].x.error } },
        }),
      );
      continue;
    }
    results.push(
      check.pass(
        `${listPaths(
          mine.map((j) => j.p.path),
          3,
        )} not served (${answersText(mine)})${allowNote}`,
      ),
    );
  }
  results.push(await mapsJob);
  return results;
}

interface MapFound {
  script: string;
  map: string;
  info: SourceMapInfo;
  x?: Exchanged;
  announced: boolean;
}

/** Scripts of the audited HTML pages → their announced maps (or a guessed <script>.map) → what each map holds. */
async function auditSourceMaps(opts: {
  config: ExposureConfig;
  send: Send;
  pages: Promise<{ path: string; x: Exchanged }[]>;
}): Promise<CheckResult> {
  const { config, send } = opts;
  const pages = (await opts.pages).filter(({ x }) => x.response && /html/i.test(x.response.headers['content-type'] ?? ''));
  const scripts = [...new Set(pages.flatMap(({ x }) => scriptSources(x.response!.body, x.response!.url)))]
    .filter((s) => !isAllowed(new URL(s).pathname, config.allow))
    .slice(0, config.maxScripts);
  if (scripts.length === 0) {
    return C.sourcemap.skip(
      pages.length
        ? `no audited page loads a script of its own (${listPaths(pages.map((p) => p.path))})`
        : 'no audited path answered with an HTML page',
    );
  }
  const pathOf = (url: string) => {
    const u = new URL(url);
    return u.pathname + u.search;
  };
  const outcomes = await Promise.all(
    scripts.map(async (script): Promise<{ script: string; error?: string; found?: MapFound; note?: string }> => {
      const sx = await send({ method: 'GET', path: pathOf(script), maxRedirects: 3 });
      if (!sx.response) return { script, error: sx.error };
      if (sx.response.status >= 300) return { script, note: `${pathOf(script)} → ${sx.response.status}` };
      const announced = announcedMap(sx.response.body, sx.response.headers, sx.response.url);
      if (announced?.startsWith('data:')) {
        const info = parseSourceMap(dataUrlBody(announced) ?? '');
        return info ? { script, found: { script, map: 'an inline data: URL', info, x: sx, announced: true } } : { script };
      }
      const candidate =
        announced && new URL(announced).origin === new URL(script).origin ? announced : `${script.split(/[?#]/)[0]}.map`;
      const mx = await send({ method: 'GET', path: pathOf(candidate), maxRedirects: 3 });
      const info = mx.response && mx.response.status < 300 ? parseSourceMap(mx.response.body) : undefined;
      return info
        ? { script, found: { script, map: pathOf(candidate), info, x: mx, announced: Boolean(announced) } }
        : { script };
    }),
  );
  const found = outcomes.filter((o) => o.found).map((o) => o.found!);
  const describe = (f: MapFound) => {
    const how = f.announced ? '' : ' (not announced, found beside the script)';
    const files = listPaths(f.info.sources.slice(0, 20), 3);
    return f.info.withContent
      ? `${pathOf(f.script)} → ${f.map}${how} serves the original source of ${f.info.withContent} of ${f.info.sources.length} files (sourcesContent: ${files})`
      : `${pathOf(f.script)} → ${f.map}${how} serves a source map of ${f.info.sources.length} files without sourcesContent (${files})`;
  };
  const evidenceOf = (f: MapFound) => ({
    request: f.x?.request,
    status: f.x?.response?.status,
    headers: pickHeaders(f.x?.response?.headers, ['content-type', 'content-length', 'sourcemap', 'x-sourcemap']),
    details: {
      script: pathOf(f.script),
      map: f.map,
      sources: f.info.sources.slice(0, 10),
      sourcesWithContent: f.info.withContent,
    },
  });
  const withSource = found.filter((f) => f.info.withContent > 0);
  if (withSource.length)
    return C.sourcemap.fail({ message: withSource.map(describe).join('; '), evidence: evidenceOf(withSource[0]) });
  if (found.length) return C.sourcemap.warn({ message: found.map(describe).join('; '), evidence: evidenceOf(found[0]) });
  const errored = outcomes.filter((o) => o.error);
  if (errored.length === outcomes.length) return C.sourcemap.error(`no script could be fetched: ${errored[0].error}`);
  const notes = outcomes.filter((o) => o.note).map((o) => o.note);
  return C.sourcemap.pass(
    `${scripts.length} script${scripts.length > 1 ? 's' : ''} followed (${listPaths(scripts.map(pathOf), 3)}): no source map announced or served beside ${scripts.length > 1 ? 'them' : 'it'}${notes.length ? ` (${notes.join(', ')})` : ''}`,
  );
}
