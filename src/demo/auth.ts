// The demo's auth flow, built the way the checklist wants: HS256 access tokens (15 minutes, a random key
// per server), opaque refresh tokens stored server-side (hashed) in families, rotated on every refresh,
// reuse of a rotated-out token revokes the family, logout revokes and clears the cookie, and failed
// logins are limited per (client address, username) so a burst against one name locks out nobody else.
//
// The refresh cookie: `refresh_token=…; HttpOnly; SameSite=Strict; Path=/api/auth; Max-Age=14d`, plus
// `Secure` when the request came over TLS (or X-Forwarded-Proto: https from a TLS-terminating proxy).
// On the demo's own http://127.0.0.1 it is left off, because a Secure cookie set over plain http is
// dropped by browsers on non-localhost hosts; the auth gate accepts that only on a loopback target.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { sendJson, sendProblem, type DemoApp, type DemoModule, type DemoRequest } from './app.js';
import { JwtSigner } from './jwt.js';

export const DEMO_USERNAME = 'demo';
/** The demo account's password; profiles/demo.yaml reads the same variable with the same default. */
export const DEMO_PASSWORD = process.env.SHIPGATE_DEMO_PASSWORD || 'shipgate-demo-password';

export const REFRESH_COOKIE = 'refresh_token';
const COOKIE_PATH = '/api/auth';
const ACCESS_TTL_S = 15 * 60;
const LONG_ACCESS_TTL_S = 24 * 60 * 60;
const REFRESH_TTL_S = 14 * 24 * 60 * 60;
/** Failed logins per (client, username) within the window before 429. */
export const LOGIN_MAX_FAILURES = 10;
const LOGIN_WINDOW_MS = 60_000;

interface RefreshRecord {
  family: string;
  user: string;
  /** Rotated tokens are kept, so presenting one again is recognised as reuse. */
  rotated: boolean;
  expiresAt: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** Failed login attempts per key within a sliding window. */
class FailedLoginLimiter {
  private readonly failures = new Map<string, number[]>();

  /** Seconds until the key may try again, or 0. */
  retryAfter(key: string, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length < LOGIN_MAX_FAILURES) return 0;
    return Math.max(1, Math.ceil((recent[0] + LOGIN_WINDOW_MS - now) / 1000));
  }

  fail(key: string, now: number): void {
    this.failures.set(key, [...this.recent(key, now), now]);
    if (this.failures.size > 10_000)
      for (const k of this.failures.keys()) if (this.recent(k, now).length === 0) this.failures.delete(k);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - LOGIN_WINDOW_MS);
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

function isHttps(r: DemoRequest): boolean {
  return Boolean((r.req.socket as TLSSocket).encrypted) || r.req.headers['x-forwarded-proto'] === 'https';
}

function refreshCookie(r: DemoRequest, value: string, maxAge: number): string {
  return `${REFRESH_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=${COOKIE_PATH}; Max-Age=${maxAge}${isHttps(r) ? '; Secure' : ''}`;
}

export const auth: DemoModule = {
  flaws: {
    'auth-no-rotation': 'refresh re-issues the same refresh token instead of rotating it',
    'auth-reuse-allowed': 'a rotated-out refresh token still works (no reuse detection)',
    'auth-alg-none-accepted': 'access tokens with {"alg":"none"} and no signature are accepted',
    'auth-me-no-auth': 'GET /api/me answers 200 without an access token (auth treated as optional)',
    'auth-long-lived-token': 'access tokens live 24 hours instead of 15 minutes',
    'me-cacheable': "GET /api/me answers Cache-Control: public, max-age=300 (a CDN may serve one user's data to others)",
    'refresh-in-body':
      'login and refresh also return the refresh token in the JSON body (the HttpOnly cookie protects nothing then)',
    'xff-bypass':
      'the login limiter keys on X-Forwarded-For when present (trust proxy misconfigured): each guess can claim a new address',
  },
  install(app, flaws) {
    const sessions = new DemoSessions(flaws);
    installLogin(app, sessions);
    installRefresh(app, sessions);
    installLogout(app, sessions);
    installMe(app, sessions);
    app.route('GET', '/login', (r) => sendStatic(r, 'text/html; charset=utf-8', LOGIN_PAGE));
    app.route('GET', '/login.js', (r) => sendStatic(r, 'text/javascript; charset=utf-8', LOGIN_SCRIPT));
  },
};

/** The demo's session state: the signer, refresh tokens by digest, revoked families and the login limiter. */
class DemoSessions {
  readonly signer: JwtSigner;
  readonly limiter = new FailedLoginLimiter();
  readonly refreshTokens = new Map<string, RefreshRecord>();
  readonly revokedFamilies = new Set<string>();
  readonly passwordDigest = sha256(DEMO_PASSWORD);
  readonly ttl: number;

