// auth.refresh-requires-cookie, auth.refresh-rotates and auth.refresh-reuse-rejected.
// Rotation and reuse run on sessions of their own: reuse detection (rightly) revokes that session's
// whole family, and the main session must stay alive for the later gates that borrow its access token.
// Rotation (refresh → the new access token works) and reuse (refresh → the old token again → the newest
// one) each get a session, so the two chains run side by side instead of one after the other.
import type { CheckResult } from '../../src/result.js';
import { parseSetCookies } from './cookies.js';
import { refreshRequiresCookie, refreshReuseRejected, refreshRotates } from './catalogue.js';
import { endpointName, is2xx, type AuthFlow, type Call, type Session } from './flow.js';
import type { LoginOutcome } from './login.js';

export async function checkRequiresCookie(flow: AuthFlow): Promise<CheckResult> {
  const call = await flow.refresh();
  const where = endpointName(flow.config.refresh);
  const durationMs = call.res?.durationMs ?? 0;
  if (!call.res)
    return refreshRequiresCookie.error(`${where} without a cookie: ${call.error}`, { evidence: flow.evidence(call) });
  if (flow.isRejected(call.res))
    return refreshRequiresCookie.pass(`${where} without a cookie → ${flow.outcome(call)}`, { durationMs });
  if (is2xx(call.res)) {
    const issued = typeof flow.tokenOf(call.res) === 'string' ? ' and issued an access token' : '';
    return refreshRequiresCookie.fail(
      `${where} without any cookie → ${flow.outcome(call)}${issued}, expected ${flow.expectedRejection}`,
      { evidence: flow.evidence(call), durationMs, severity: 'critical' },
    );
  }
  return refreshRequiresCookie.fail(`${where} without a cookie → ${flow.outcome(call)}, expected ${flow.expectedRejection}`, {
    evidence: flow.evidence(call),
    durationMs,
  });
}

export interface Rotation {
  /** The refresh token the login set, now rotated out (if rotation happened). */
  previous?: string;
  /** The refresh token the refresh set. */
  current?: string;
  /** Why there is no rotated-out token to test reuse with. */
  noReuseTest?: string;
  /** The refresh exchange itself, when it answered 2xx (for auth.no-store and auth.refresh-token-not-in-body). */
  refreshed?: Call;
}

export async function checkRotates(flow: AuthFlow, second: LoginOutcome): Promise<{ result: CheckResult; rotation: Rotation }> {
  const skip = (reason: string) => ({ result: refreshRotates.skip(reason), rotation: { noReuseTest: reason } });
  if (second.failure)
    return skip(`the second login (for the rotation checks) failed: ${second.failure.replace(/^login failed: /, '')}`);
  if (!second.session?.refresh) return skip(second.noRefresh ?? 'login set no refresh cookie');
  const session: Session = second.session;
  const { name, value: previous } = session.refresh!;
  const where = endpointName(flow.config.refresh);
  const started = performance.now();
  const call = await flow.refresh(`${name}=${previous}`);
  const refreshed = is2xx(call.res) ? call : undefined;
  const fail = (message: string, reason = 'refresh did not rotate, so there is no rotated-out token to reuse', shown = call) => ({
    result: refreshRotates.fail(message, { evidence: flow.evidence(shown), durationMs: performance.now() - started }),
    rotation: { noReuseTest: reason, refreshed },
  });
  if (!call.res)
    return {
      result: refreshRotates.error(`${where}: ${call.error}`, { evidence: flow.evidence(call) }),
      rotation: { noReuseTest: `refresh failed: ${call.error}` },
    };
  if (!is2xx(call.res))
    return fail(
      `${where} with the login's refresh cookie → ${flow.outcome(call)}, expected 2xx`,
      `refresh failed: ${flow.outcome(call)}`,
    );
  const token = flow.tokenOf(call.res);
  if (typeof token !== 'string' || !token)
    return fail(
      `${where} → ${call.res.status} but no access token at "${flow.config.accessToken.jsonPath.source}" in the response`,
      'refresh issued no access token',
    );
  session.jar.update(call.res.setCookies);
  const current = session.jar.get(name);
  const check = await flow.protectedCall(token);
  if (!is2xx(check.res)) {
    return fail(
      `the refreshed access token is not accepted by ${endpointName(flow.config.protected)} (${flow.outcome(check)})`,
      'refresh issued an access token that does not work',
      check,
    );
  }
  if (!parseSetCookies(call.res.setCookies).some((c) => c.name === name)) {
    return fail(
      `${where} → ${call.res.status} with a working access token but no new "${name}" cookie: the refresh token is not rotated`,
    );
  }
  if (current === previous) {
    return fail(
      `${where} → ${call.res.status} with a working access token but set "${name}" to the same value again: the refresh token is not rotated`,
    );
  }
  if (!current)
    return fail(
      `${where} → ${call.res.status} deleted the "${name}" cookie instead of rotating it`,
      'refresh deleted the refresh cookie',
    );
  session.token = token;
  session.refresh = { name, value: current };
  return {
    result: refreshRotates.pass(
      `${where} → ${call.res.status}: a new access token that works (${endpointName(flow.config.protected)} → ${check.res!.status}) and a different "${name}" cookie`,
      { durationMs: performance.now() - started },
    ),
    rotation: { previous, current, refreshed },
  };
}

