// Notifications for scheduled runs: POST a compact JSON summary, with a Slack-compatible `text`,
// when the run fails or its verdict changed since the baseline (configurable with --notify).
import { countByStatus, type RunResult } from '../result.js';
import type { Trust } from '../http/trust.js';
import type { Reporter } from './reporter.js';
import { slack } from './escape.js';

export type NotifyWhen = 'always' | 'failure' | 'change' | 'failure-or-change';

export interface WebhookPayload {
  text: string;
  verdict: RunResult['verdict'];
  previousVerdict?: string;
  profile: string;
  target: string;
  startedAt: string;
  durationMs: number;
  counts: Record<string, number>;
  failing: { id: string; status: string; message: string }[];
}

export function shouldNotify(result: RunResult, when: NotifyWhen): boolean {
  const previous = result.baseline?.baseline.verdict;
  const failed = result.verdict !== 'pass';
  const changed = previous !== undefined && previous !== result.verdict;
  if (when === 'always') return true;
  if (when === 'failure') return failed;
  if (when === 'change') return changed;
  return failed || changed;
}

export function webhookPayload(result: RunResult): WebhookPayload {
  const checks = result.gates.flatMap((g) => g.checks);
  const failing = checks.filter((c) => c.status === 'fail' || c.status === 'error').slice(0, 10);
  const previous = result.baseline?.baseline.verdict;
  const icon = result.verdict === 'pass' ? ':white_check_mark:' : result.verdict === 'fail' ? ':x:' : ':boom:';
  const head = `${icon} shipgate ${result.verdict.toUpperCase()} — ${result.profile.name} (${result.target.baseUrl})${previous && previous !== result.verdict ? `, was ${previous}` : ''}`;
  // Target text is inert in Slack too: no <https://…|link>, <!channel> or mention from a message.
  const lines = failing.map((c) => `• \`${slack(c.id)}\` ${slack(c.message)}`);
  const more = checks.filter((c) => c.status === 'fail' || c.status === 'error').length - failing.length;
  return {
    text: [head, ...lines, ...(more > 0 ? [`… and ${more} more`] : [])].join('\n'),
    verdict: result.verdict,
    ...(previous ? { previousVerdict: previous } : {}),
    profile: result.profile.name,
    target: result.target.baseUrl,
    startedAt: result.startedAt,
    durationMs: Math.round(result.durationMs),
    counts: countByStatus(checks),
    failing: failing.map((c) => ({ id: c.id, status: c.status, message: c.message })),
  };
}

/** The URL is often a secret (Slack webhooks): only its origin is ever printed. */
export function describeWebhook(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(invalid URL)';
  }
}

/** `trust`: the run's CA and proxy for the webhook's host (trustBeyondTarget), read when it posts. */
export function webhookReporter(url: string, when: NotifyWhen = 'failure-or-change', trust?: () => Trust): Reporter {
  return {
    name: `webhook=${describeWebhook(url)}`,
    async onEnd(result) {
      if (!shouldNotify(result, when)) return;
      // Loaded here: every run imports the reporters, few post to a webhook.
      const { postJson } = await import('../http/post-json.js');
      const res = await postJson(url, webhookPayload(result), {
        timeoutMs: 10_000,
        signalTimeoutMs: 15_000,
        trust: trust?.(),
      });
      if (res.status >= 300) throw new Error(`the webhook at ${describeWebhook(url)} answered ${res.status}`);
    },
  };
}
