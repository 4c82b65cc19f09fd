import { z } from 'zod';
import { duration, httpUrl, urlPath } from '../../src/profile/fields.js';
import { formatDuration } from '../../src/duration.js';
import { compileThreshold, ThresholdError, type Threshold } from '../../src/lang/thresholds.js';

/** Hard ceilings the profile can raise its caps to, and no further. */
export const HARD_MAX_DURATION_MS = 10 * 60_000;
export const HARD_MAX_CONNECTIONS = 1000;
/** Whole-run thresholds are reported under this scope; no endpoint may take the name. */
export const RUN_SCOPE = 'run';

// No HEAD: autocannon's HTTP parser then waits for the body that Content-Length announces, and every
// request times out.
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const expression = z
  .string({ error: (iss) => `expected a threshold like "p95 < 200ms", got ${typeof iss.input}` })
  .transform((s, ctx) => {
    try {
      return compileThreshold(s);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof ThresholdError ? err.message : String(err), input: s });
      return z.NEVER;
    }
  });

export type LoadThreshold = Threshold & {
  /** Stop the whole load early when this threshold fails during the run (k6's abortOnFail). */
  abortOnFail: boolean;
  /** Do not judge abortOnFail before this much of the measured load has run (k6's delayAbortEval). */
  delayAbortEvalMs: number;
};

const thresholdObject = z
  .strictObject({
    threshold: expression.describe('The expression, e.g. "errors < 10%"'),
    abortOnFail: z.boolean().default(false).describe('Stop the load as soon as this threshold fails (after delayAbortEval)'),
    delayAbortEval: duration()
      .default(0)
      .describe('Grace period before abortOnFail is judged, so a cold start does not abort the run'),
  })
  .transform((o): LoadThreshold => ({ ...o.threshold, abortOnFail: o.abortOnFail, delayAbortEvalMs: o.delayAbortEval }));

const threshold = z.union([
  expression.transform((t): LoadThreshold => ({ ...t, abortOnFail: false, delayAbortEvalMs: 0 })),
  thresholdObject,
]);

const thresholds = (what: string) =>
  z
    .array(threshold)
    .default([])
    .describe(
      `Thresholds ${what}: "p95 < 200ms", "errors < 1%", "rps > 500", "timeouts == 0", or {threshold, abortOnFail, delayAbortEval}`,
    );

const endpoint = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, {
        error: 'expected a short lower-case name like "items" (letters, digits, - and _), used in check ids',
      })
      .optional()
      .describe('Name used in check ids (load.threshold.<name>.<metric>); default: derived from the path'),
    method: z
      .string()
      .refine((m): m is (typeof METHODS)[number] => (METHODS as readonly string[]).includes(m), {
        error: (iss) =>
          iss.input === 'HEAD'
            ? 'HEAD cannot be load-tested with autocannon (it waits for the body Content-Length announces, and every request times out); use GET'
            : `expected one of ${METHODS.join(', ')}, got ${JSON.stringify(iss.input)}`,
      })
      .transform((m) => m as (typeof METHODS)[number])
      .default('GET')
      .describe('HTTP method'),
    path: urlPath().optional().describe("Path on the profile's target, e.g. /api/items"),
    url: httpUrl().optional().describe("Absolute URL instead of path; its host must be the target's or listed in allowHosts"),
    headers: z.record(z.string(), z.string()).default({}).describe('Request headers (on top of target.headers)'),
    body: z
      .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
      .optional()
      .describe('Request body; a mapping or list is sent as JSON'),
    auth: z.boolean().default(false).describe("Send the auth gate's access token as Authorization: Bearer"),
    connections: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Concurrent connections for this endpoint (default: the section's connections)"),
    rate: z.number().int().min(1).optional().describe("Requests per second for this endpoint (default: the section's rate)"),
    thresholds: thresholds('for this endpoint'),
  })
  .superRefine((e, ctx) => {
    if ((e.path === undefined) === (e.url === undefined))
      ctx.addIssue({ code: 'custom', path: ['path'], message: 'give exactly one of path (on the target) or url (absolute)' });
  })
  .transform((e) => ({ ...e, name: e.name ?? nameFrom(e.path ?? new URL(e.url!).pathname), target: (e.path ?? e.url)! }));

/** "/api/items" → "api-items"; "/" → "root". */
export function nameFrom(path: string): string {
  const slug = path
    .toLowerCase()
    .split('?')[0]
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'root';
}

const concurrencySchema = z
  .strictObject({
    baseline: duration()
      .refine((ms) => ms <= 10_000, { error: 'the baseline runs at most 10s' })
      .default(1000)
      .describe(
        'Single-connection baseline per endpoint, run after the warm-up, for its service time; 0 turns load.concurrency.* off',
      ),
    minShare: z
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe(
        "load.concurrency.<endpoint> fails when the requests served at once (throughput × baseline service time, Little's law) fall below this share of the connections",
      ),
    minService: duration()
      .default(5)
      .describe(
        'Judged only when the median request alone takes at least this long: below it, queueing is CPU saturation of a fast handler, which the thresholds judge',
      ),
  })
  .prefault({})
  .describe('Hidden queueing: how many requests each endpoint really serves at once');

