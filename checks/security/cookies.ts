// Set-Cookie audit: every cookie seen must be Secure (except over http to a loopback host), session and
// refresh cookies HttpOnly, and SameSite set to a valid value. Parsing and the deletion rule are shared
// (src/http/set-cookie.ts).
import { isDeletion, parseSetCookies, type Cookie } from '../../src/http/set-cookie.js';

export { parseSetCookies };

export interface SeenCookie {
  /** The URL whose response set it (decides whether Secure can be expected). */
  url: string;
  setCookie: string;
}

export interface CookieProblem {
  name: string;
  url: string;
  problems: string[];
  /** The Set-Cookie line with the value masked, for evidence. */
  masked: string;
}

/** Browsers treat http://localhost and loopback addresses as secure contexts. */
export function isLoopbackHttp(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:') return false;
  const h = u.hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1';
}

export function isSessionCookie(name: string, sessionNames: string[]): boolean {
  const n = name.toLowerCase();
  // A double-submit CSRF token must stay readable by the page's script.
  if (n.includes('csrf') || n.includes('xsrf')) return false;
  return sessionNames.some((s) => n.includes(s.toLowerCase()));
}

export function auditCookie(c: Cookie, url: string, sessionNames: string[]): string[] {
  const problems: string[] = [];
  const https = url.startsWith('https:');
  const loopback = isLoopbackHttp(url);
  if (!c.secure && !loopback) problems.push(https ? 'no Secure flag' : 'no Secure flag (and set over plain http)');
  if (!c.httpOnly && isSessionCookie(c.name, sessionNames)) problems.push('session/refresh cookie without HttpOnly');
  if (!c.sameSite) problems.push('no valid SameSite (Strict, Lax or None)');
  else if (c.sameSite === 'None' && !c.secure) problems.push('SameSite=None without Secure (browsers reject it)');
  // Cookie prefixes (RFC 6265bis §4.1.3): browsers refuse the cookie when the rules are broken.
  if (c.name.startsWith('__Secure-') && !c.secure) problems.push('__Secure- prefix without Secure');
  if (c.name.startsWith('__Host-') && (!c.secure || c.domain !== undefined || c.path !== '/'))
    problems.push('__Host- prefix needs Secure, Path=/ and no Domain');
  return problems;
}

export function auditCookies(
  seen: SeenCookie[],
  sessionNames: string[],
): { audited: { name: string; url: string }[]; problems: CookieProblem[] } {
  const audited: { name: string; url: string }[] = [];
  const problems: CookieProblem[] = [];
  for (const s of seen) {
    for (const c of parseSetCookies([s.setCookie])) {
      if (!c.name || isDeletion(c)) continue;
      audited.push({ name: c.name, url: s.url });
      const p = auditCookie(c, s.url, sessionNames);
      if (p.length) problems.push({ name: c.name, url: s.url, problems: p, masked: maskCookie(s.setCookie) });
    }
  }
  return { audited, problems };
}

/** "sid=abc123; Path=/" → "sid=<6 chars>; Path=/": evidence without the secret. */
export function maskCookie(line: string): string {
  const semi = line.indexOf(';');
  const pair = semi === -1 ? line : line.slice(0, semi);
  const eq = pair.indexOf('=');
  if (eq === -1) return line;
  const value = pair.slice(eq + 1).trim();
  return `${pair.slice(0, eq + 1)}<${value.length} chars>${semi === -1 ? '' : line.slice(semi)}`;
}
