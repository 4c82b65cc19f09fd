// auth.login: the real login (whose session the rest of the gate and later gates use), then a wrong
// password and an unknown user, which must both get the same 401.
import type { CheckResult } from '../../src/result.js';
import { clearsValue } from '../../src/http/set-cookie.js';
import { CookieJar, parseSetCookies } from './cookies.js';
import { endpointName, is2xx, parseJson, randomId, statusText, type AuthFlow, type Call, type Session } from './flow.js';
import { login as loginCheck } from './catalogue.js';
import { decodeJwt } from './jwt.js';
import { isRateLimited, loginPatiently, rateLimitedReason } from './retry-after.js';

export interface LoginOutcome {
  call: Call;
  session?: Session;
  /** Why there is no session: the reason dependent checks are skipped with. */
  failure?: string;
  /** Why the session has no refresh cookie (refresh-dependent checks skip with it). */
  noRefresh?: string;
  /** The raw Set-Cookie line of the refresh cookie, for the cookie-flags check. */
  refreshSetCookie?: string;
  /** The login was answered 429 and could not be waited out: shipgate could not decide (not a target fault). */
  rateLimited?: boolean;
}

/** The wrong-password and unknown-user logins, sent beside the real one. */
export interface LoginNegatives {
  wrongPassword: Call;
  unknownUser: Call;
}

/** Logs in with the profile's credentials. Token and cookie values are already redacted when this returns. */
export async function logIn(flow: AuthFlow): Promise<LoginOutcome> {
  const { login } = flow.config;
  const call = await loginPatiently(flow, login.username, login.password);
  const where = endpointName(login);
  const res = call.res;
  if (!res) return { call, failure: `login failed: ${call.error}` };
  if (isRateLimited(call)) return { call, failure: rateLimitedReason(flow, call), rateLimited: true };
  const type = res.headers['content-type'] ?? 'no content type';
  if (!is2xx(res)) return { call, failure: `login failed: ${statusText(res.status)} from ${where} (${type})` };
  const json = parseJson(res.body);
  if (json === undefined)
    return { call, failure: `login failed: ${where} answered ${res.status} with a body that is not JSON (${type})` };
  const token = flow.tokenOf(res);
  if (typeof token !== 'string' || token.length === 0) {
    const keys = json && typeof json === 'object' ? Object.keys(json).slice(0, 10).join(', ') || 'none' : typeof json;
    return {
      call,
      failure: `login failed: no access token at "${flow.config.accessToken.jsonPath.source}" in the response (top-level keys: ${keys}; set gates.auth.accessToken.jsonPath)`,
    };
  }
  const jar = new CookieJar();
  const set = jar.update(res.setCookies).filter((c) => !clearsValue(c));
  const session: Session = { token, jar };
  let name = flow.config.refreshCookie.name;
  let noRefresh: string | undefined;
  if (!name) {
    const named = set.filter((c) => /refresh/i.test(c.name));
    if (set.length === 1) name = set[0].name;
    else if (named.length === 1) name = named[0].name;
    else
      noRefresh =
        set.length === 0
          ? 'login set no cookie, so there is no refresh cookie'
          : `login set cookies ${set.map((c) => c.name).join(', ')}; name the refresh cookie with gates.auth.refreshCookie.name`;
  }
  if (name && !noRefresh) {
    const value = jar.get(name);
    if (value) session.refresh = { name, value };
    else noRefresh = `login set no "${name}" cookie (cookies set: ${set.map((c) => c.name).join(', ') || 'none'})`;
  }
  const refreshSetCookie = session.refresh
    ? res.setCookies.find((l) => parseSetCookies([l])[0]?.name === session.refresh!.name)
    : undefined;
  return { call, session, noRefresh, refreshSetCookie };
}

