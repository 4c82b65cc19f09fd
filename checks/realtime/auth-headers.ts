// The auth gate runs concurrently with this one and may leave an access token in ctx.shared; when it
// is there at the moment of a request, it is sent as a Bearer token (unless the profile set its own).
import type { GateContext } from '../../src/gates/contract.js';

export function withAccessToken(ctx: GateContext, enabled: boolean, headers: Record<string, string>): Record<string, string> {
  const token = ctx.shared.accessToken;
  if (!enabled || typeof token !== 'string' || !token) return headers;
  if (Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) return headers;
  ctx.redactor.add(token);
  return { ...headers, authorization: `Bearer ${token}` };
}
