// auth.login-rate-limit: a bounded burst of failed logins for a throwaway username, only to the
// profile's host. It runs after every other gate (afterAll): a limiter keyed on the client's address
// would otherwise lock out the realtime or load gate.
import { formatDuration } from '../../src/duration.js';
import type { CheckResult } from '../../src/result.js';
import { loginRateLimit } from './catalogue.js';
import { endpointName, is2xx, randomId, statusText, type AuthFlow, type Call } from './flow.js';

export async function checkRateLimit(flow: AuthFlow): Promise<CheckResult> {
  const { rateLimit, login } = flow.config;
  if (!rateLimit.enabled) return loginRateLimit.skip('disabled (gates.auth.rateLimit.enabled: false)');
  const url = flow.ctx.http.resolve(login.path);
  if (url.origin !== flow.ctx.baseUrl.origin) return loginRateLimit.error(`the login URL ${url.origin} is not the profile's host ${flow.ctx.baseUrl.origin}; no burst sent`);
  const username = rateLimit.username.split('{random}').join(randomId());
  const where = endpointName(login);
  const started = performance.now();
  const deadline = started + rateLimit.within;
  const counts = new Map<string, number>();
  let last: Call | undefined;
  let sent = 0;
  flow.ctx.progress(`rate limit: up to ${rateLimit.attempts} failed logins for "${username}" within ${formatDuration(rateLimit.within)}`);
  while (sent < rateLimit.attempts && performance.now() < deadline && !flow.ctx.signal.aborted) {
    last = await flow.login(username, `shipgate-wrong-${randomId(9)}`);
    sent++;
    const key = last.res ? String(last.res.status) : 'no response';
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (!last.res || last.res.status === 429 || is2xx(last.res)) break;
  }
  const elapsed = performance.now() - started;
  const tally = [...counts].map(([k, n]) => `${k} ×${n}`).join(', ');
  const metrics = { attempts: sent };
  if (!last) return loginRateLimit.error('no attempt was sent (the gate was interrupted)');
  if (!last.res) return loginRateLimit.error(`attempt ${sent} to ${where}: ${last.error} (answers so far: ${tally})`, { evidence: flow.evidence(last), metrics });
  if (last.res.status === 429) {
    const retry = last.res.headers['retry-after'];
    return loginRateLimit.pass(`${where} → 429 after ${sent - 1} failed logins for a throwaway user in ${formatDuration(elapsed)}${retry ? ` (Retry-After: ${retry})` : ' (no Retry-After header)'}`, { metrics, durationMs: elapsed });
  }
  if (is2xx(last.res)) return loginRateLimit.fail(`a login with a random password for the throwaway user "${username}" → ${statusText(last.res.status)}: wrong credentials are accepted`, { evidence: flow.evidence(last), metrics, durationMs: elapsed, severity: 'critical' });
  const message = `no 429 after ${sent} failed logins in ${formatDuration(elapsed)} (answers: ${tally}): passwords can be guessed without limit`;
  const opts = { evidence: flow.evidence(last), metrics, durationMs: elapsed };
  return rateLimit.required ? loginRateLimit.fail(message, opts) : loginRateLimit.warn(`${message} (set gates.auth.rateLimit.required: true to fail on this)`, opts);
}
