// auth.cookie-flags: HttpOnly, Secure (except on a loopback http target), SameSite Strict/Lax,
// and a Path that reaches the refresh endpoint without covering the whole site.
import type { CheckResult } from '../../src/result.js';
import { cookieFlags } from './catalogue.js';
import { parseSetCookies } from './cookies.js';
import type { AuthFlow } from './flow.js';
import type { LoginOutcome } from './login.js';

/** localhost, *.localhost, 127.0.0.0/8 and ::1: browsers treat these as secure contexts over http. */
export function isLoopback(url: URL): boolean {
  const h = url.hostname.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '[::1]';
}

/** RFC 6265 §5.1.4 path-match. */
export function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (cookiePath === requestPath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** RFC 6265 §5.1.4 default-path: the request path up to its last "/". */
export function defaultPath(requestPath: string): string {
  const i = requestPath.lastIndexOf('/');
  return i <= 0 ? '/' : requestPath.slice(0, i);
}

export function judgeCookieFlags(flow: AuthFlow, main: LoginOutcome): CheckResult {
  if (main.failure) return cookieFlags.skip(main.failure);
  if (!main.refreshSetCookie || !main.session?.refresh) return cookieFlags.skip(main.noRefresh ?? 'login set no refresh cookie');
  const line = main.refreshSetCookie;
  const c = parseSetCookies([line])[0];
  const { config, ctx } = flow;
  const target = ctx.baseUrl;
  const fails: string[] = [];
  const warns: string[] = [];
  const notes: string[] = [];

  if (!c.httpOnly) fails.push('no HttpOnly: any script on the page can read the refresh token');
  if (!c.secure) {
    if (target.protocol === 'http:' && isLoopback(target))
      notes.push(`no Secure (accepted on the loopback target ${target.host})`);
    else
      fails.push(
        `no Secure: the refresh token may travel over plain http${target.protocol === 'http:' ? ` (and the target itself is http://${target.host})` : ''}`,
      );
  }
  if (c.sameSite === 'None') fails.push('SameSite=None: cross-site requests carry the refresh cookie');
  else if (!c.sameSite) fails.push('no SameSite attribute (set Strict or Lax explicitly; not every browser defaults to Lax)');

  const path = c.path ?? defaultPath(config.login.path);
  const pathLabel = c.path ? `Path=${c.path}` : `no Path (defaults to ${path})`;
  if (!pathMatches(path, config.refresh.path))
    fails.push(
      `${pathLabel} does not cover the refresh endpoint ${config.refresh.path}: a browser would never send the cookie there`,
    );
  else if (path === '/')
    warns.push(
      `${pathLabel}: the refresh token is sent with every request to the host; scope it to the auth endpoints (e.g. Path=${defaultPath(config.refresh.path)})`,
    );
  if (!pathMatches(path, config.logout.path))
    warns.push(
      `${pathLabel} does not cover the logout endpoint ${config.logout.path}: a browser's logout cannot send the token to be revoked`,
    );
  if (c.domain) notes.push(`Domain=${c.domain} (also sent to its subdomains)`);

  const flags = [c.httpOnly && 'HttpOnly', c.secure && 'Secure', c.sameSite && `SameSite=${c.sameSite}`, pathLabel]
    .filter(Boolean)
    .join('; ');
  const evidence = { request: main.call.request, status: main.call.res?.status, headers: { 'set-cookie': line } };
  const name = `"${c.name}"`;
  const tail = notes.length ? ` (${notes.join('; ')})` : '';
  if (fails.length) return cookieFlags.fail(`refresh cookie ${name}: ${[...fails, ...warns].join('; ')}${tail}`, { evidence });
  if (warns.length) return cookieFlags.warn(`refresh cookie ${name}: ${warns.join('; ')}${tail}`, { evidence, severity: 'low' });
  return cookieFlags.pass(`refresh cookie ${name}: ${flags}${tail}`, { evidence });
}
