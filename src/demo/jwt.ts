// HS256 JWTs for the demo target, with node:crypto only. Verification pins the algorithm: the token's
// own header never chooses how it is checked (except under the auth-alg-none-accepted flaw).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface JwtClaims {
  sub: string;
  iat: number;
  exp: number;
  jti: string;
  [claim: string]: unknown;
}

export class JwtSigner {
  /** A fresh random key per demo server: tokens never outlive the process that issued them. */
  private readonly key = randomBytes(32);

  constructor(private readonly opts: { acceptAlgNone?: boolean } = {}) {}

  sign(claims: JwtClaims): string {
    const head = b64json({ alg: 'HS256', typ: 'JWT' });
    const body = b64json(claims);
    return `${head}.${body}.${this.mac(`${head}.${body}`)}`;
  }

  /** The claims of a valid, unexpired token, or undefined. */
  verify(token: string, now = Date.now()): JwtClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [head, body, sig] = parts;
    const header = parseSegment(head);
    const claims = parseSegment(body) as JwtClaims | undefined;
    if (!header || !claims) return undefined;
    if (this.opts.acceptAlgNone && typeof header.alg === 'string' && header.alg.toLowerCase() === 'none') {
      // The flaw: a verifier that lets the header pick the algorithm, and "none" needs no signature.
    } else {
      if (header.alg !== 'HS256') return undefined;
      const expected = Buffer.from(this.mac(`${head}.${body}`));
      const given = Buffer.from(sig);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return undefined;
    if (typeof claims.sub !== 'string') return undefined;
    return claims;
  }

  private mac(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}

function b64json(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

function parseSegment(segment: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const v = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
