// auth.token-lifetime: read the access token's own claims (no key needed) and judge its lifetime,
// its algorithm and how much it says about the user.
import { formatDuration } from '../../src/duration.js';
import type { CheckResult } from '../../src/result.js';
import { tokenLifetime } from './catalogue.js';
import type { AuthFlow } from './flow.js';
import { decodeJwt, PERSONAL_CLAIMS, STANDARD_CLAIMS } from './jwt.js';
import type { LoginOutcome } from './login.js';

/** Lifetimes read best in hours beyond one hour ("24h", not "1440m"). */
function lifetimeText(ms: number): string {
  return ms >= 3_600_000 ? `${Math.round((ms / 3_600_000) * 10) / 10}h` : formatDuration(ms);
}

export function judgeTokenLifetime(flow: AuthFlow, main: LoginOutcome): CheckResult {
  if (!main.session) return tokenLifetime.skip(main.failure ?? 'no access token');
  const jwt = decodeJwt(main.session.token);
  if (!jwt) return tokenLifetime.skip('the access token is opaque (not a JWT), so its lifetime cannot be read from outside');
  const { header, payload } = jwt;
  const max = flow.config.accessToken.maxLifetime;
  const claims = Object.keys(payload);
  const evidence = {
    details: {
      header,
      claims: claims.join(', '),
      ...(typeof payload.iat === 'number' ? { iat: payload.iat } : {}),
      ...(typeof payload.exp === 'number' ? { exp: payload.exp } : {}),
    },
  };
  const alg = String(header.alg ?? '(missing)');
  if (alg.toLowerCase() === 'none' || header.alg === undefined)
    return tokenLifetime.fail(`the token's header says alg ${JSON.stringify(header.alg ?? null)}: it is not signed`, {
      evidence,
      severity: 'critical',
    });

  const exp = payload.exp;
  if (typeof exp !== 'number')
    return tokenLifetime.fail(`no numeric exp claim: the access token never expires (maximum lifetime ${formatDuration(max)})`, {
      evidence,
    });
  const iat = typeof payload.iat === 'number' ? payload.iat : undefined;
  const lifetimeMs = (exp - (iat ?? Date.now() / 1000)) * 1000;
  const basis = iat !== undefined ? 'exp − iat' : 'exp − now (no iat claim)';
  const lifetime = `${basis} = ${lifetimeText(Math.max(0, lifetimeMs))}`;
  if (lifetimeMs > max)
    return tokenLifetime.fail(`${lifetime}, maximum ${formatDuration(max)}: a stolen token works that long`, {
      evidence,
      metrics: { lifetimeSeconds: Math.round(lifetimeMs / 1000) },
    });

  const personal = claims.filter((c) => PERSONAL_CLAIMS.has(c));
  const custom = claims.filter((c) => !STANDARD_CLAIMS.has(c) && !PERSONAL_CLAIMS.has(c));
  const warns: string[] = [];
  if (personal.length) warns.push(`it carries personal data (${personal.join(', ')}), readable by anyone holding the token`);
  if (custom.length > flow.config.accessToken.maxCustomClaims)
    warns.push(`${custom.length} custom claims (${custom.join(', ')}), more than ${flow.config.accessToken.maxCustomClaims}`);
  const metrics = { lifetimeSeconds: Math.round(lifetimeMs / 1000) };
  const summary = `${alg} token, ${lifetime} (maximum ${formatDuration(max)})`;
  if (warns.length) return tokenLifetime.warn(`${summary}, but ${warns.join('; ')}`, { evidence, metrics, severity: 'low' });
  return tokenLifetime.pass(`${summary}; claims: ${claims.join(', ')}`, { evidence, metrics });
}
