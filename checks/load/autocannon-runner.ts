// Drives autocannon: one instance per endpoint, all at once, through its programmatic API.
// autocannon is imported here, lazily, so `--help` and `validate` never load it.
import type { Instance, Options, Result } from 'autocannon';
import { startForwarder, needsForwarder, type Forwarder } from '../../src/http/forwarder.js';
import { DEFAULT_TRUST, type Trust } from '../../src/http/trust.js';
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
  /**
   * The run's trust: https and proxied targets are reached through a verifying forwarder (autocannon cannot
   * verify). Required, so no phase can reach the target around it.
   */
  trust: Trust;
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
    const cap = this.opts.amount
      ? setTimeout(
          () => this.stop(`stopped at the duration cap before ${this.opts.amount} requests were sent`),
          this.opts.durationMs,
        )
      : undefined;
    const forwarders = new Map<string, Promise<Forwarder>>();
    try {
      return await Promise.all(
        this.plans.map(async (plan) => {
          const target = await this.reach(plan, forwarders);
          return 'error' in target ? { plan, error: target.error } : { ...(await this.runOne(autocannon, target.plan)), plan };
        }),
      );
    } finally {
      clearTimeout(cap);
      signal.removeEventListener('abort', onAbort);
      await Promise.all(
        [...forwarders.values()].map((f) =>
          f.then(
            (x) => x.close(),
            () => {},
          ),
        ),
      );
    }
  }

  /**
   * autocannon connects to https with rejectUnauthorized: false, hard-coded, and cannot use a proxy: such a
   * plan goes to a loopback forwarder that verifies TLS with the run's trust (and tunnels through the proxy),
   * with the Host header of the real target. An untrusted certificate refuses the load, like every client.
   */
  private async reach(
    plan: EndpointPlan,
    forwarders: Map<string, Promise<Forwarder>>,
  ): Promise<{ plan: EndpointPlan } | { error: string }> {
    const trust = this.opts.trust ?? DEFAULT_TRUST;
    const url = new URL(plan.url);
    if (!needsForwarder(url, trust)) return { plan };
    let forwarder = forwarders.get(url.origin);
    if (!forwarder) {
      forwarder = startForwarder(url, trust, this.opts.timeoutMs);
      forwarder.catch(() => {});
      forwarders.set(url.origin, forwarder);
    }
    try {
      const { origin } = await forwarder;
      return { plan: { ...plan, url: `${origin}${url.pathname}${url.search}`, headers: { host: url.host, ...plan.headers } } };
    } catch (err) {
      return { error: `load refused: ${(err as Error).message}` };
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
