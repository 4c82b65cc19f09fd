// target.start: shipgate starts the application itself, waits until it is ready, and stops it at the end.
import { z } from 'zod';
import { describe, duration } from './fields.js';

/** A regular expression, compiled at profile load so a bad one is a profile error with its position. */
export const regex = () =>
  z
    .string({ error: (iss) => `expected a regular expression, got ${describe(iss.input)}` })
    .min(1)
    .transform((s, ctx) => {
      try {
        return new RegExp(s);
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          message: `not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`,
          input: s,
        });
        return z.NEVER;
      }
    });

/** Environment values as YAML writes them (PORT: 3000) become strings. */
export const envMap = () =>
  z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name like PORT or DATABASE_URL' }),
      z.union([z.string(), z.number(), z.boolean()]).transform(String),
    )
    .default({});

const readySchema = z
  .strictObject({
    url: z
      .string()
      .refine((s) => s.startsWith('/') || /^https?:\/\//.test(s), {
        error: (iss) => `expected a path like "/health" or an http(s) URL, got ${describe(iss.input)}`,
      })
      .optional()
      .describe('Poll this path (against target.baseUrl) or URL until it answers 2xx/3xx'),
    logLine: regex().optional().describe('Wait for an output line matching this regular expression, e.g. "listening on"'),
  })
  .refine((r) => r.url !== undefined || r.logLine !== undefined, { error: 'give ready.url or ready.logLine (or both)' })
  .describe('When the started app counts as ready; without it, as soon as target.baseUrl answers HTTP at all');

export const targetStartSchema = z
  .strictObject({
    command: z
      .string({ error: 'expected the command that starts the app, e.g. "node dist/server.js"' })
      .min(1)
      .describe('Command that starts the app, run through bash (or sh) in its own process group'),
    cwd: z.string().optional().describe('Working directory of the command (default: where shipgate runs)'),
    env: envMap().describe("Extra environment variables for the app (added to shipgate's own environment)"),
    ready: readySchema.optional(),
    timeout: duration().default(30_000).describe('How long the app may take to become ready'),
    stopTimeout: duration().default(10_000).describe('At the end: how long after SIGTERM before the process group is killed'),
  })
  .describe('Start the app under test (a managed target) instead of checking one already running');

export type TargetStart = z.output<typeof targetStartSchema>;