/** A refresh on a session of its own, only to get a rotated-out token for the reuse test. */
export async function rotateForReuse(flow: AuthFlow, login: LoginOutcome): Promise<Rotation> {
  if (login.failure)
    return { noReuseTest: `the login for the reuse check failed: ${login.failure.replace(/^login failed: /, '')}` };
  if (!login.session?.refresh) return { noReuseTest: login.noRefresh ?? 'login set no refresh cookie' };
  const session = login.session;
  const { name, value: previous } = session.refresh!;
  const call = await flow.refresh(`${name}=${previous}`);
  if (!call.res) return { noReuseTest: `refresh failed: ${call.error}` };
  if (!is2xx(call.res)) return { noReuseTest: `refresh failed: ${flow.outcome(call)}` };
  session.jar.update(call.res.setCookies);
  const current = session.jar.get(name);
  if (!current || current === previous)
    return { noReuseTest: 'refresh did not rotate, so there is no rotated-out token to reuse' };
  session.refresh = { name, value: current };
  return { previous, current };
}

export async function checkReuse(flow: AuthFlow, second: LoginOutcome, rotation: Rotation): Promise<CheckResult> {
  if (rotation.noReuseTest || !rotation.previous || !rotation.current)
    return refreshReuseRejected.skip(rotation.noReuseTest ?? 'no rotated-out refresh token');
  const name = second.session!.refresh!.name;
  const where = endpointName(flow.config.refresh);
  const started = performance.now();
  const reuse = await flow.refresh(`${name}=${rotation.previous}`);
  const durationMs = () => performance.now() - started;
  if (!reuse.res)
    return refreshReuseRejected.error(`${where} with the rotated-out token: ${reuse.error}`, { evidence: flow.evidence(reuse) });
  if (is2xx(reuse.res)) {
    return refreshReuseRejected.fail(
      `${where} with the rotated-out refresh token → ${flow.outcome(reuse)}: an old copy of the token still works, so a stolen one keeps a session alive`,
      { evidence: flow.evidence(reuse), durationMs: durationMs() },
    );
  }
  if (!flow.isRejected(reuse.res)) {
    return refreshReuseRejected.fail(
      `${where} with the rotated-out refresh token → ${flow.outcome(reuse)}, expected ${flow.expectedRejection}`,
      { evidence: flow.evidence(reuse), durationMs: durationMs() },
    );
  }
  // Reuse detection: the newest token of the family should now be revoked as well.
  const newest = await flow.refresh(`${name}=${rotation.current}`);
  if (is2xx(newest.res)) {
    return refreshReuseRejected.warn(
      `the rotated-out token → ${flow.outcome(reuse)}, but the newest token of its family still works afterwards (${flow.outcome(newest)}): reuse is not treated as theft (revoke the whole family on reuse)`,
      {
        evidence: flow.evidence(newest),
        durationMs: durationMs(),
        severity: 'medium',
      },
    );
  }
  const family = flow.isRejected(newest.res)
    ? `and the reuse revoked the family (newest token → ${flow.outcome(newest)})`
    : `newest token afterwards → ${flow.outcome(newest)}`;
  return refreshReuseRejected.pass(`${where} with the rotated-out refresh token → ${flow.outcome(reuse)}, ${family}`, {
    durationMs: durationMs(),
  });
}
