// The smallest cookie jar the auth flow needs: one session's cookies by name, replaced and deleted the
// way a browser would. Parsing and the deletion rule are src/http/set-cookie.ts, shared with the security gate.
import { clearsValue, parseSetCookies, type Cookie } from '../../src/http/set-cookie.js';

export type { Cookie };
export { parseSetCookies };

/** The raw Set-Cookie line that set the named cookie (for evidence), or undefined. */
export function setCookieLine(lines: readonly string[], name: string): string | undefined {
  return lines.find((l) => parseSetCookies([l])[0]?.name === name);
}

/** One user's cookies: what a browser would send back on the next request. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Applies a response's Set-Cookie lines; returns the cookies it set or deleted. */
  update(setCookies: readonly string[]): Cookie[] {
    const parsed = parseSetCookies(setCookies);
    for (const c of parsed) {
      // An empty value is forgotten rather than sent back as `name=`: either way no token is held.
      if (clearsValue(c)) this.cookies.delete(c.name);
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
