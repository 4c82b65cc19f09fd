import { z } from 'zod';
import { ConditionSyntaxError, parseCondition } from '../../src/conditions.js';
import { duration, urlPath } from '../../src/profile/fields.js';

const condition = z.string().transform((s, ctx) => {
  try {
    return parseCondition(s);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof ConditionSyntaxError ? err.message : String(err) });
    return z.NEVER;
  }
});

const probe = (path: string) =>
  z
    .strictObject({
      path: urlPath().default(path).describe('Path of the probe endpoint'),
      status: z.number().int().min(100).max(599).default(200).describe('Expected HTTP status'),
      contentType: z
        .string()
        .default('application/json')
        .describe('Expected media type (prefix match on Content-Type); empty to skip'),
      conditions: z.array(condition).default([]).describe('Body/header conditions, e.g. body.status == "ok"'),
      maxLatency: duration().default(500).describe('Latency budget of every sample'),
    })
    .prefault({});

export const probesSchema = z
  .strictObject({
    liveness: probe('/health').describe('The liveness endpoint'),
    readiness: probe('/ready').describe('The readiness endpoint'),
    samples: z.number().int().min(1).max(100).default(3).describe('How many times each probe is requested (to catch flapping)'),
    interval: duration()
      .default(200)
      .describe('Time between the starts of two samples (a sample does not wait for the previous answer)'),
  })
  .prefault({});

export type ProbesConfig = z.output<typeof probesSchema>;
