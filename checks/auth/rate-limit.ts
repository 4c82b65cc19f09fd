// auth.login-rate-limit: a bounded burst of failed logins for a throwaway username, only to the
// profile's host, then — once the limiter answered 429 — one more failed login per client-IP header
// (X-Forwarded-For, X-Real-IP, Forwarded), each claiming a new address: a limiter that lets one of those
// through keys on what the client says, and is no limit. It runs after every other gate (afterAll): a
// limiter keyed on the client's address would otherwise lock out the realtime or load gate.
//
// The burst leaves in waves of concurrent requests (a guesser does not wait either), so on a distant
// target it costs a few round trips rather than one per attempt.
import { formatDuration } from '../../src/duration.js';
import type { CheckResult } from '../../src/result.js';
import { loginRateLimit } from './catalogue.js';
import { endpointName, is2xx, randomId, shown, statusText, type AuthFlow, type Call } from './flow.js';

/** Requests of one wave in flight at once. */
const WAVE = 25;

/** A documentation address (RFC 5737) per attempt: never a real client's. */
function spoofedAddress(): string {
  const nets = ['192.0.2', '198.51.100', '203.0.113'];
  return `${nets[Math.floor(Math.random() * nets.length)]}.${1 + Math.floor(Math.random() * 254)}`;
}

function claimAddress(header: string, address: string): Record<string, string> {
  return { [header]: header.toLowerCase() === 'forwarded' ? `for=${address}` : address };
}

export async function checkRateLimit(flow: AuthFlow): Promise<CheckResult> {
  const { rateLimit, login } = flow.config;
  const { ctx } = flow;
  if (!rateLimit.enabled) return loginRateLimit.skip('disabled (gates.auth.rateLimit.enabled: false)');
  if (ctx.suite && rateLimit.skipInSuites.includes(ctx.suite)) {
    return loginRateLimit.skip(
      `not sent in suite "${ctx.suite}": an address-keyed limiter would still block the next scheduled run (gates.auth.rateLimit.skipInSuites)`,
    );
  }
  const url = ctx.http.resolve(login.path);
  if (url.origin !== ctx.baseUrl.origin)
    return loginRateLimit.error(`the login URL ${url.origin} is not the profile's host ${ctx.baseUrl.origin}; no burst sent`);
  const username = rateLimit.username.split('{random}').join(randomId());
  const where = endpointName(login);
  const started = performance.now();
  ctx.progress(
    `rate limit: up to ${rateLimit.attempts} failed logins for "${username}" within ${formatDuration(rateLimit.within)}`,
  );
  const { answers, tally } = await sendBurst(flow, username, started + rateLimit.within);
  const elapsed = performance.now() - started;
  const sent = answers.length;
  const metrics = { attempts: sent };
  if (sent === 0) return loginRateLimit.error('no attempt was sent (the gate was interrupted)');
  const accepted = answers.find((c) => is2xx(c.res));
  if (accepted)
    return loginRateLimit.fail(
      `a login with a random password for the throwaway user "${username}" → ${statusText(accepted.res!.status)}: wrong credentials are accepted`,
      { evidence: flow.evidence(accepted), metrics, durationMs: elapsed, severity: 'critical' },
    );
  const limited = answers.find((c) => c.res?.status === 429);
  if (!limited) {
    const broken = answers.find((c) => !c.res);
    if (broken)
      return loginRateLimit.error(
        `attempt ${answers.indexOf(broken) + 1} to ${where}: ${broken.error} (answers so far: ${tally})`,
        { evidence: flow.evidence(broken), metrics },
      );
    const message = `no 429 after ${sent} failed logins in ${formatDuration(elapsed)} (answers: ${tally}): passwords can be guessed without limit`;
    const opts = { evidence: flow.evidence(answers[answers.length - 1]), metrics, durationMs: elapsed };
    return rateLimit.required
      ? loginRateLimit.fail(message, opts)
      : loginRateLimit.warn(`${message} (required: false makes this only a warning)`, opts);
  }
  const before = answers.filter((c) => c.res && c.res.status !== 429).length;
  const retryHeader = limited.res!.headers['retry-after'];
  const retry = retryHeader === undefined ? undefined : shown(retryHeader, 40);
  const tripped = `${where} → 429 after ${before} failed logins for a throwaway user in ${formatDuration(elapsed)}${retry ? ` (Retry-After: ${retry})` : ' (no Retry-After header)'}`;

  // The limiter holds for this client: does it still hold when the client claims another address?
  return checkSpoofedAddresses(flow, username, { tripped, retry, metrics, started });
}

/** Failed logins in waves until the limiter answers 429, one is accepted, the attempts run out or the deadline passes. */
async function sendBurst(flow: AuthFlow, username: string, deadline: number): Promise<{ answers: Call[]; tally: string }> {
  const { rateLimit } = flow.config;
  const counts = new Map<string, number>();
  const attempt = () => flow.login(username, `shipgate-wrong-${randomId(9)}`);
  let answers: Call[] = [];
  while (answers.length < rateLimit.attempts && performance.now() < deadline && !flow.ctx.signal.aborted) {
    const wave = await Promise.all(Array.from({ length: Math.min(WAVE, rateLimit.attempts - answers.length) }, attempt));
    answers = answers.concat(wave);
    for (const c of wave) {
      const key = c.res ? String(c.res.status) : 'no response';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    if (wave.some((c) => !c.res || c.res.status === 429 || is2xx(c.res))) break;
  }
  return { answers, tally: [...counts].map(([k, n]) => `${k} ×${n}`).join(', ') };
}

/** One more failed login per client-IP header, each claiming a new address: any answer but 429 escaped the limit. */
async function checkSpoofedAddresses(
  flow: AuthFlow,
  username: string,
  limit: { tripped: string; retry: string | undefined; metrics: { attempts: number }; started: number },
): Promise<CheckResult> {
  const { rateLimit, login } = flow.config;
  const { tripped, retry, metrics } = limit;
  const spoofs = await Promise.all(
    rateLimit.clientIpHeaders.map(async (header) => {
      const claimed = claimAddress(header, spoofedAddress());
      return {
        header,
        claimed,
        call: await flow.call(login.method, login.path, {
          headers: { ...login.headers, ...claimed },
          body: flow.loginBody(username, `shipgate-wrong-${randomId(9)}`),
        }),
      };
    }),
  );
  const durationMs = performance.now() - limit.started;
  const escaped = spoofs.filter((s) => s.call.res && s.call.res.status !== 429);
  if (escaped.length) {
    const first = escaped[0];
    const list = escaped
      .map(
        (s) =>
          `${Object.entries(s.claimed)
            .map(([k, v]) => `${k}: ${v}`)
            .join('')} → ${flow.outcome(s.call)}`,
      )
      .join('; ');
    return loginRateLimit.fail(
      `${tripped}, but the same client escapes the limit by claiming another address: ${list}. The limiter keys on a client-IP header the client chooses (a proxy trust misconfiguration), so each guess can claim a new address`,
      {
        evidence: flow.evidence(first.call, {
          sentHeader: first.claimed,
          limitedWithoutIt: `${statusText(429)}${retry ? ` (Retry-After: ${retry})` : ''}`,
        }),
        metrics: { ...metrics, escapedWith: escaped.length },
        durationMs,
      },
    );
  }
  const checked = spoofs.length ? `; still 429 when claiming another address with ${spoofs.map((s) => s.header).join(', ')}` : '';
  return loginRateLimit.pass(`${tripped}${checked}`, { metrics, durationMs });
}
