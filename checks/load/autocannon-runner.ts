// Drives autocannon: one instance per endpoint, all at once, through its programmatic API.
// autocannon is imported here, lazily, so `--help` and `validate` never load it.
import type { Instance, Options, Result } from 'autocannon';
import type { EndpointRecorder } from './stats.js';

export interface EndpointPlan {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  connections: number;
  rate?: number;
  recorder: EndpointRecorder;
}

export interface PhaseOptions {
  /** How long the phase runs; with `amount`, a cap instead. */
  durationMs: number;
  amount?: number;
  timeoutMs: number;
  /** Warm-up: traffic that is not counted. */
  warmup: boolean;
  signal: AbortSignal;
}

export interface PhaseOutcome {
  plan: EndpointPlan;
  result?: Result;
  /** autocannon refused to start or failed while running. */
  error?: string;
}

/** autocannon emits this message for a request that outlived `timeout`. */
const TIMEOUT_MESSAGE = 'request timed out';

type Autocannon = (opts: Options, cb: (err: unknown, result: Result) => void) => Instance;

let loaded: Autocannon | undefined;
async function load(): Promise<Autocannon> {
  if (!loaded) {
    const { default: autocannon } = await import('autocannon');
    loaded = autocannon as unknown as Autocannon;
  }
  return loaded;
}

export class LoadPhase {
  private instances: Instance[] = [];
  private stopped = false;
  stopReason?: string;

  constructor(
    private readonly plans: EndpointPlan[],
    private readonly opts: PhaseOptions,
  ) {}

  /** Stops every endpoint; autocannon finishes within one sample interval (100 ms). */
  stop(reason?: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stopReason ??= reason;
    for (const i of this.instances) i.stop();
  }

  async run(): Promise<PhaseOutcome[]> {
    const autocannon = await load();
    const { signal } = this.opts;
    const onAbort = () => this.stop(String(signal.reason?.message ?? signal.reason ?? 'aborted'));
    if (signal.aborted) return this.plans.map((plan) => ({ plan, error: 'aborted before the load started' }));
    signal.addEventListener('abort', onAbort, { once: true });
    // With `amount`, autocannon ignores duration; our own timer keeps the cap.
    const cap = this.opts.amount ? setTimeout(() => this.stop(`stopped at the duration cap before ${this.opts.amount} requests were sent`), this.opts.durationMs) : undefined;
    try {
      return await Promise.all(this.plans.map((plan) => this.runOne(autocannon, plan)));
    } finally {
      clearTimeout(cap);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private runOne(autocannon: Autocannon, plan: EndpointPlan): Promise<PhaseOutcome> {
    const { recorder } = plan;
    const measure = !this.opts.warmup;
    return new Promise((resolve) => {
      const options: Options = {
        url: plan.url,
        method: plan.method as Options['method'],
        headers: plan.headers,
        body: plan.body,
        connections: plan.connections,
        duration: this.opts.durationMs / 1000,
        amount: this.opts.amount,
        // autocannon's own correction back-fills with a 1 ms interval (ceil(1/rate)); we correct ourselves.
        ...(plan.rate ? { overallRate: plan.rate, ignoreCoordinatedOmission: true } : {}),
        timeout: this.opts.timeoutMs / 1000,
        // A short sample interval so stop() and the end of the duration take effect within 100 ms.
        sampleInt: 100,
      };
      let instance: Instance;
      try {
        instance = autocannon(options, (err, result) => {
          if (measure) recorder.finishedAt = performance.now();
          if (err) return resolve({ plan, error: (err as Error)?.message ?? String(err) });
          if (measure) {
            // autocannon's own counters are authoritative for errors and timeouts.
            recorder.transportErrors = result.errors;
            recorder.timeouts = result.timeouts;
          }
          resolve({ plan, result });
        });
      } catch (err) {
        return resolve({ plan, error: (err as Error)?.message ?? String(err) });
      }
      if (measure) {
        recorder.startedAt = performance.now();
        instance.on('response', (_client, status, _bytes, ms) => recorder.onResponse(status, ms));
        instance.on('reqError', (err: Error) => recorder.onError(err?.message === TIMEOUT_MESSAGE));
      }
      this.instances.push(instance);
      if (this.stopped) instance.stop();
    });
  }
}
