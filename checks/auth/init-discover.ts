// The login endpoint: a path that answers an empty JSON body with 400/401/422 (it exists and wants
// credentials) rather than 404/405. Then its neighbours (refresh, logout) and a protected route that
// answers 401 without a token. With SHIPGATE_USERNAME and SHIPGATE_PASSWORD set, init logs in once to
// see where the access token and the refresh cookie are, and logs out again.
import { parseSetCookies } from '../../src/http/set-cookie.js';
import { JWT_PATTERN } from './jwt.js';
import { postLikeCatchAll, type CatchAll } from '../../src/init/catch-all.js';
import { is2xx, mediaType, parseJson, type Answer, type Prober } from '../../src/init/prober.js';

export const LOGIN_PATHS = [
  '/api/auth/login',
  '/api/login',
  '/auth/login',
  '/login',
  '/api/v1/auth/login',
  '/api/v1/login',
  '/api/auth/signin',
  '/signin',
  '/api/sessions',
  '/session',
];
const PROTECTED_PATHS = ['/api/me', '/api/users/me', '/api/user', '/api/profile', '/api/account', '/me', '/user'];
/** Statuses a login endpoint gives an empty body: bad request, unauthorized, unprocessable. */
const WANTS_CREDENTIALS = new Set([400, 401, 422]);

export interface Endpoint {
  path: string;
  status: number;
}

export interface LoggedIn {
  /** JSON path of the access token in the login response, when one was found. */
  tokenPath?: string;
  /** Name of the refresh cookie the login set, when it is clear which one. */
  refreshCookie?: string;
  /** Names of all cookies the login set. */
  cookies: string[];
  /** Why the login did not work, if it did not. */
  failure?: string;
}

export interface LoginFindings {
  login?: Endpoint & { userField: string; malformedJson?: number };
  refresh?: Endpoint;
  logout?: Endpoint;
  protectedRoute?: Endpoint;
  /** Set when init logged in with the credentials from the environment. */
  loggedIn?: LoggedIn;
  /** Why the search was given up on (every path answers alike). */
  note?: string;
}

export interface Credentials {
  username: string;
  password: string;
}

/** A login error message that names "email" and not "username" wants an email field. */
function userFieldOf(a: Answer): string {
  const body = (a.res?.body ?? '').toLowerCase();
  return body.includes('email') && !body.includes('username') ? 'email' : 'username';
}

const exists = (a: Answer, c: CatchAll) =>
  a.res !== undefined && a.res.status !== 404 && a.res.status !== 405 && a.res.status < 500 && !postLikeCatchAll(a, c);

export async function probeLogin(p: Prober, catchAll: CatchAll, credentials?: Credentials): Promise<LoginFindings> {
  if (catchAll.post.res && WANTS_CREDENTIALS.has(catchAll.post.res.status)) {
    return {
      note: `every POST answers ${catchAll.post.res.status}, even to a path that cannot exist, so a login endpoint cannot be told apart`,
    };
  }
  const answers = await p.each(LOGIN_PATHS, (path) => p.postEmptyJson(path));
  const hit = answers.find((a) => a.res && WANTS_CREDENTIALS.has(a.res.status) && !postLikeCatchAll(a, catchAll));
  if (!hit?.res) return {};
  const found: LoginFindings = { login: { path: hit.path, status: hit.res.status, userField: userFieldOf(hit) } };
  // The security gate sends malformed JSON to an API path: the login endpoint is one, if it answers 4xx.
  const malformed = await p.send({
    method: 'POST',
    path: hit.path,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: '{"shipgate": "malformed',
    maxBodyBytes: 16 * 1024,
  });
  if (malformed.res) found.login!.malformedJson = malformed.res.status;

  const base = hit.path.slice(0, hit.path.lastIndexOf('/'));
  const siblings = (names: string[]) => names.map((n) => `${base}/${n}`);
  const firstExisting = async (paths: string[], send: (path: string) => Promise<Answer>, ok: (a: Answer) => boolean) => {
    for (const path of paths) {
      const a = await send(path);
      if (ok(a)) return { path, status: a.res!.status };
    }
    return undefined;
  };
  const post = (path: string) =>
    p.send({ method: 'POST', path, headers: { accept: 'application/json' }, maxBodyBytes: 16 * 1024 });
  found.refresh = await firstExisting(siblings(['refresh', 'token/refresh', 'refresh-token', 'refresh_token']), post, (a) =>
    exists(a, catchAll),
  );
  found.logout = await firstExisting(siblings(['logout', 'signout', 'sign-out']), post, (a) => exists(a, catchAll));
  const protectedPaths = [...new Set([`${base}/me`, ...PROTECTED_PATHS])];
  found.protectedRoute = await firstExisting(
    protectedPaths,
    (path) => p.get(path, { accept: 'application/json' }),
    (a) => a.res?.status === 401 && !(catchAll.get.res?.status === 401),
  );
  if (credentials) found.loggedIn = await logInOnce(p, found, credentials);
  return found;
}