const tailSchema = z
  .strictObject({
    maxRatio: z.number().gt(1).default(4).describe('load.tail.<endpoint> warns when p99 exceeds this many times p95…'),
    minExcess: duration().default(50).describe('…and lies at least this far above p95 (a few ms of jitter is no tail)'),
    maxP999: duration().optional().describe('Also warn when p99.9 exceeds this'),
    fail: z.boolean().default(false).describe('Fail instead of warn when the tail departs from the body'),
  })
  .prefault({})
  .describe('The latency tail judged against the body, whatever the thresholds say');

export const loadSchema = z
  .strictObject({
    endpoints: z
      .array(endpoint)
      .refine((list) => list.length > 0, { error: 'list at least one endpoint to load, e.g. [{path: /api/items}]' })
      .describe('The endpoints to load; all of them run at the same time, each with its own connections'),
    connections: z.number().int().min(1).default(10).describe('Concurrent connections per endpoint'),
    duration: duration().default(10_000).describe('How long the measured load runs (after the warm-up)'),
    amount: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Stop each endpoint after this many requests instead of after duration (duration still caps it)'),
    rate: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Requests per second per endpoint (autocannon overallRate); latencies are corrected for coordinated omission'),
    warmup: duration().default(1000).describe('Warm-up load before the measured load; not counted'),
    timeout: duration()
      .optional()
      .describe('Per-request timeout (default: timeouts.request); a timed-out request counts as an error and a timeout'),
    thresholds: thresholds('over the whole run (all endpoints together)'),
    concurrency: concurrencySchema,
    tail: tailSchema,
    allowHosts: z
      .array(z.string().min(1))
      .default([])
      .describe("Hosts besides the target's own that endpoints may load (host names, e.g. api.example.com)"),
    maxDuration: duration()
      .refine((ms) => ms <= HARD_MAX_DURATION_MS, {
        error: `the duration cap may be raised to at most ${formatDuration(HARD_MAX_DURATION_MS)}`,
      })
      .default(60_000)
      .describe('Safety cap on warm-up + duration (at most 10m)'),
    maxConnections: z
      .number()
      .int()
      .min(1)
      .max(HARD_MAX_CONNECTIONS, { error: `the connection cap may be raised to at most ${HARD_MAX_CONNECTIONS}` })
      .default(200)
      .describe('Safety cap on the connections of all endpoints together'),
  })
  .superRefine((c, ctx) => {
    if (c.warmup + c.duration > c.maxDuration) {
      ctx.addIssue({
        code: 'custom',
        path: ['duration'],
        message: `warm-up ${formatDuration(c.warmup)} + duration ${formatDuration(c.duration)} exceeds the safety cap maxDuration (${formatDuration(c.maxDuration)}); shorten it or raise gates.load.maxDuration (at most ${formatDuration(HARD_MAX_DURATION_MS)})`,
      });
    }
    const total = c.endpoints.reduce((n, e) => n + (e.connections ?? c.connections), 0);
    if (total > c.maxConnections) {
      const at = c.endpoints.findIndex((e) => e.connections !== undefined && e.connections > c.maxConnections);
      ctx.addIssue({
        code: 'custom',
        path: at >= 0 ? ['endpoints', at, 'connections'] : ['connections'],
        message: `${total} connections in all (${c.endpoints.length} endpoint${c.endpoints.length > 1 ? 's' : ''} run at once) exceed the safety cap maxConnections (${c.maxConnections}); lower them or raise gates.load.maxConnections (at most ${HARD_MAX_CONNECTIONS})`,
      });
    }
    const seen = new Map<string, number>();
    c.endpoints.forEach((e, i) => {
      if (e.name === RUN_SCOPE)
        ctx.addIssue({
          code: 'custom',
          path: ['endpoints', i, 'name'],
          message: `"${RUN_SCOPE}" is reserved for the whole-run thresholds; choose another name`,
        });
      const first = seen.get(e.name);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['endpoints', i],
          message: `two endpoints are named "${e.name}" (the other is endpoints[${first}]); give them distinct names with name:`,
        });
      else seen.set(e.name, i);
      const connections = e.connections ?? c.connections;
      if (c.amount !== undefined && c.amount < connections)
        ctx.addIssue({
          code: 'custom',
          path: ['amount'],
          message: `amount ${c.amount} is less than the ${connections} connections of endpoint "${e.name}"; every connection needs at least one request`,
        });
    });
  })
  .describe('Load: autocannon drives the endpoints, thresholds decide; capped in duration, connections and hosts');

export type LoadConfig = z.output<typeof loadSchema>;
export type LoadEndpoint = LoadConfig['endpoints'][number];
