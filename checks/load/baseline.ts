// The single-connection baseline: each endpoint alone over one connection (all endpoints at the same
// time, each on its own connection) for a short while, after the warm-up, to learn its service time.
import type { Trust } from '../../src/http/trust.js';
import { LoadPhase, type EndpointPlan } from './autocannon-runner.js';
import { EndpointRecorder, type LoadStats } from './stats.js';

export async function measureBaselines(
  plans: EndpointPlan[],
  opts: { durationMs: number; timeoutMs: number; signal: AbortSignal; trust: Trust },
): Promise<Map<string, LoadStats>> {
  const single = plans.map((p) => ({ ...p, connections: 1, rate: undefined, recorder: new EndpointRecorder() }));
  const outcomes = await new LoadPhase(single, {
    durationMs: opts.durationMs,
    timeoutMs: opts.timeoutMs,
    warmup: false,
    signal: opts.signal,
    trust: opts.trust,
  }).run();
  return new Map(outcomes.filter((o) => !o.error).map((o) => [o.plan.name, o.plan.recorder.snapshot()]));
}