/** Logs in once with the environment's credentials; never prints or keeps the token or the password. */
async function logInOnce(p: Prober, found: LoginFindings, credentials: Credentials): Promise<LoggedIn> {
  const login = found.login!;
  const body = JSON.stringify({ [login.userField]: credentials.username, password: credentials.password });
  const a = await p.send({
    method: 'POST',
    path: login.path,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
    maxBodyBytes: 64 * 1024,
  });
  if (!a.res) return { cookies: [], failure: a.error };
  const cookies = parseSetCookies(a.res.setCookies).map((c) => c.name);
  if (!is2xx(a.res.status))
    return { cookies, failure: `POST ${login.path} with SHIPGATE_USERNAME/SHIPGATE_PASSWORD answered ${a.res.status}` };
  const json = parseJson(a.res.body);
  const tokenPath = json === undefined ? undefined : findTokenPath(json);
  const named = cookies.filter((n) => /refresh/i.test(n));
  const refreshCookie = named.length === 1 ? named[0] : cookies.length === 1 ? cookies[0] : undefined;
  // Leave no session behind: log out with the cookies the login set.
  if (found.logout) {
    const cookie = a.res.setCookies.map((l) => l.split(';')[0]).join('; ');
    const token = tokenPath && json !== undefined ? valueAtPath(json, tokenPath) : undefined;
    await p.send({
      method: 'POST',
      path: found.logout.path,
      headers: { cookie, ...(typeof token === 'string' ? { authorization: `Bearer ${token}` } : {}) },
      maxBodyBytes: 16 * 1024,
    });
  }
  return {
    cookies,
    tokenPath,
    refreshCookie,
    failure: tokenPath
      ? undefined
      : `the login answered ${a.res.status} ${mediaType(a.res) || 'without a content type'}, but no access token was recognised in its body`,
  };
}

/** The path of the access token in a login response: a JWT-looking string, or a string under a token-like key. */
export function findTokenPath(root: unknown): string | undefined {
  const queue: { v: unknown; path: string }[] = [{ v: root, path: '' }];
  let byName: string | undefined;
  while (queue.length) {
    const { v, path } = queue.shift()!;
    if (!v || typeof v !== 'object' || path.split('.').length > 4) continue;
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (/[.[\]\s]/.test(k)) continue; // not expressible as a JSON path segment
      const at = path ? `${path}.${k}` : k;
      if (typeof child === 'string') {
        if (/refresh/i.test(k)) continue;
        if (JWT_PATTERN.test(child) && /^eyJ/.test(child)) return at;
        if (!byName && /^(access_?token|token|jwt|id_?token|accessToken)$/i.test(k) && child.length >= 16) byName = at;
      } else if (child && typeof child === 'object' && !Array.isArray(child)) queue.push({ v: child, path: at });
    }
  }
  return byName;
}

function valueAtPath(root: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), root);
}
