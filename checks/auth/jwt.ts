// Reading and tampering with JWTs from the outside. Nothing here verifies a signature: shipgate never
// knows the key; it only decodes what the target issued and forges variants the target must reject.

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The three base64url segments as received. */
  parts: [string, string, string];
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;

/** A JWS in compact form with JSON objects in header and payload, or undefined (an opaque token). */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p)) || !parts[0] || !parts[1]) return undefined;
  const header = jsonSegment(parts[0]);
  const payload = jsonSegment(parts[1]);
  if (!header || !payload) return undefined;
  return { header, payload, parts: parts as [string, string, string] };
}

function jsonSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The same claims under a header saying `{"alg": "none"}` (or another spelling), with an empty signature. */
export function withAlgNone(jwt: DecodedJwt, alg = 'none'): string {
  return `${encodeSegment({ ...jwt.header, alg })}.${jwt.parts[1]}.`;
}

/**
 * The token with one byte of its signature flipped. The byte is taken from the middle of the decoded
 * signature: flipping the last base64url character could touch only padding bits and change nothing.
 */
export function withFlippedSignature(jwt: DecodedJwt): string {
  const sig = Buffer.from(jwt.parts[2], 'base64url');
  if (sig.length === 0) return `${jwt.parts[0]}.${jwt.parts[1]}.${Buffer.from('shipgate').toString('base64url')}`;
  sig[Math.floor(sig.length / 2)] ^= 0xff;
  return `${jwt.parts[0]}.${jwt.parts[1]}.${sig.toString('base64url')}`;
}

// The shape itself is shared with the realtime gate's storage check (src/lang/jwt-shape.ts).
export { JWT_PATTERN } from '../../src/lang/jwt-shape.js';

/** Registered and common protocol claims: not "custom". */
export const STANDARD_CLAIMS = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti', // RFC 7519
  'typ',
  'azp',
  'sid',
  'scope',
  'scp',
  'client_id',
  'auth_time',
  'nonce',
  'acr',
  'amr',
  'cnf',
  'roles',
  'role',
  'groups',
  'permissions',
  'tid',
  'ver',
]);

/** Claims that carry personal data an access token does not need (OpenID Connect standard claims). */
export const PERSONAL_CLAIMS = new Set([
  'email',
  'email_verified',
  'phone_number',
  'phone_number_verified',
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'address',
  'birthdate',
  'picture',
  'gender',
]);
