// Profile sections beyond target and gates: suites, waivers and retries. Cross-references (gate ids,
// check ids) are checked here so a typo is a profile error with its position.
import { z } from 'zod';
import { GATES, GATE_IDS } from '../gates/registry.js';
import { closest } from './suggest.js';

const gateId = z.string().refine((id) => GATE_IDS.includes(id), {
  error: (iss) =>
    `unknown gate ${JSON.stringify(iss.input)}${closest(String(iss.input), GATE_IDS) ? `; did you mean "${closest(String(iss.input), GATE_IDS)}"?` : ''} (gates: ${GATE_IDS.join(', ')})`,
});

const gateList = z.union([z.literal('all'), z.array(gateId).min(1)]);

export const suiteSchema = z
  .union([
    gateList,
    z.strictObject({
      gates: gateList.describe('The gates of the suite, or "all"'),
      nonDestructive: z
        .boolean()
        .default(false)
        .describe('Never run a gate that writes data or loads the target (for scheduled production checks)'),
      description: z.string().optional(),
    }),
  ])
  .transform((s) =>
    typeof s === 'string' || Array.isArray(s) ? { gates: s, nonDestructive: false, short: true } : { ...s, short: false },
  );

export const suitesSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'a suite name is lower-case letters, digits and dashes' }), suiteSchema)
  .describe('Named selections of gates, run with --suite NAME');

/** Every check id any gate's catalogue defines. Dynamic ids (load.threshold.x) match their catalogue prefix. */
export function knownCheckIds(): string[] {
  return GATES.flatMap((g) => g.catalogue.map((c) => c.id));
}

export function isKnownCheckId(id: string): boolean {
  const known = knownCheckIds();
  // "security.cors.*" (a family of ids) and "load.threshold.search.*" (a family inside a dynamic id).
  if (id.endsWith('.*'))
    return known.some((k) => k.startsWith(id.slice(0, -1)) || `${k}.`.startsWith(id.slice(0, -1)) || id.startsWith(`${k}.`));
  return known.some((k) => id === k || id.startsWith(`${k}.`));
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export const waiverSchema = z.strictObject({
  check: z
    .string()
    .refine(isKnownCheckId, {
      error: (iss) => {
        const hint = closest(String(iss.input), knownCheckIds());
        return `no check has the id ${JSON.stringify(iss.input)}${hint ? `; did you mean "${hint}"?` : ''} (see docs/checks.md)`;
      },
    })
    .describe('The check id to waive (docs/checks.md); "gate.prefix.*" waives a family'),
  reason: z
    .string()
    .min(10, { error: 'say why in at least 10 characters: a waiver is a decision someone must be able to read' })
    .describe('Why the failure is accepted'),
  until: z
    .union([z.string().regex(isoDate, { error: 'expected a date like 2027-01-31' }), z.date()])
    .transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d))
    .refine((d) => !Number.isNaN(Date.parse(d)), { error: 'expected a real date like 2027-01-31' })
    .describe('Last day the waiver applies (YYYY-MM-DD); after it the run fails, naming the waiver'),
  owner: z.string().optional().describe('Who answers for this waiver'),
});

export const waiversSchema = z.array(waiverSchema).describe('Accepted failures with an expiry date');

export const retriesSchema = z
  .record(gateId, z.number().int().min(0).max(5))
  .describe('Per gate: how many times to re-run it when a check fails; a check that passes only on a retry is reported as flaky');

export type Suite = z.output<typeof suiteSchema>;
export type Waiver = z.output<typeof waiverSchema>;
