// What a gate contributes to `shipgate init` (its manifest's init hook, in checks/<gate>/init.ts): what to
// look for on a running target, and the profile section and summary lines written from what it found.
// The init command walks the registry; it names no gate.
import type { CatchAll } from './catch-all.js';
import type { Answer, Prober } from './prober.js';

/**
 * Facts one gate's discovery leaves for other gates' sections, in a vocabulary of the site (not of a
 * gate), so no gate reads another's findings: e.g. the security audit runs on the health path.
 */
export interface SiteFacts {
  /** A path that answers as a health (liveness) endpoint. */
  healthPath?: string;
  /** An API path that takes a JSON body, with what it answered to malformed JSON. */
  jsonEndpoint?: { path: string; malformedStatus?: number };
}

export interface InitDiscoverContext {
  target: URL;
  prober: Prober;
  /** GET / as init saw it. */
  home: Answer;
  /** What unknown paths answer (a single-page app's fallback, a catch-all 401, …). */
  catchAll: CatchAll;
  env: NodeJS.ProcessEnv;
  facts: SiteFacts;
  progress(message: string): void;
}

export interface InitRenderContext {
  baseUrl: string;
  https: boolean;
  home: { status?: number; contentType: string; error?: string };
  catchAll: { spaFallback: boolean; errors: ErrorShape };
  facts: SiteFacts;
}

export interface ErrorShape {
  /** What an unknown route answers. */
  status?: number;
  contentType: string;
  /** Top-level keys of a JSON error body. */
  keys: string[];
}

export type SummaryMark = 'found' | 'missing' | 'problem';
export type SummaryRow = [SummaryMark, string, string];

export interface InitSection {
  /** The section's lines under `gates:`, with their comments; commented out when not active. */
  lines: string[];
  /** One short line per TODO left in the section, for the summary. */
  todos: string[];
  /** What init found, one row per thing looked for, for the console. */
  summary: SummaryRow[];
  /** The section is switched on (not commented out): a non-destructive active gate joins the smoke suite. */
  active: boolean;
  /** Written from a template rather than from what init found (build, load): placed after the found ones. */
  template?: boolean;
  /** Extra "next:" lines for the console (e.g. the variables to export). */
  next?: string[];
}

export interface InitHook<F = any> {
  /** What discovery will do beyond GET, OPTIONS and POSTs of {} (e.g. log in once), for the opening line. */
  announce?(env: NodeJS.ProcessEnv): string | undefined;
  /** Environment variables the written section references, with stand-ins to prove the profile loads. */
  variables?: Record<string, string>;
  /** The gate suggests itself in the commented `retries:` example. */
  retriesExample?: number;
  discover?(ctx: InitDiscoverContext): Promise<F>;
  render(found: F | undefined, ctx: InitRenderContext): InitSection;
}
