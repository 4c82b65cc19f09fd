// The JSON report's schema: the contract `merge`, `--baseline` and every consumer read. Written in zod
// so the same text validates what shipgate reads and exports schema/report.schema.json (npm run docs).
// A change that breaks readers raises schemaVersion.
import { z } from 'zod';
import type { ChartSpec } from '../result.js';

const status = z.enum(['pass', 'fail', 'warn', 'skip', 'error', 'waived', 'flaky']);
const verdict = z.enum(['pass', 'fail', 'error']);
const point = z.object({ x: z.number(), y: z.number() });

/** A chart as data: a gate records it, the HTML reporter draws any spec without knowing the gate. */
export const chartSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('line'),
    /** Specs with the same id in one gate are drawn as one chart (series and rules together). */
    id: z.string(),
    title: z.string(),
    xLabel: z.string(),
    yLabel: z.string(),
    series: z.array(z.object({ label: z.string(), points: z.array(point) })),
    rules: z.array(z.object({ label: z.string(), y: z.number() })).optional(),
    xTicks: z.array(z.object({ x: z.number(), label: z.string() })).optional(),
  }),
  z.object({
    kind: z.literal('bars'),
    id: z.string(),
    title: z.string(),
    bars: z.array(z.object({ label: z.string(), value: z.number() })),
  }),
  z.object({ kind: z.literal('grade'), id: z.string(), grade: z.string(), score: z.number(), status }),
]);

const evidence = z.object({
  request: z.string().optional(),
  status: z.number().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  attachments: z.array(z.string()).optional(),
});

const check = z.object({
  id: z.string(),
  title: z.string(),
  status,
  severity: z.enum(['critical', 'high', 'medium', 'low', 'info']),
  message: z.string(),
  remediation: z.string().optional(),
  rationale: z.string().optional(),
  evidence: evidence.optional(),
  durationMs: z.number(),
  metrics: z.record(z.string(), z.number().nullable()).optional(),
  series: z.record(z.string(), z.array(z.number().nullable())).optional(),
  charts: z.array(chartSpecSchema).optional(),
  waiver: z.object({ reason: z.string(), until: z.string(), owner: z.string().optional(), originalStatus: status }).optional(),
  attempts: z.array(status).optional(),
});

const gate = z.object({
  id: z.string(),
  title: z.string(),
  status,
  durationMs: z.number(),
  securityFindings: z.literal(true).optional(),
  prepareMs: z.number().optional(),
  checks: z.array(check),
  reason: z.string().optional(),
  profile: z.string().optional(),
  target: z.string().optional(),
  startedAt: z.string().optional(),
  source: z.object({ file: z.string(), line: z.number().int() }).optional(),
});

const named = { profile: z.object({ name: z.string(), path: z.string() }), target: z.object({ baseUrl: z.string() }) };

export const reportSchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('shipgate'), version: z.string() }),
  ...named,
  startedAt: z.string(),
  durationMs: z.number(),
  verdict,
  failOn: z.enum(['fail', 'warn']),
  interrupted: z.boolean().optional(),
  gates: z.array(gate),
  baseline: z
    .object({
      baseline: z.object({ path: z.string(), startedAt: z.string(), verdict: z.string() }),
      tolerance: z.number(),
      newlyFailing: z.array(z.object({ check: z.string(), was: z.union([status, z.literal('absent')]), now: status })),
      fixed: z.array(z.object({ check: z.string(), was: status, now: z.union([status, z.literal('absent')]) })),
      regressions: z.array(
        z.object({ check: z.string(), metric: z.string(), was: z.number(), now: z.number(), worseBy: z.number().nullable() }),
      ),
    })
    .optional(),
  runs: z.array(z.object({ ...named, verdict, startedAt: z.string(), durationMs: z.number() })).optional(),
});

// The schema and the result model must describe the same thing: this fails to compile when they drift.
const _chartsAgree: [ChartSpec, z.infer<typeof chartSpecSchema>] = [
  undefined as unknown as z.infer<typeof chartSpecSchema>,
  undefined as unknown as ChartSpec,
];
void _chartsAgree;

/** The first problem of a report that does not fit, as "gates[2].checks[0].status: …". */
export function reportProblem(data: unknown): string | undefined {
  const parsed = reportSchema.safeParse(data);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const path =
    issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(top level)';
  return `${path}: ${issue.message}`;
}

export function renderReportJsonSchema(): string {
  const schema = z.toJSONSchema(reportSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  const out = {
    $schema: schema.$schema,
    $id: 'shipgate-report-v1',
    title: 'shipgate JSON report (schemaVersion 1)',
    description: 'What `shipgate run -r json=PATH` writes and `shipgate merge` and `--baseline` read.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
  return JSON.stringify(out, null, 2) + '\n';
}
