// auth.logout-revokes: log the main session out, then prove its refresh token is dead and the cookie
// cleared. It runs after every other gate (afterAll), so the access token they borrowed stays valid
// even on targets that tie access tokens to the session.
import type { CheckResult } from '../../src/result.js';
import { logoutRevokes } from './catalogue.js';
import { clearsValue, parseSetCookies } from '../../src/http/set-cookie.js';
import { endpointName, is2xx, type AuthFlow } from './flow.js';
import type { LoginOutcome } from './login.js';

export async function checkLogout(flow: AuthFlow, main: LoginOutcome): Promise<CheckResult> {
  if (main.failure) return logoutRevokes.skip(main.failure);
  const session = main.session!;
  if (!session.refresh) return logoutRevokes.skip(main.noRefresh ?? 'login set no refresh cookie');
  const { name, value } = session.refresh;
  const cookie = session.jar.header() ?? `${name}=${value}`;
  const where = endpointName(flow.config.logout);
  const started = performance.now();
  const logout = await flow.call(flow.config.logout.method, flow.config.logout.path, { cookie, bearer: session.token });
  const durationMs = () => performance.now() - started;
  if (!logout.res) return logoutRevokes.error(`${where}: ${logout.error}`, { evidence: flow.evidence(logout) });
  if (!is2xx(logout.res) && !(logout.res.status >= 300 && logout.res.status < 400)) {
    return logoutRevokes.fail(`${where} → ${flow.outcome(logout)}, expected 2xx (or a redirect)`, {
      evidence: flow.evidence(logout),
      durationMs: durationMs(),
    });
  }
  const cleared = parseSetCookies(logout.res.setCookies).some((c) => c.name === name && clearsValue(c));
  // The old token again, exactly as a thief holding a copy would send it.
  const after = await flow.refresh(`${name}=${value}`);
  const refreshWhere = endpointName(flow.config.refresh);
  if (!after.res) return logoutRevokes.error(`${refreshWhere} after logout: ${after.error}`, { evidence: flow.evidence(after) });
  if (is2xx(after.res)) {
    return logoutRevokes.fail(
      `after ${where} → ${logout.res.status}, the logged-out refresh token still works (${refreshWhere} → ${flow.outcome(after)}): logout only forgot the cookie${cleared ? '' : ', and did not even clear it'}`,
      {
        evidence: flow.evidence(after),
        durationMs: durationMs(),
      },
    );
  }
  if (!flow.isRejected(after.res)) {
    return logoutRevokes.fail(
      `${refreshWhere} with the logged-out token → ${flow.outcome(after)}, expected ${flow.expectedRejection}`,
      { evidence: flow.evidence(after), durationMs: durationMs() },
    );
  }
  const revoked = `${where} → ${logout.res.status}, then ${refreshWhere} with the old token → ${flow.outcome(after)}`;
  if (!cleared) {
    return logoutRevokes.warn(
      `${revoked}, but the logout response does not clear the "${name}" cookie (send it again with an empty value and Max-Age=0)`,
      {
        evidence: flow.evidence(logout),
        durationMs: durationMs(),
        severity: 'low',
      },
    );
  }
  return logoutRevokes.pass(`${revoked}; the "${name}" cookie was cleared`, { durationMs: durationMs() });
}
