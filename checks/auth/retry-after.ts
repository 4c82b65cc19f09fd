// A login answered 429 is not a broken login: an address-keyed limiter may still be counting the burst of
// failed logins a previous run sent (auth.login-rate-limit). Wait when the limiter says the wait is short
// and the gate's deadline allows it; otherwise say so, and let the caller report "could not decide".
import { setTimeout as sleep } from 'node:timers/promises';
import { formatDuration } from '../../src/duration.js';
import type { HttpResponse } from '../../src/http/client.js';
import { endpointName, shown, type AuthFlow, type Call } from './flow.js';

/** The longest Retry-After a login waits out; beyond it the run reports the lockout instead of waiting. */
export const MAX_LOGIN_WAIT_MS = 10_000;

/** Retry-After in milliseconds (delta-seconds or an HTTP-date), or undefined when absent or unreadable. */
export function retryAfterMs(res: HttpResponse, now = Date.now()): number | undefined {
  const value = res.headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function isRateLimited(call: Call): boolean {
  return call.res?.status === 429;
}

/** A login that waits out one short 429 (the answer is the retry's). */
export async function loginPatiently(flow: AuthFlow, username: string, password: string): Promise<Call> {
  const first = await flow.login(username, password);
  if (!isRateLimited(first)) return first;
  const wait = retryAfterMs(first.res!);
  const { ctx } = flow;
  const fits = wait !== undefined && wait <= MAX_LOGIN_WAIT_MS && Date.now() + wait + ctx.requestTimeoutMs < ctx.deadline;
  if (!fits) return first;
  ctx.progress(`login rate-limited (429); waiting ${formatDuration(wait)} as Retry-After asks`);
  await sleep(wait, undefined, { signal: ctx.signal }).catch(() => {});
  if (ctx.signal.aborted) return first;
  const second = await flow.login(username, password);
  return { ...second, waitedMs: wait };
}

/** Why a 429 login is not judged as the target's failure, for messages. */
export function rateLimitedReason(flow: AuthFlow, call: Call): string {
  const wait = call.res ? retryAfterMs(call.res) : undefined;
  const header = call.res?.headers['retry-after'];
  const retry = header === undefined ? 'no Retry-After' : `Retry-After: ${shown(header, 40)}`;
  const why =
    wait === undefined
      ? 'so shipgate cannot tell how long to wait'
      : wait > MAX_LOGIN_WAIT_MS
        ? `longer than the ${formatDuration(MAX_LOGIN_WAIT_MS)} shipgate waits`
        : 'longer than the gate deadline leaves';
  return `${endpointName(flow.config.login)} → 429 Too Many Requests (${retry}, ${why}): this client is rate-limited, most likely still by the burst of failed logins of a previous run (auth.login-rate-limit), so the login was not judged; run again after the wait, or key the limiter on (client, username) so a burst against a throwaway name locks out nobody`;
}
