// Error hygiene: an unknown route and a malformed JSON body must get a JSON error in the configured shape,
// without stack traces, carrying a request id that is echoed when the client sends one. Pure.
import { excerpt, pickHeaders } from '../../src/http/client.js';
import type { Evidence } from '../../src/result.js';

/** Stack-trace and source-path patterns of common runtimes, matched in raw (possibly JSON-escaped) bodies. */
export const STACK_PATTERNS: { name: string; re: RegExp }[] = [
  { name: 'a Node.js stack frame', re: /\bat (?:async )?[^\s()]+ \((?:file:\/\/|node:)?[^()\s]+:\d+:\d+\)/ },
  { name: 'a Node.js stack frame', re: /\bat (?:async )?(?:file:\/\/)?\/[^\s:()"]+:\d+:\d+/ },
  { name: 'a Python traceback', re: /Traceback \(most recent call last\)|\bFile "[^"]+", line \d+/ },
  { name: 'a Java stack trace', re: /Exception in thread "|\bat [\w$]+(?:\.[\w$<>]+)+\([\w$]+\.(?:java|kt|scala):\d+\)/ },
  { name: 'a .NET stack frame', re: /\bat [\w.`<>]+\(.*?\) in .+?:line \d+/ },
  { name: 'a Ruby backtrace', re: /\.rb:\d+:in [`']/ },
  { name: 'a Go panic', re: /goroutine \d+ \[running\]/ },
  { name: 'a PHP stack trace', re: /Stack trace:(?:\\n|\s)*#0 / },
  {
    name: 'an absolute source path',
    re: /(?:^|[\s"'(=[])\/(?:home|usr|var|opt|srv|app|root|tmp|Users|workspace|builds?|src|dist|node_modules)\/[^\s"':)]*\.(?:js|mjs|cjs|ts|py|rb|java|go|php|cs|kt)\b/,
  },
  { name: 'a Windows source path', re: /\b[A-Za-z]:(?:\\{1,2}[^\\\s"]+)+\.(?:js|ts|cs|py|java|dll)\b/ },
];

/** The earliest stack-trace-like match in the text (the top frame is the telling one). */
export function findStackTrace(text: string): { name: string; match: string } | undefined {
  let best: { name: string; match: string; index: number } | undefined;
  for (const p of STACK_PATTERNS) {
    const m = p.re.exec(text);
    if (m && (!best || m.index < best.index)) best = { name: p.name, match: m[0].trim(), index: m.index };
  }
  return best && { name: best.name, match: best.match };
}

export interface ErrorObservation {
  /** "unknown route" or "malformed JSON body". */
  name: string;
  request: string;
  /** The request id shipgate sent, if it sent one. */
  sentRequestId?: string;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  error?: string;
  /** Which statuses are right for this probe. */
  expectStatus: (status: number) => boolean;
  expectText: string;
  /** false: scanned for stack traces only (a tolerated 2xx, a rate limiter's 429). */
  judgeFormat?: boolean;
}

export interface ErrorsOptions {
  requiredFields: string[];
  requestIdFields: string[];
  requestIdHeader: string;
}

export interface ErrorVerdict {
  status: 'pass' | 'fail' | 'skip' | 'error';
  message: string;
  evidence?: Evidence;
}

export function errorEvidence(
  o: {
    request: string;
    status?: number;
    headers?: Record<string, string>;
    body?: string;
    error?: string;
    sentRequestId?: string;
  },
  requestIdHeader: string,
): Evidence {
  return {
    request: o.request,
    status: o.status,
    headers: pickHeaders(o.headers, ['content-type', requestIdHeader.toLowerCase()].filter(Boolean)),
    body: o.body !== undefined ? excerpt(o.body, 600) : undefined,
    details: { ...(o.sentRequestId ? { sentRequestId: o.sentRequestId } : {}), ...(o.error ? { error: o.error } : {}) },
  };
}

function isJsonType(type: string | undefined): boolean {
  return /^\s*application\/(?:[\w.-]+\+)?json\b/i.test(type ?? '');
}

function parseObject(body: string | undefined): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(body ?? '');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function formatProblems(o: ErrorObservation, opts: ErrorsOptions): string[] {
  const problems: string[] = [];
  if (o.status !== undefined && !o.expectStatus(o.status)) problems.push(`status ${o.status}, expected ${o.expectText}`);
  const type = o.headers?.['content-type'];
  if (!isJsonType(type))
    problems.push(
      `content type ${type ? JSON.stringify(type) : 'missing'}, expected application/json or application/problem+json`,
    );
  const body = parseObject(o.body);
  if (!body) {
    problems.push('body is not a JSON object');
    return problems;
  }
  const missing = opts.requiredFields.filter((f) => body[f] === undefined || body[f] === null);
  if (missing.length) problems.push(`missing field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  if (typeof body.status === 'number' && o.status !== undefined && body.status !== o.status)
    problems.push(`body.status ${body.status} differs from the HTTP status ${o.status}`);
  if (opts.requestIdFields.length && !opts.requestIdFields.some((f) => typeof body[f] === 'string' && body[f]))
    problems.push(`no request id in the body (${opts.requestIdFields.join(' / ')})`);
  return problems;
}

export function judgeJsonFormat(all: ErrorObservation[], opts: ErrorsOptions): ErrorVerdict {
  const obs = all.filter((o) => o.judgeFormat !== false);
  const answered = obs.filter((o) => !o.error);
  const bad = answered.map((o) => ({ o, p: formatProblems(o, opts) })).filter((x) => x.p.length);
  if (bad.length)
    return {
      status: 'fail',
      message: bad.map((x) => `${x.o.name}: ${x.p.join(', ')}`).join('; '),
      evidence: errorEvidence(bad[0].o, opts.requestIdHeader),
    };
  const errored = obs.find((o) => o.error);
  if (errored)
    return {
      status: 'error',
      message: `${errored.name}: ${errored.error}`,
      evidence: errorEvidence(errored, opts.requestIdHeader),
    };
  const fields = ` with ${[...opts.requiredFields, ...(opts.requestIdFields.length ? ['a request id'] : [])].join(', ')}`;
  const shown = obs
    .slice(0, 2)
    .map((o) => `${o.name} → ${o.status} ${o.headers?.['content-type']?.split(';')[0] ?? ''}`)
    .join(', ');
  const rest = obs.slice(2);
  if (rest.length === 0) return { status: 'pass', message: shown + fields };
  const counts = new Map<number, number>();
  for (const o of rest) counts.set(o.status!, (counts.get(o.status!) ?? 0) + 1);
  const statuses = [...counts]
    .sort((a, b) => a[0] - b[0])
    .map(([code, n]) => `${code}×${n}`)
    .join(' ');
  return {
    status: 'pass',
    message: `${shown}, and ${rest.length} more error answer${rest.length > 1 ? 's' : ''} from the JSON endpoints (${statuses})${fields}`,
  };
}

/** Every error-status body shipgate saw in this gate, scanned for stack traces and source paths. */
export function judgeNoStackTrace(
  seen: { request: string; status?: number; headers?: Record<string, string>; body?: string; error?: string }[],
  requestIdHeader: string,
): ErrorVerdict {
  const scanned = seen.filter((s) => s.body !== undefined);
  for (const s of scanned) {
    const hit = findStackTrace(s.body!);
    if (hit)
      return {
        status: 'fail',
        message: `${s.request} → ${s.status}: the body contains ${hit.name}: ${JSON.stringify(hit.match.length > 120 ? hit.match.slice(0, 117) + '...' : hit.match)}`,
        evidence: errorEvidence(s, requestIdHeader),
      };
  }
  if (scanned.length === 0)
    return {
      status: 'error',
      message: `no error response to scan: ${seen.find((s) => s.error)?.error ?? 'nothing was requested'}`,
    };
  return {
    status: 'pass',
    message: `no stack trace or source path in ${scanned.length} error response${scanned.length > 1 ? 's' : ''}`,
  };
}

/**
 * The request-id header: echoed where shipgate sent one, generated where it did not, and equal to the
 * id in the body when both are present.
 */
export function judgeRequestId(
  obs: ErrorObservation[],
  plain: { request: string; status?: number; headers?: Record<string, string>; body?: string; error?: string } | undefined,
  opts: ErrorsOptions,
): ErrorVerdict {
  const name = opts.requestIdHeader;
  const key = name.toLowerCase();
  if (!name) return { status: 'skip', message: 'no request-id header configured (errors.requestIdHeader)' };
  const problems: { text: string; o: Parameters<typeof errorEvidence>[0] }[] = [];
  for (const o of obs) {
    if (o.error) continue;
    const got = o.headers?.[key];
    if (got === undefined) problems.push({ text: `${o.name}: no ${name} header`, o });
    else if (o.sentRequestId && got !== o.sentRequestId)
      problems.push({ text: `${o.name}: sent ${name}: ${o.sentRequestId}, got back ${got}`, o });
    const body = parseObject(o.body);
    const inBody = body && opts.requestIdFields.map((f) => body[f]).find((v) => typeof v === 'string' && v);
    if (got !== undefined && inBody && inBody !== got)
      problems.push({
        text: `${o.name}: body request id ${JSON.stringify(inBody)} differs from the ${name} header ${JSON.stringify(got)}`,
        o,
      });
  }
  if (plain && !plain.error && !plain.headers?.[key])
    problems.push({ text: `${plain.request}: no ${name} header on a request that did not send one`, o: plain });
  if (problems.length)
    return { status: 'fail', message: problems.map((p) => p.text).join('; '), evidence: errorEvidence(problems[0].o, name) };
  const answered = obs.filter((o) => !o.error);
  if (answered.length === 0)
    return { status: 'error', message: `no error probe was answered: ${obs[0]?.error ?? 'nothing was requested'}` };
  return {
    status: 'pass',
    message: `${name} echoed on ${answered.map((o) => o.name).join(' and ')}${plain && !plain.error ? ', generated when absent' : ''}`,
  };
}