  constructor(readonly flaws: ReadonlySet<string>) {
    this.signer = new JwtSigner({ acceptAlgNone: flaws.has('auth-alg-none-accepted') });
    this.ttl = flaws.has('auth-long-lived-token') ? LONG_ACCESS_TTL_S : ACCESS_TTL_S;
  }

  accessToken(user: string): string {
    const iat = Math.floor(Date.now() / 1000);
    return this.signer.sign({ sub: user, iat, exp: iat + this.ttl, jti: randomUUID() });
  }

  newRefreshToken(user: string, family: string): string {
    const value = randomBytes(32).toString('base64url');
    const now = Date.now();
    if (this.refreshTokens.size > 20_000)
      for (const [k, rec] of this.refreshTokens) if (rec.expiresAt <= now) this.refreshTokens.delete(k);
    this.refreshTokens.set(sha256(value).toString('hex'), {
      family,
      user,
      rotated: false,
      expiresAt: now + REFRESH_TTL_S * 1000,
    });
    return value;
  }

  issue(r: DemoRequest, user: string, refreshValue: string): void {
    r.res.setHeader('Set-Cookie', refreshCookie(r, refreshValue, REFRESH_TTL_S));
    r.res.setHeader('Cache-Control', 'no-store');
    const refreshInBody = this.flaws.has('refresh-in-body') ? { refreshToken: refreshValue } : {};
    sendJson(r.res, 200, { accessToken: this.accessToken(user), tokenType: 'Bearer', expiresIn: this.ttl, ...refreshInBody });
  }

