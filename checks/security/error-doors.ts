// Error hygiene on every JSON door the profile names — errors.apiPath, the auth gate's login and
// refresh, load endpoints that send a body, the realtime publish request — not just one: a protected API
// may check the token before it parses the body and answer a clean 401, while the unauthenticated login
// parses JSON and leaks the stack. Each door gets a malformed JSON body, the wrong content type, an
// oversized body and the wrong method, without and with the auth gate's token. The profile sections of
// the other gates are read as plain data: no gate imports another.
import type { ErrorObservation } from './errors.js';

export interface Door {
  method: string;
  path: string;
  /** Where the profile names it, for messages: "errors.apiPath", "auth.login", "realtime publish request", … */
  source: string;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A same-origin path for a path or an absolute URL (placeholders like {marker} filled in); else undefined. */
function samePath(target: string, baseUrl: URL): string | undefined {
  const filled = target.replace(/\{(marker|clientId)\}/g, 'shipgate-probe');
  if (filled.startsWith('/')) return filled;
  try {
    const u = new URL(filled);
    return u.origin === baseUrl.origin ? u.pathname + u.search : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON-taking endpoints the profile names, each once (by method and path). */
export function jsonDoors(gates: Record<string, unknown>, errors: { apiPath: string; method: string }, baseUrl: URL): Door[] {
  const doors: Door[] = [{ method: errors.method, path: errors.apiPath, source: 'errors.apiPath' }];
  const auth = obj(gates.auth);
  for (const key of ['login', 'refresh'] as const) {
    const e = obj(auth?.[key]);
    const path = str(e?.path);
    if (path) doors.push({ method: str(e?.method) ?? 'POST', path, source: `auth.${key}` });
  }
  const load = obj(gates.load);
  for (const e of Array.isArray(load?.endpoints) ? load.endpoints : []) {
    const ep = obj(e);
    const target = str(ep?.path) ?? str(ep?.url);
    const path = target && samePath(target, baseUrl);
    if (ep && ep.body !== undefined && path)
      doors.push({ method: str(ep.method) ?? 'POST', path, source: `load.endpoints (${str(ep.name) ?? path})` });
  }
  const publish = obj(obj(gates.realtime)?.publish);
  const publishPath = str(publish?.url) && samePath(str(publish!.url)!, baseUrl);
  if (publish && publish.body !== undefined && publishPath)
    doors.push({ method: str(publish.method) ?? 'POST', path: publishPath, source: 'realtime publish request' });
  const seen = new Set<string>();
  return doors.filter((d) => {
    const key = `${d.method.toUpperCase()} ${d.path}`;
    if (!BODY_METHODS.has(d.method.toUpperCase()) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface DoorProbe {
  kind: 'malformed JSON' | 'wrong content type' | 'oversized body' | 'wrong method';
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  expectStatus: (status: number) => boolean;
  expectText: string;
  /** A 2xx answer is tolerated (a lenient server that ignores the content type): only error answers are judged. */
  acceptsSuccess?: boolean;
}

const MALFORMED = '{"shipgate": "malformed';
const isClientError = (s: number) => s >= 400 && s < 500;

/** The four probes of one door; `oversizeBytes` 0 leaves the oversized body out. */
export function doorProbes(door: Door, oversizeBytes: number): DoorProbe[] {
  const method = door.method.toUpperCase();
  const json = { 'content-type': 'application/json' };
  const probes: DoorProbe[] = [
    {
      kind: 'malformed JSON',
      method,
      path: door.path,
      headers: json,
      body: MALFORMED,
      expectStatus: isClientError,
      expectText: 'a 4xx (400 Bad Request)',
    },
    // Still malformed: a server that parses whatever it gets answers 400, never acts on it.
    {
      kind: 'wrong content type',
      method,
      path: door.path,
      headers: { 'content-type': 'text/plain' },
      body: MALFORMED,
      expectStatus: (s) => isClientError(s) || (s >= 200 && s < 300),
      expectText: '415 Unsupported Media Type (or another 4xx)',
      acceptsSuccess: true,
    },
    // Unterminated JSON too: a server without a size limit reads it all and still acts on nothing.
    ...(oversizeBytes > 0
      ? [
          {
            kind: 'oversized body' as const,
            method,
            path: door.path,
            headers: json,
            body: `{"shipgate": "${'x'.repeat(Math.max(0, oversizeBytes - 14))}`,
            expectStatus: isClientError,
            expectText: '413 Content Too Large (or another 4xx)',
          },
        ]
      : []),
    // PUT for a POST door, POST for the others; the malformed body keeps a routed handler from acting.
    {
      kind: 'wrong method',
      method: method === 'POST' ? 'PUT' : 'POST',
      path: door.path,
      headers: json,
      body: MALFORMED,
      expectStatus: isClientError,
      expectText: '405 Method Not Allowed (or 404)',
    },
  ];
  return probes;
}

/** What a door probe's answer becomes for the error judges; undefined when it is not judged. */
export function doorObservation(
  probe: DoorProbe,
  door: Door,
  withToken: boolean,
  x: { request: string; status?: number; headers?: Record<string, string>; body?: string; error?: string },
): (ErrorObservation & { judgeFormat: boolean }) | undefined {
  // A server may cut an oversized upload short; that is a fine answer to it.
  if (x.error && probe.kind === 'oversized body') return undefined;
  const name = `${door.source} ${probe.kind}${withToken ? ' (with token)' : ''}`;
  // Only error answers have an error format; a 429 is the rate limiter's (maybe tripped by the auth gate's burst).
  const judgeFormat =
    x.status === undefined || (x.status >= 400 && x.status !== 429) || (x.status < 400 && !probe.acceptsSuccess);
  return {
    name,
    request: x.request,
    status: x.status,
    headers: x.headers,
    body: x.body,
    error: x.error,
    expectStatus: probe.expectStatus,
    expectText: probe.expectText,
    judgeFormat,
  };
}

type Send = (req: {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}) => Promise<{ request: string; response?: { status: number; headers: Record<string, string>; body: string }; error?: string }>;

/**
 * Every probe of every door, without and (when the auth gate left one) with the access token. The
 * malformed JSON body without a token to errors.apiPath is the gate's own first error probe: not repeated.
 */
export async function probeDoors(
  send: Send,
  doors: Door[],
  opts: { oversizeBytes: number; token?: string },
): Promise<ErrorObservation[]> {
  const jobs: Promise<ErrorObservation | undefined>[] = [];
  for (const door of doors) {
    for (const probe of doorProbes(door, opts.oversizeBytes)) {
      for (const withToken of opts.token ? [false, true] : [false]) {
        if (door.source === 'errors.apiPath' && probe.kind === 'malformed JSON' && !withToken) continue;
        const headers = withToken ? { ...probe.headers, authorization: `Bearer ${opts.token}` } : probe.headers;
        jobs.push(
          send({ method: probe.method, path: probe.path, headers, body: probe.body }).then((x) =>
            doorObservation(probe, door, withToken, {
              request: x.request,
              status: x.response?.status,
              headers: x.response?.headers,
              body: x.response?.body,
              error: x.error,
            }),
          ),
        );
      }
    }
  }
  return (await Promise.all(jobs)).filter((o): o is ErrorObservation => o !== undefined);
}
