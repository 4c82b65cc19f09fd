// Fields of a JSON body that hold a refresh token, whatever the API calls them; the auth flow redacts
// their values on arrival and auth.refresh-token-not-in-body reports them.

/** Field names a refresh token goes by: refreshToken, refresh_token, refresh-token, refresh. */
const REFRESH_FIELD = /^(refresh([_-]?token)?)$/i;
/** Shorter strings are not credentials (and would match by chance). */
export const MIN_TOKEN_LENGTH = 16;

/** Paths and values of refresh-token-like fields in a JSON value ("data.tokens.refresh_token"). */
export function refreshFields(json: unknown, path = '', depth = 0): { path: string; value: string }[] {
  // A hostile body can nest deeper than the stack; tokens sit near the top.
  if (depth > 32) return [];
  if (Array.isArray(json)) return json.flatMap((v, i) => refreshFields(v, `${path}[${i}]`, depth + 1));
  if (!json || typeof json !== 'object') return [];
  return Object.entries(json).flatMap(([k, v]) => {
    const here = path ? `${path}.${k}` : k;
    if (typeof v === 'string' && REFRESH_FIELD.test(k) && v.length >= MIN_TOKEN_LENGTH) return [{ path: here, value: v }];
    return refreshFields(v, here, depth + 1);
  });
}
