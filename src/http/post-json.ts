// One JSON POST with deadlines, for senders outside the gates (the webhook notifier), so they need no
// HTTP library of their own: through the run's trust (CA, proxy) and worded like every other client's
// failure. Answers the status; the body is read and dropped.
import { toHttpError } from './errors.js';
import { newDispatcher } from './dispatcher.js';
import { DEFAULT_TRUST, type Trust } from './trust.js';

export async function postJson(
  url: string,
  payload: unknown,
  opts: { timeoutMs: number; signalTimeoutMs: number; trust?: Trust },
): Promise<{ status: number }> {
  const undici = await import('undici');
  const dispatcher = newDispatcher(undici, opts.trust ?? DEFAULT_TRUST, { connect: { timeout: opts.timeoutMs } });
  try {
    const res = await undici.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'shipgate' },
      body: JSON.stringify(payload),
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      signal: AbortSignal.timeout(opts.signalTimeoutMs),
      dispatcher,
    });
    await res.body.dump();
    return { status: res.statusCode };
  } catch (err) {
    throw toHttpError(err, new URL(url), opts.timeoutMs, (err as Error)?.name === 'TimeoutError');
  } finally {
    await dispatcher.destroy().catch(() => {});
  }
}
