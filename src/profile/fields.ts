// Reusable zod field types with messages a person can act on.
import { z } from 'zod';
import { MAX_DURATION_MS, parseDuration } from '../duration.js';

/** A duration like "500ms", "2s", "5m", or a number of milliseconds; parsed to milliseconds. */
export const duration = () =>
  z
    .union([z.string(), z.number()], { error: (iss) => `expected a duration like "500ms", got ${describe(iss.input)}` })
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: durationProblem(v), input: v });
        return z.NEVER;
      }
      return ms;
    })
    .describe(
      `A duration like "500ms", "2s", "5m" or "1m30s", or a number of milliseconds; at most ${MAX_DURATION_MS / 3_600_000}h (24 days)`,
    );

/** Why a duration was refused: not one, or longer than a timer can hold. */
export function durationProblem(v: unknown): string {
  const tooLong =
    typeof v === 'number'
      ? v > MAX_DURATION_MS
      : typeof v === 'string' && /^\s*\d/.test(v) && parseDuration(v.replace(/\d+(\.\d+)?/g, '0')) === 0;
  if (tooLong) return `expected a duration of at most ${MAX_DURATION_MS / 3_600_000}h (24 days), got ${describe(v)}`;
  return `expected a duration like "500ms", "2s", "5m" or "1m30s", got ${describe(v)}`;
}

/** An absolute http(s) URL. */
export const httpUrl = () =>
  z.string({ error: (iss) => `expected an http(s) URL, got ${describe(iss.input)}` }).refine(
    (s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { error: (iss) => `expected an absolute http(s) URL like "https://app.example.com", got ${describe(iss.input)}` },
  );

/** A request path starting with "/". */
export const urlPath = () =>
  z
    .string({ error: (iss) => `expected a path like "/health", got ${describe(iss.input)}` })
    .regex(/^\//, { error: (iss) => `expected a path starting with "/", got ${describe(iss.input)}` });

export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${String(v)}`;
}
