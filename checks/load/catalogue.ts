// The load gate's checks. Thresholds and summaries are recorded once per endpoint (and once for the
// whole run) with stable ids built from these entries:
//   load.threshold.<endpoint>.<metric>   e.g. load.threshold.items.p95, load.threshold.items.errors
//   load.threshold.run.<metric>          whole-run thresholds, e.g. load.threshold.run.rps
//   load.summary.<endpoint> / load.summary.run
// <metric> is the threshold's metric with "." written as "_" (p97_5, p99_9); a second threshold on
// the same metric in the same scope gets "-2", a third "-3" (load.threshold.items.p95-2).
import { defineCheck } from '../../src/check.js';

export const threshold = defineCheck({
  id: 'load.threshold',
  title: 'Load threshold holds',
  severity: 'high',
  rationale:
    'Thresholds turn a load test into a pass/fail decision: latency percentiles, error rate and throughput under the configured load are what users will see at release traffic.',
  remediation:
    'Find the slow or failing path under concurrency: profile the handler (a synchronous CPU loop blocks every request on a Node.js process), check connection-pool sizes and downstream timeouts, add caching for hot list endpoints, and scale out (Node cluster/PM2, more replicas behind nginx). Fix 5xx responses first: errors usually also shorten latency, hiding the real cost.',
  tunedBy: [
    'gates.load.thresholds',
    'gates.load.endpoints[].thresholds',
    'gates.load.connections',
    'gates.load.duration',
    'gates.load.rate',
  ],
});

export const summary = defineCheck({
  id: 'load.summary',
  title: 'Load summary',
  severity: 'info',
  rationale:
    'The numbers behind the thresholds: requests, throughput, latency percentiles, status codes and errors per endpoint, to compare releases.',
  remediation: 'Nothing to fix here; the thresholds judge these numbers.',
  tunedBy: ['gates.load.endpoints', 'gates.load.connections', 'gates.load.duration'],
});

export const run = defineCheck({
  id: 'load.run',
  title: 'Load ran as planned',
  severity: 'high',
  rationale:
    'A load that was cut short (abortOnFail, a target that answers nothing) or could not start is not evidence; it is reported instead of silently judging partial data.',
  remediation:
    'When abortOnFail stopped the load, fix the failing threshold it names (usually 5xx errors under concurrency). When nothing answered, check that the target is up and reachable from where shipgate runs.',
  tunedBy: ['gates.load.thresholds[].abortOnFail', 'gates.load.thresholds[].delayAbortEval', 'timeouts.gate'],
});

export const hosts = defineCheck({
  id: 'load.safety.hosts',
  title: "Load goes only to the profile's own hosts",
  severity: 'critical',
  rationale:
    "Load is a denial-of-service when it hits someone else: shipgate sends it only to the target's host and hosts explicitly allowed.",
  remediation:
    'Point the endpoints at the target (path: /api/items), or, if another host is really yours to load, add its name to gates.load.allowHosts.',
  tunedBy: ['gates.load.endpoints[].url', 'gates.load.allowHosts'],
});

export const production = defineCheck({
  id: 'load.safety.production',
  title: 'No load on production without --allow-load',
  severity: 'critical',
  rationale:
    'A load test on production perturbs real users; a profile marked production takes load only when the person running shipgate says so explicitly.',
  remediation:
    'Run with --allow-load for planned load on production (announce it first), or leave the load gate out: --gates probes,security,auth.',
  tunedBy: ['target.production'],
});

export const tail = defineCheck({
  id: 'load.tail',
  title: 'The latency tail stays with the body',
  severity: 'medium',
  rationale:
    'A p95 threshold passes while every 50th request stalls: p99 far above p95 means one user action in a hundred is slow — a lock, a GC pause, a cold cache, a retry. Recorded per endpoint as load.tail.<endpoint>, with the share of slow requests.',
  remediation:
    'Find what the slow requests share: compare their timing with GC logs (--trace-gc), a periodic job, a connection that reconnects, a cache that expires all at once, or a downstream timeout/retry. Add a p99 threshold once the tail is fixed.',
  tunedBy: ['gates.load.tail.maxRatio', 'gates.load.tail.minExcess', 'gates.load.tail.maxP999', 'gates.load.tail.fail'],
});

export const concurrency = defineCheck({
  id: 'load.concurrency',
  title: 'The endpoint serves its connections at once (no hidden queue)',
  severity: 'high',
  rationale:
    "Little's law: an endpoint answering λ requests per second with a service time S (measured alone, over one connection) is working on λ·S requests at once. Far fewer than the connections offered means the rest queue — behind a pool, a lock or a synchronous section — and latency grows with traffic even when today's p95 passes. Recorded per endpoint as load.concurrency.<endpoint>.",
  remediation:
    'Find the narrow point the requests queue at: a database or HTTP client pool sized below the concurrency you need (pg Pool max, undici connections, knex pool.max), a mutex or a single-flight section, synchronous CPU work or sync I/O (fs.*Sync, crypto.pbkdf2Sync) on the event loop. Size pools to the expected concurrency, move CPU work to worker threads, and scale out.',
  tunedBy: [
    'gates.load.concurrency.baseline',
    'gates.load.concurrency.minShare',
    'gates.load.concurrency.minService',
    'gates.load.connections',
  ],
});

export const catalogue = [threshold, summary, run, hosts, production, tail, concurrency];