  unauthorized(r: DemoRequest, detail: string, clearCookie = false): void {
    if (clearCookie) r.res.setHeader('Set-Cookie', refreshCookie(r, '', 0));
    sendProblem(r.res, 401, 'Unauthorized', detail, r.requestId);
  }
}

function installLogin(app: DemoApp, s: DemoSessions): void {
  app.route('POST', '/api/auth/login', async (r) => {
    const body = await r.json<{ username?: unknown; password?: unknown }>();
    if (body === undefined) return;
    if (typeof body?.username !== 'string' || typeof body.password !== 'string' || !body.username) {
      return sendProblem(r.res, 400, 'Bad Request', 'expected a JSON body {"username": string, "password": string}', r.requestId);
    }
    const now = Date.now();
    const forwardedFor = s.flaws.has('xff-bypass')
      ? String(r.req.headers['x-forwarded-for'] ?? '')
          .split(',')[0]
          .trim()
      : '';
    const key = `${forwardedFor || r.req.socket.remoteAddress}|${body.username}`;
    const wait = s.limiter.retryAfter(key, now);
    if (wait > 0) {
      r.res.setHeader('Retry-After', String(wait));
      return sendProblem(r.res, 429, 'Too Many Requests', 'too many failed logins; try again later', r.requestId);
    }
    // Same work and the same answer whether the user exists or not: no account enumeration.
    const digestOk = timingSafeEqual(sha256(body.password), s.passwordDigest);
    if (body.username !== DEMO_USERNAME || !digestOk) {
      s.limiter.fail(key, now);
      return s.unauthorized(r, 'invalid username or password');
    }
    s.limiter.clear(key);
    s.issue(r, DEMO_USERNAME, s.newRefreshToken(DEMO_USERNAME, randomUUID()));
  });
}

function installRefresh(app: DemoApp, s: DemoSessions): void {
  app.route('POST', '/api/auth/refresh', (r) => {
    const presented = readCookie(r.req.headers.cookie, REFRESH_COOKIE);
    if (!presented) return s.unauthorized(r, 'no refresh token');
    const rec = s.refreshTokens.get(sha256(presented).toString('hex'));
    if (!rec || rec.expiresAt <= Date.now() || s.revokedFamilies.has(rec.family))
      return s.unauthorized(r, 'refresh token is invalid, expired or revoked', true);
    if (rec.rotated && !s.flaws.has('auth-reuse-allowed')) {
      // A token that was already exchanged is presented again: someone holds a copy. End the family.
      s.revokedFamilies.add(rec.family);
      return s.unauthorized(r, 'refresh token reuse detected; the session was revoked', true);
    }
    if (s.flaws.has('auth-no-rotation')) return s.issue(r, rec.user, presented);
    rec.rotated = true;
    s.issue(r, rec.user, s.newRefreshToken(rec.user, rec.family));
  });
}

function installLogout(app: DemoApp, s: DemoSessions): void {
  app.route('POST', '/api/auth/logout', (r) => {
    const presented = readCookie(r.req.headers.cookie, REFRESH_COOKIE);
    const rec = presented ? s.refreshTokens.get(sha256(presented).toString('hex')) : undefined;
    if (rec) s.revokedFamilies.add(rec.family);
    r.res.setHeader('Set-Cookie', refreshCookie(r, '', 0));
    r.res.statusCode = 204;
    r.res.end();
  });
}

function installMe(app: DemoApp, s: DemoSessions): void {
  app.route('GET', '/api/me', (r) => {
    const header = r.req.headers.authorization;
    if (header === undefined && s.flaws.has('auth-me-no-auth')) return sendJson(r.res, 200, { user: null, anonymous: true });
    const token = /^Bearer ([^\s]+)$/.exec(header ?? '')?.[1];
    const claims = token ? s.signer.verify(token) : undefined;
    if (!claims) {
      r.res.setHeader('WWW-Authenticate', header ? 'Bearer error="invalid_token"' : 'Bearer');
      return sendProblem(
        r.res,
        401,
        'Unauthorized',
        header ? 'the access token is invalid or expired' : 'an access token is required',
        r.requestId,
      );
    }
    r.res.setHeader('Cache-Control', s.flaws.has('me-cacheable') ? 'public, max-age=300' : 'no-store');
    sendJson(r.res, 200, { user: claims.sub, tokenExpiresAt: new Date(claims.exp * 1000).toISOString() });
  });
}

function sendStatic(r: DemoRequest, type: string, text: string): void {
  r.res.statusCode = 200;
  r.res.setHeader('Content-Type', type);
  r.res.setHeader('Content-Length', Buffer.byteLength(text));
  r.res.end(text);
}

// The frontend side of the flow: the access token lives in a variable, never in Web Storage; a 401 from
// the API triggers one silent refresh (the HttpOnly cookie) and a retry. Script in its own file so a
// strict Content-Security-Policy (script-src 'self') allows it.
const LOGIN_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>shipgate demo · sign in</title><script src="/login.js" defer></script></head>
<body>
<main>
  <h1>Sign in</h1>
  <form id="login">
    <label>Username <input name="username" autocomplete="username" required></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit">Sign in</button>
  </form>
  <p id="error" role="alert" hidden></p>
  <p id="signed-in" hidden></p>
</main>
</body>
</html>
`;

const LOGIN_SCRIPT = `'use strict';
(() => {
  let accessToken = null; // in memory only

  async function refresh() {
    const res = await fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' });
    if (!res.ok) return false;
    accessToken = (await res.json()).accessToken;
    return true;
  }

  async function api(path) {
    const call = () => fetch(path, { headers: accessToken ? { Authorization: 'Bearer ' + accessToken } : {} });
    let res = await call();
    if (res.status === 401 && (await refresh())) res = await call();
    return res;
  }

  async function showUser() {
    const res = await api('/api/me');
    if (!res.ok) return false;
    const me = await res.json();
    const out = document.getElementById('signed-in');
    out.textContent = 'Signed in as ' + me.user;
    out.hidden = false;
    document.getElementById('login').hidden = true;
    return true;
  }

  document.addEventListener('DOMContentLoaded', () => {
    const form = document.getElementById('login');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const res = await fetch('/api/auth/login', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: data.get('username'), password: data.get('password') }),
      });
      const error = document.getElementById('error');
      if (!res.ok) {
        error.textContent = res.status === 429 ? 'Too many attempts; try again later.' : 'Invalid username or password.';
        error.hidden = false;
        return;
      }
      error.hidden = true;
      accessToken = (await res.json()).accessToken;
      await showUser();
    });
    // A reload loses the in-memory token; the HttpOnly refresh cookie restores the session.
    refresh().then((ok) => ok && showUser());
  });
})();
`;
