// Waivers: a failure someone accepted, until a date. A waived check is reported as `waived` (visible,
// with its reason and owner) and does not fail the run; an expired waiver fails the run, naming it.
import type { Waiver } from '../profile/extras.js';
import { gateStatus, verdictOf, type CheckResult, type GateResult, type RunResult } from '../result.js';

const WAIVABLE = new Set(['fail', 'warn', 'error', 'flaky']);

function matches(w: Waiver, id: string): boolean {
  return w.check.endsWith('.*') ? id.startsWith(w.check.slice(0, -1)) : id === w.check || id.startsWith(`${w.check}.`);
}

/** Today's date (YYYY-MM-DD, UTC); a waiver is valid through its `until` day. */
function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function applyWaivers(result: RunResult, waivers: Waiver[] | undefined, now = new Date()): RunResult {
  if (!waivers?.length) return result;
  const expired = waivers.filter((w) => w.until < today(now));
  const active = waivers.filter((w) => w.until >= today(now));
  const gates: GateResult[] = result.gates.map((g) => {
    const checks = g.checks.map((c): CheckResult => {
      const w = active.find((x) => matches(x, c.id));
      if (!w || !WAIVABLE.has(c.status)) return c;
      return { ...c, status: 'waived', waiver: { reason: w.reason, until: w.until, owner: w.owner, originalStatus: c.status } };
    });
    return { ...g, checks, status: g.checks.length ? gateStatus(checks) : g.status };
  });
  if (expired.length) {
    const checks: CheckResult[] = expired.map((w) => ({
      id: 'waivers.expired',
      title: `Waiver for ${w.check} is current`,
      status: 'fail',
      severity: 'high',
      message: `the waiver for ${w.check}${w.owner ? ` (owner ${w.owner})` : ''} expired on ${w.until}: "${w.reason}"`,
      remediation: `Fix ${w.check}, or renew the waiver with a new "until" date after deciding again.`,
      durationMs: 0,
    }));
    gates.push({ id: 'waivers', title: 'Waivers', status: 'fail', durationMs: 0, checks });
  }
  const verdict = result.interrupted ? result.verdict : verdictOf(gates, result.failOn);
  return { ...result, gates, verdict };
}
