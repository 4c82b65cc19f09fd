// The profile's shape: a common part plus each gate's own section, exported by checks/<gate>/schema.ts.
import { z } from 'zod';
import { GATES } from '../gates/registry.js';
import { describe, duration, httpUrl } from './fields.js';
import { retriesSchema, suitesSchema, waiversSchema } from './extras.js';
import { targetStartSchema } from './target-start.js';
import { targetProxySchema, targetTlsSchema } from './target-tls.js';

// A run parses one profile once: zod's compiled fast path (code generated with new Function on first
// use) costs more to build than it saves, about 30 ms of CPU at every start.
z.config({ jitless: true });

const reportSchema = z
  .strictObject({
    junit: z.string().optional().describe('Path of the JUnit XML report'),
    md: z.string().optional().describe('Path of the Markdown summary'),
    json: z.string().optional().describe('Path of the JSON report (schemaVersion 1)'),
    html: z.string().optional().describe('Path of the self-contained HTML report'),
  })
  .describe('Reports written on every run, in addition to --reporter options');

const targetSchema = z
  .strictObject({
    baseUrl: httpUrl().describe('Where the deployment answers, e.g. https://staging.example.com'),
    headers: z
      .record(z.string(), z.string())
      .default({})
      .describe('Headers sent with every request (use ${secret:NAME} for tokens)'),
    production: z
      .boolean()
      .default(false)
      .describe('Marks a production target: the load gate refuses to run without --allow-load'),
    start: targetStartSchema.optional(),
    tls: targetTlsSchema.optional(),
    proxy: targetProxySchema.optional(),
  })
  .describe('The deployment under test');

const timeoutsSchema = z
  .strictObject({
    request: duration().default(10_000).describe('Deadline of a single HTTP request'),
    gate: duration().default(180_000).describe('Deadline of one gate'),
    run: duration().default(900_000).describe('Deadline of the whole run'),
  })
  .describe('Deadlines; nothing waits longer than these');

function gatesSchema() {
  const shape: Record<string, z.ZodType> = {};
  // Absent means the gate does not run: a bare `probes:` (null) means "with defaults". A plain .optional()
  // would not do: zod 4 fills an optional schema's prefault in even when the key is absent.
  for (const g of GATES)
    shape[g.id] = z
      .preprocess((v) => (v === null ? {} : v), g.schema)
      .optional()
      .describe(g.description);
  return z.strictObject(shape).describe('The gates to run; a gate runs when its section is present');
}

export function buildProfileSchema() {
  return z
    .strictObject({
      $schema: z.string().optional(),
      name: z
        .string({ error: (iss) => `expected a name for this profile, e.g. "staging", got ${describe(iss.input)}` })
        .min(1, { error: 'expected a name for this profile, e.g. "staging", got ""' }),
      description: z.string().optional(),
      target: targetSchema,
      timeouts: timeoutsSchema.default({ request: 10_000, gate: 180_000, run: 900_000 }),
      report: reportSchema.default({}),
      gates: gatesSchema(),
      suites: suitesSchema.optional(),
      waivers: waiversSchema.optional(),
      retries: retriesSchema.optional(),
    })
    .superRefine((p, ctx) => {
      // A suite may only name configured gates, and a non-destructive one no destructive gate.
      for (const [name, suite] of Object.entries(p.suites ?? {})) {
        if (!suite || !Array.isArray(suite.gates)) continue; // "all", or already reported as invalid
        suite.gates.forEach((id, i) => {
          const path = ['suites', name, ...(suite.short ? [] : ['gates']), i];
          if ((p.gates as Record<string, unknown>)[id] === undefined)
            ctx.addIssue({
              code: 'custom',
              path,
              message: `gate "${id}" is not configured in this profile (add a gates.${id} section)`,
              input: id,
            });
          const entry = GATES.find((g) => g.id === id);
          if (suite.nonDestructive && entry?.destructive)
            ctx.addIssue({
              code: 'custom',
              path,
              message: `suite "${name}" is non-destructive but gate "${id}" ${entry.destructive}`,
              input: id,
            });
        });
      }
    });
}

let cached: ReturnType<typeof buildProfileSchema> | undefined;
export function profileSchema() {
  return (cached ??= buildProfileSchema());
}

export type Profile = z.output<ReturnType<typeof buildProfileSchema>>;