/** The shape of an error response, for comparing wrong-password and unknown-user answers. */
function shapeOf(call: Call): string {
  const res = call.res;
  if (!res) return `error: ${call.error}`;
  const json = parseJson(res.body);
  if (json === undefined) return `${res.status} ${res.headers['content-type'] ?? ''} (not JSON)`;
  // Keys and types everywhere; the text of message-like fields too ("no such user" vs "wrong password").
  const MESSAGE_KEYS = /^(message|error|error_description|detail|title|code|reason|msg)$/i;
  const walk = (v: unknown, key = ''): string => {
    if (Array.isArray(v)) return `[${v.map((x) => walk(x)).join(',')}]`;
    if (v && typeof v === 'object')
      return `{${Object.keys(v)
        .sort()
        .map((k) => `${k}:${walk((v as Record<string, unknown>)[k], k)}`)
        .join(',')}}`;
    if (typeof v === 'string' && MESSAGE_KEYS.test(key)) return JSON.stringify(v);
    return v === null ? 'null' : typeof v;
  };
  return `${res.status} ${walk(json)}`;
}

/** A random wrong password for the real account (one failed attempt), and an account that does not exist. */
export async function sendLoginNegatives(flow: AuthFlow): Promise<LoginNegatives> {
  const { login } = flow.config;
  const [wrongPassword, unknownUser] = await Promise.all([
    loginPatiently(flow, login.username, `shipgate-wrong-${randomId(9)}`),
    loginPatiently(flow, `shipgate-nobody-${randomId()}`, `shipgate-wrong-${randomId(9)}`),
  ]);
  return { wrongPassword, unknownUser };
}

/** Judges the whole login from the real one and the negatives (sent at the same time). */
export function judgeLogin(flow: AuthFlow, main: LoginOutcome, { wrongPassword, unknownUser }: LoginNegatives): CheckResult {
  const { login } = flow.config;
  const where = endpointName(login);
  if (main.rateLimited) return loginCheck.error(main.failure!, { evidence: flow.evidence(main.call) });
  if (main.failure) return loginCheck.fail(main.failure, { evidence: flow.evidence(main.call) });
  const limited = [wrongPassword, unknownUser].find(isRateLimited);
  if (limited)
    return loginCheck.error(`the login works, but wrong credentials were not judged: ${rateLimitedReason(flow, limited)}`, {
      evidence: flow.evidence(limited),
    });

  const durationMs =
    Math.max(main.call.res!.durationMs, wrongPassword.res?.durationMs ?? 0, unknownUser.res?.durationMs ?? 0) +
    (main.call.waitedMs ?? 0);
  const problems: string[] = [];
  for (const [what, call] of [
    ['wrong password', wrongPassword],
    ['unknown user', unknownUser],
  ] as const) {
    if (!call.res) problems.push(`${what}: ${call.error}`);
    else if (is2xx(call.res)) problems.push(`${what} → ${statusText(call.res.status)}: wrong credentials are accepted`);
    else if (!flow.isRejected(call.res))
      problems.push(`${what} → ${statusText(call.res.status)}, expected ${flow.expectedRejection}`);
  }
  const tokenKind = describeToken(main.session!.token);
  const got = `${where} → ${main.call.res!.status} with an access token (${tokenKind})${main.session!.refresh ? ` and refresh cookie "${main.session!.refresh.name}"` : ''}`;
  const negatives = `wrong password → ${flow.outcome(wrongPassword)}, unknown user → ${flow.outcome(unknownUser)}`;
  if (problems.length) {
    const bad = !flow.isRejected(wrongPassword.res) ? wrongPassword : unknownUser;
    return loginCheck.fail(`${problems.join('; ')} (${got})`, { evidence: flow.evidence(bad), durationMs });
  }
  if (main.noRefresh)
    return loginCheck.fail(`${main.noRefresh} (${got}; ${negatives})`, { evidence: flow.evidence(main.call), durationMs });

  const a = shapeOf(wrongPassword);
  const b = shapeOf(unknownUser);
  if (a !== b) {
    return loginCheck.warn(
      `a wrong password and an unknown user get different answers, which lets an attacker enumerate accounts: ${truncate(a)} vs ${truncate(b)}`,
      {
        severity: 'medium',
        evidence: flow.evidence(unknownUser, { wrongPasswordAnswer: truncate(a, 300), unknownUserAnswer: truncate(b, 300) }),
        durationMs,
      },
    );
  }
  return loginCheck.pass(`${got}; ${negatives} (same answer, no account enumeration)`, { durationMs });
}

function describeToken(token: string): string {
  const jwt = decodeJwt(token);
  return jwt ? `JWT ${String(jwt.header.alg)}` : 'opaque';
}

function truncate(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
