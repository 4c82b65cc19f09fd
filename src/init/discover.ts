// `shipgate init`'s look at a running deployment: what answers where, in one value the profile writer
// and the summary read. Nothing here writes data: GET, OPTIONS, and POSTs of `{}` or malformed JSON.
import { probeCatchAll, type CatchAll } from './catch-all.js';
import { probeCors, type CorsFindings } from './cors.js';
import { gradeHeaders, type HeaderFindings } from './headers.js';
import { probeHealth, type HealthFindings } from './health.js';
import { probeLogin, type Credentials, type LoginFindings } from './login.js';
import { mediaType, parseJson, Prober, type Answer } from './prober.js';
import { probeRealtime, type RealtimeFindings } from './realtime.js';

export interface ErrorShape {
  /** What an unknown route answers. */
  status?: number;
  contentType: string;
  /** Top-level keys of a JSON error body. */
  keys: string[];
}

export interface Findings {
  baseUrl: string;
  https: boolean;
  home: { status?: number; contentType: string; error?: string };
  catchAll: { spaFallback: boolean; errors: ErrorShape };
  health: HealthFindings;
  headers?: HeaderFindings;
  cors?: CorsFindings;
  login: LoginFindings;
  realtime: RealtimeFindings;
  /** Requests init sent. */
  requests: number;
}

export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

export interface DiscoverOptions {
  signal: AbortSignal;
  timeoutMs?: number;
  credentials?: Credentials;
  progress?: (message: string) => void;
}

function errorShape(c: CatchAll): ErrorShape {
  const res = c.get.res;
  const json = res ? parseJson(res.body) : undefined;
  return { status: res?.status, contentType: mediaType(res), keys: json && typeof json === 'object' && !Array.isArray(json) ? Object.keys(json) : [] };
}

export async function discover(target: URL, opts: DiscoverOptions): Promise<Findings> {
  const p = new Prober(target, opts.signal, opts.timeoutMs);
  const progress = opts.progress ?? (() => {});
  try {
    progress(`GET ${target.origin}/`);
    const home: Answer = await p.send({ path: '/', headers: { accept: 'text/html, application/json;q=0.9, */*;q=0.5' }, maxRedirects: 3 });
    if (!home.res && ['refused', 'dns', 'tls', 'timeout', 'reset'].includes(home.kind ?? '')) throw new UnreachableError(`cannot reach ${target.origin}: ${home.error}`);
    const catchAll = await probeCatchAll(p);
    progress('health and readiness paths');
    const health = await probeHealth(p, catchAll);
    const homeWorks = home.res !== undefined && home.res.status < 400;
    const auditPath = homeWorks ? '/' : (health.liveness?.path ?? '/');
    progress('security headers and CORS');
    const headers = gradeHeaders(homeWorks ? home : await p.get(auditPath), target.protocol === 'https:');
    const cors = await probeCors(p, auditPath);
    progress('login endpoint');
    const login = await probeLogin(p, catchAll, opts.credentials);
    progress('real-time streams linked from the home page');
    const html = home.res && mediaType(home.res) === 'text/html' ? { path: '/', html: home.res.body } : undefined;
    const realtime = await probeRealtime(p, html);
    return {
      baseUrl: target.pathname === '/' ? target.origin : target.href.replace(/\/$/, ''),
      https: target.protocol === 'https:',
      home: { status: home.res?.status, contentType: mediaType(home.res), error: home.error },
      catchAll: { spaFallback: catchAll.getIs2xx, errors: errorShape(catchAll) },
      health,
      headers,
      cors,
      login,
      realtime,
      requests: p.sent,
    };
  } finally {
    await p.close();
  }
}
