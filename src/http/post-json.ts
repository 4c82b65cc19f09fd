// One JSON POST with deadlines, for senders outside the gates (the webhook notifier), so they need no
// HTTP library of their own. Answers the status; the body is read and dropped.
import { request } from 'undici';

export async function postJson(
  url: string,
  payload: unknown,
  opts: { timeoutMs: number; signalTimeoutMs: number },
): Promise<{ status: number }> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'shipgate' },
    body: JSON.stringify(payload),
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    signal: AbortSignal.timeout(opts.signalTimeoutMs),
  });
  await res.body.dump();
  return { status: res.statusCode };
}
