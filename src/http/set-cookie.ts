// Set-Cookie, read once for every gate: undici's parser (the RFC 6265bis parsing algorithm, already our
// HTTP client, so no second library), and one rule for when a Set-Cookie deletes a cookie.
import { getSetCookies, Headers, type Cookie } from 'undici';

export type { Cookie };

/** Parses raw Set-Cookie lines; lines a browser would ignore (no name, control characters) are dropped. */
export function parseSetCookies(lines: readonly string[]): Cookie[] {
  const headers = new Headers();
  for (const line of lines) headers.append('set-cookie', line);
  // undici answers null (not a cookie) for a line with control characters; a browser ignores that line.
  return getSetCookies(headers).filter((c): c is Cookie => c !== null && c !== undefined);
}

/**
 * The browser removes the cookie (RFC 6265 §5.3): Max-Age ≤ 0 (read as "the earliest representable time")
 * or, without Max-Age (which wins), an Expires that is not in the future. An empty value is not a
 * deletion: the browser stores it. (undici drops a negative Max-Age as malformed, so `Max-Age=-1` reads as absent.)
 */
export function isDeletion(c: Cookie, now = Date.now()): boolean {
  if (c.maxAge !== undefined) return c.maxAge <= 0;
  return c.expires !== undefined && new Date(c.expires).getTime() <= now;
}

/** After this Set-Cookie the browser holds no value under the name: deleted, or overwritten with "". */
export function clearsValue(c: Cookie, now = Date.now()): boolean {
  return isDeletion(c, now) || c.value === '';
}
