// The one HTTP client every gate uses: undici with a shared keep-alive pool, a deadline on every request,
// a cap on body size and redirects, and none of the profile's headers or cookies carried to another origin.
import type { Dispatcher } from 'undici';
import { deadline } from '../deadline.js';
import { HttpError, toHttpError } from './errors.js';
import { newDispatcher } from './dispatcher.js';
import { DEFAULT_TRUST, type Trust } from './trust.js';

export interface HttpRequest {
  method?: string;
  /** An absolute URL, or a path resolved against the client's base URL. */
  url: string | URL;
  headers?: Record<string, string>;
  body?: string;
  /** Overrides the client's default timeout. */
  timeoutMs?: number;
  /** Follow up to this many redirects (default 0: return the 3xx as it is). */
  maxRedirects?: number;
  /** Bytes of body kept; the rest is discarded and `truncated` set. */
  maxBodyBytes?: number;
  signal?: AbortSignal;
  /** false: send none of the profile's headers (e.g. to the plain-http twin of the target). */
  profileHeaders?: boolean;
}

export interface HttpResponse {
  url: string;
  method: string;
  status: number;
  /** Header names lower-cased; repeated headers joined with ", " except set-cookie. */
  headers: Record<string, string>;
  setCookies: string[];
  body: string;
  bodyBytes: number;
  truncated: boolean;
  durationMs: number;
  redirects: string[];
}

export interface HttpClientOptions {
  baseUrl: URL;
  timeoutMs: number;
  defaultHeaders?: Record<string, string>;
  signal?: AbortSignal;
  connections?: number;
  /** The run's trust decision (CA, insecure, SNI, client certificate, proxy); default: system roots, no proxy. */
  trust?: Trust;
}

const DEFAULT_MAX_BODY = 1024 * 1024;
const ANONYMOUS_HEADERS = ['accept', 'accept-language', 'user-agent'];

export class HttpClient {
  readonly baseUrl: URL;
  readonly timeoutMs: number;
  /** undici loads in the background (about 0.1 s of CPU): a run starts without waiting for it. */
  private readonly undici: Promise<{ agent: Dispatcher; request: typeof import('undici').request }>;
  readonly trust: Trust;
  private readonly defaultHeaders: Record<string, string>;
  private readonly signal?: AbortSignal;

  constructor(opts: HttpClientOptions) {
    this.baseUrl = opts.baseUrl;
    this.timeoutMs = opts.timeoutMs;
    this.defaultHeaders = lowerKeys(opts.defaultHeaders ?? {});
    this.signal = opts.signal;
    const trust = (this.trust = opts.trust ?? DEFAULT_TRUST);
    this.undici = import('undici').then((undici) => ({
      request: undici.request,
      agent: newDispatcher(undici, trust, {
        // A cap per origin, opened only as needed: each gate bounds its own concurrency (the security
        // gate's concurrency may be up to 256), so the pool must not silently cap it lower.
        connections: opts.connections ?? 256,
        keepAliveTimeout: 4_000,
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
        connect: { timeout: Math.min(opts.timeoutMs, 10_000) },
      }),
    }));
    this.undici.catch(() => {}); // a failed import surfaces at the first request
  }

  /** Same pool, other defaults (a gate's own timeout or signal). */
  resolve(url: string | URL): URL {
    return url instanceof URL ? url : new URL(url, this.baseUrl);
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    // Before the clock starts: a first request must not count the library's load time as latency.
    const { agent, request: undiciRequest } = await this.undici;
    const started = performance.now();
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const method = (req.method ?? 'GET').toUpperCase();
    let url = this.resolve(req.url);
    const firstOrigin = url.origin;
    let headers = { ...(req.profileHeaders === false ? {} : this.defaultHeaders), ...lowerKeys(req.headers ?? {}) };
    const redirects: string[] = [];
    const maxRedirects = req.maxRedirects ?? 0;
    let body = req.body;
    let currentMethod = method;
    // Right before the try whose finally releases it.
    // One controller and one timer per request (AbortSignal.any lingered until a GC and cost ~5 % CPU of a big audit).
    const { signal, timedOut, release } = deadline(timeoutMs, {
      linked: [req.signal, this.signal],
      ref: false,
      message: `no response within ${timeoutMs}ms`,
    });
    try {
      for (;;) {
        const res = await undiciRequest(url, {
          method: currentMethod as Dispatcher.HttpMethod,
          headers,
          body,
          dispatcher: agent,
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const location = res.headers.location;
        if (res.statusCode >= 300 && res.statusCode < 400 && location && redirects.length < maxRedirects) {
          const next = new URL(String(location), url);
          const toGet =
            res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && currentMethod === 'POST');
          const crossOrigin = next.origin !== firstOrigin;
          // A 307/308 resends the body, which may carry credentials (a login's password): never to another
          // origin. The 3xx is returned as it is.
          if (!(crossOrigin && body !== undefined && !toGet)) {
            await res.body.dump({ limit: 64 * 1024 }).catch(() => {});
            redirects.push(next.toString());
            // Like browsers and curl, but stricter: none of the profile's headers or cookies leave the origin.
            if (crossOrigin) headers = anonymousHeaders(headers);
            if (toGet) {
              currentMethod = 'GET';
              body = undefined;
            }
            url = next;
            continue;
          }
        }
        if (res.statusCode >= 300 && res.statusCode < 400 && location && maxRedirects > 0 && redirects.length >= maxRedirects) {
          await res.body.dump({ limit: 64 * 1024 }).catch(() => {});
          throw new HttpError(
            'redirects',
            `more than ${maxRedirects} redirects starting at ${this.resolve(req.url).pathname} (last: ${String(location)})`,
          );
        }
        const { text, bytes, truncated } = await readCapped(res.body, req.maxBodyBytes ?? DEFAULT_MAX_BODY);
        return {
          url: url.toString(),
          method: currentMethod,
          status: res.statusCode,
          headers: flattenHeaders(res.headers),
          setCookies: toArray(res.headers['set-cookie']),
          body: text,
          bodyBytes: bytes,
          truncated,
          durationMs: performance.now() - started,
          redirects,
        };
      }
    } catch (err) {
      throw toHttpError(err, url, timeoutMs, timedOut());
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    await this.undici.then(({ agent }) => agent.destroy()).catch(() => {});
  }
}

async function readCapped(
  body: Dispatcher.ResponseData['body'],
  max: number,
): Promise<{ text: string; bytes: number; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    if (bytes + buf.length > max) {
      chunks.push(buf.subarray(0, max - bytes));
      bytes = max;
      truncated = true;
      body.destroy();
      break;
    }
    chunks.push(buf);
    bytes += buf.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes, truncated };
}

/** The headers among `keys` that are present (evidence shows a few chosen headers, never all of them). */
export function pickHeaders(headers: Record<string, string> | undefined, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (headers?.[k] !== undefined) out[k] = headers[k];
  return out;
}

export function lowerKeys(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

/** What may follow a request to another origin: content negotiation, nothing from the profile. */
function anonymousHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ANONYMOUS_HEADERS) if (h[k] !== undefined) out[k] = h[k];
  return out;
}

function toArray(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(k.toLowerCase() === 'set-cookie' ? '\n' : ', ') : v;
  }
  return out;
}

/** One line for evidence: "GET http://host/path". */
export function describeRequest(method: string, url: string | URL): string {
  return `${method.toUpperCase()} ${url.toString()}`;
}

/** A bounded, printable excerpt of a body for evidence. */
export function excerpt(body: string, max = 500): string {
  const clean = body.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}… (${clean.length - max} more characters)` : clean;
}
