import { z } from 'zod';
import { describe, duration, urlPath } from '../../src/profile/fields.js';
import { envMap } from '../../src/profile/target-start.js';
import { globToRegExp } from './glob.js';

const UNITS: Record<string, number> = { b: 1, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** "500kB", "1.5 MB", "2MiB" or a number of bytes (kB = 1000 bytes, KiB = 1024). */
export function parseSize(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i.exec(input);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]);
}

export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1000 ** 2) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1000 ** 2).toFixed(2)} MB`;
}

const size = () =>
  z
    .union([z.string(), z.number()], { error: (iss) => `expected a size like "500kB" or "2MB", got ${describe(iss.input)}` })
    .transform((v, ctx) => {
      const bytes = parseSize(v);
      if (bytes === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a size like "500kB", "1.5MB" or "2MiB", got ${describe(v)}`,
          input: v,
        });
        return z.NEVER;
      }
      return bytes;
    });

const glob = () =>
  z
    .string()
    .min(1)
    .transform((pattern, ctx) => {
      try {
        return { pattern, ...globToRegExp(pattern) };
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message, input: pattern });
        return z.NEVER;
      }
    });

const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: (iss) => `expected an environment variable name like DATABASE_URL, got ${describe(iss.input)}`,
});

const step = z.strictObject({
  name: z.string().min(1).describe('Name shown in the report, e.g. "typecheck"'),
  run: z
    .string({ error: 'expected the command to run, e.g. "npm run build"' })
    .min(1)
    .describe('Command, run through bash (or sh) in its own process group'),
  cwd: z.string().optional().describe('Working directory (default: where shipgate runs)'),
  env: envMap().describe('Extra environment variables for this step'),
  timeout: duration().default(300_000).describe('The step and everything it started is killed after this long'),
});

const artifact = z.strictObject({
  path: glob().describe('Files that must exist, as a glob relative to where shipgate runs: dist/**/*.js, build/index.html'),
  minFiles: z.number().int().min(0).default(1).describe('At least this many files must match'),
  maxSize: size().optional().describe('Budget for the total size of the matching files, e.g. 500kB'),
});

const gracefulShutdown = z.strictObject({
  path: urlPath().describe('A slow endpoint (≥ 500 ms) that is in flight when SIGTERM is sent, e.g. /slow'),
  signalAfter: duration()
    .default(250)
    .describe('SIGTERM is sent this long after the request was sent (or once its response headers arrive, if sooner)'),
  shutdownTimeout: duration().default(10_000).describe('The process must have exited this long after SIGTERM; then it is killed'),
});

const failFast = z.strictObject({
  requiredEnv: z
    .array(envVarName)
    .min(1, { error: 'name at least one required environment variable' })
    .describe('Each is removed in turn; the app must refuse to start, naming it'),
  portEnv: envVarName.default('PORT').describe('Environment variable through which the extra copy gets its own free port'),
  timeout: duration().default(5_000).describe('How long the copy may take to exit'),
});

export const buildSchema = z
  .strictObject({
    steps: z.array(step).default([]).describe('Commands run in order; the first failure stops the rest'),
    artifacts: z.array(artifact).default([]).describe('Files the build must produce, with size budgets'),
    gracefulShutdown: gracefulShutdown
      .optional()
      .describe('Prove SIGTERM drains in-flight requests and exits 0 (needs target.start)'),
    failFast: failFast
      .optional()
      .describe('Prove the app refuses to start without its required environment (needs target.start)'),
    repo: z
      .string()
      .optional()
      .describe('Repository folder: its .env.example is checked for real secrets, and a committed .env fails'),
  })
  // No .prefault({}) here: under the profile's .optional() it would make an absent build section present.
  .describe('Build steps and artifact budgets; with target.start, the fail-fast and graceful-shutdown proofs');

export type BuildConfig = z.output<typeof buildSchema>;
export type BuildStep = BuildConfig['steps'][number];
export type ArtifactRule = BuildConfig['artifacts'][number];
export type GracefulShutdownConfig = NonNullable<BuildConfig['gracefulShutdown']>;
export type FailFastConfig = NonNullable<BuildConfig['failFast']>;
