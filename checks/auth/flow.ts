// The auth flow's plumbing: requests to the target's auth endpoints, harvesting every token and cookie
// value into the redactor the moment it arrives, and the session (access token + cookie jar) a login gives.
import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { GateContext } from '../../src/gates/contract.js';
import { HttpError } from '../../src/http/errors.js';
import { describeRequest, excerpt, pickHeaders, type HttpResponse } from '../../src/http/client.js';
import type { Evidence } from '../../src/result.js';
import { CookieJar, parseSetCookies } from './cookies.js';
import { JWT_PATTERN } from './jwt.js';
import { valueAt } from '../../src/lang/json-path.js';
import { refreshFields } from './refresh-fields.js';
import type { AuthConfig } from './schema.js';

export interface Call {
  /** "POST http://host/api/auth/login" */
  request: string;
  res?: HttpResponse;
  /** Why no response came (refused, timeout…). */
  error?: string;
  /** How long a 429's Retry-After was waited out before this answer (see retry-after.ts). */
  waitedMs?: number;
}

export interface CallOptions {
  headers?: Record<string, string>;
  body?: unknown;
  bearer?: string;
  /** The Cookie header to send, if any. */
  cookie?: string;
}

/** A logged-in session: the access token and the cookies a browser would hold. */
export interface Session {
  token: string;
  jar: CookieJar;
  /** The refresh cookie's name and value as set by the login, if it set one. */
  refresh?: { name: string; value: string };
}

const EVIDENCE_HEADERS = ['content-type', 'www-authenticate', 'retry-after', 'cache-control', 'location', 'x-request-id'];
const ALL_JWTS = new RegExp(JWT_PATTERN.source, 'g');

export class AuthFlow {
  readonly unauthorized: ReadonlySet<number>;

  constructor(
    readonly ctx: GateContext,
    readonly config: AuthConfig,
  ) {
    this.unauthorized = new Set(config.rejectStatus);
  }

  /** "401" or "401 or 403", for messages. */
  get expectedRejection(): string {
    return [...this.unauthorized].join(' or ');
  }

  isRejected(res: HttpResponse | undefined): boolean {
    return res !== undefined && this.unauthorized.has(res.status);
  }

  /**
   * One request. Every access token, JWT-looking string and cookie value in the response is added to the
   * redactor before anything else sees the response. Never throws on a target fault.
   */
  async call(method: string, path: string, opts: CallOptions = {}): Promise<Call> {
    const url = this.ctx.http.resolve(path);
    const request = describeRequest(method, url);
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.bearer !== undefined) headers.authorization = `Bearer ${opts.bearer}`;
    if (opts.cookie !== undefined) headers.cookie = opts.cookie;
    try {
      const res = await this.ctx.http.request({
        method,
        url,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        maxBodyBytes: 256 * 1024,
        // Read at call time: deferred work (afterAll) runs with a fresh signal.
        signal: this.ctx.signal,
      });
      this.harvest(res);
      return { request, res };
    } catch (err) {
      return {
        request,
        error: err instanceof HttpError ? err.message : `request failed: ${(err as Error)?.message ?? String(err)}`,
      };
    }
  }

  /** Marks every credential-like value of a response as secret. */
  harvest(res: HttpResponse): void {
    const token = this.tokenOf(res);
    if (typeof token === 'string') this.ctx.redactor.add(token);
    for (const m of res.body.matchAll(ALL_JWTS)) this.ctx.redactor.add(m[0]);
    for (const c of parseSetCookies(res.setCookies)) this.ctx.redactor.add(c.value);
    if (res.body.length) for (const f of refreshFields(parseJson(res.body))) this.ctx.redactor.add(f.value);
  }

  /** The value at accessToken.jsonPath in a response's JSON body, or undefined. */
  tokenOf(res: HttpResponse): unknown {
    return this.tokenIn(res.body);
  }

  tokenIn(body: string): unknown {
    const json = parseJson(body);
    return json === undefined ? undefined : valueAt(json, this.config.accessToken.jsonPath);
  }

  /** The login body template with the placeholders replaced. */
  loginBody(username: string, password: string): unknown {
    const fill = (v: unknown): unknown => {
      if (typeof v === 'string') return v.split('{{username}}').join(username).split('{{password}}').join(password);
      if (Array.isArray(v)) return v.map(fill);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
      return v;
    };
    return fill(this.config.login.body);
  }

  login(username: string, password: string): Promise<Call> {
    const { method, path, headers } = this.config.login;
    return this.call(method, path, { headers, body: this.loginBody(username, password) });
  }

  /** The refresh endpoint, with the given Cookie header (or none). */
  refresh(cookie?: string): Promise<Call> {
    return this.call(this.config.refresh.method, this.config.refresh.path, { cookie });
  }

  protectedCall(bearer?: string, rawAuthorization?: string): Promise<Call> {
    const headers = rawAuthorization !== undefined ? { authorization: rawAuthorization } : undefined;
    return this.call(this.config.protected.method, this.config.protected.path, { bearer, headers });
  }

  /** A request line, status, a few headers and a bounded body excerpt. Never request headers (credentials). */
  evidence(call: Call, details?: Record<string, unknown>): Evidence {
    const res = call.res;
    const headers = pickHeaders(res?.headers, EVIDENCE_HEADERS);
    if (res?.setCookies.length) headers['set-cookie'] = res.setCookies.join('\n');
    const allDetails = { ...(call.error ? { error: call.error } : {}), ...details };
    return {
      request: call.request,
      status: res?.status,
      headers: Object.keys(headers).length ? headers : undefined,
      body: res ? excerpt(res.body, 300) : undefined,
      details: Object.keys(allDetails).length ? allDetails : undefined,
    };
  }

  /** "401 Unauthorized", or the transport error. */
  outcome(call: Call): string {
    if (!call.res) return call.error ?? 'no response';
    return statusText(call.res.status);
  }
}

/** A header value the target chose, fit for a message: printable ASCII only (no terminal escapes), bounded. */
export function shown(value: string, max = 80): string {
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

export function statusText(status: number): string {
  return `${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
}

export function is2xx(res: HttpResponse | undefined): boolean {
  return res !== undefined && res.status >= 200 && res.status < 300;
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export function randomId(bytes = 6): string {
  return randomBytes(bytes).toString('hex');
}

/** The short form of a path for messages: "POST /api/auth/login". */
export function endpointName(e: { method: string; path: string }): string {
  return `${e.method} ${e.path}`;
}
