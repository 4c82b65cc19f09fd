// Set-Cookie parsing (undici's RFC 6265 parser) and the smallest cookie jar the auth flow needs:
// one session's cookies by name, replaced and deleted the way a browser would.
import { getSetCookies, Headers, type Cookie } from 'undici';

export type { Cookie };

export function parseSetCookies(lines: readonly string[]): Cookie[] {
  const headers = new Headers();
  for (const line of lines) headers.append('set-cookie', line);
  return getSetCookies(headers);
}

/** The raw Set-Cookie line that set the named cookie (for evidence), or undefined. */
export function setCookieLine(lines: readonly string[], name: string): string | undefined {
  return lines.find((l) => parseSetCookies([l])[0]?.name === name);
}

/** True when the Set-Cookie deletes the cookie: Max-Age ≤ 0, an Expires in the past, or an empty value. */
export function isDeletion(c: Cookie, now = Date.now()): boolean {
  if (c.maxAge !== undefined && c.maxAge <= 0) return true;
  if (c.expires !== undefined && new Date(c.expires).getTime() <= now) return true;
  return c.value === '';
}

/** One user's cookies: what a browser would send back on the next request. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Applies a response's Set-Cookie lines; returns the cookies it set or deleted. */
  update(setCookies: readonly string[]): Cookie[] {
    const parsed = parseSetCookies(setCookies);
    for (const c of parsed) {
      if (isDeletion(c)) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return parsed;
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  /** The Cookie request header, or undefined when the jar is empty. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}
