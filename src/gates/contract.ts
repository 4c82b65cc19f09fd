// What a gate is: a manifest (checks/<gate>/manifest.ts: id, schema, catalogue and everything the core
// would otherwise hard-code about it) and a lazily loaded module with its run function. The runner,
// reporters, init and export read manifests and know nothing gate-specific.
import type { BrowserLender } from '../browser/pool.js';
import type { z } from 'zod';
import type { CheckDef } from '../check.js';
import type { HttpClient } from '../http/client.js';
import type { InitHook } from '../init/hook.js';
import type { Profile } from '../profile/schema.js';
import type { Redactor } from '../redact.js';
import type { CheckResult } from '../result.js';

/** Values one gate hands to later ones (the auth gate's access token, for realtime and load). */
export interface SharedState {
  accessToken?: string;
  /** Set-Cookie headers seen by any gate, for the security gate's cookie audit. */
  cookies?: { url: string; setCookie: string }[];
  /**
   * A Chromium that one gate launched (realtime, in its prepare) and lends to others for contexts of
   * their own, so a run starts one browser rather than one per gate.
   */
  browser?: BrowserLender;
  [key: string]: unknown;
}

// The lender and its loans live with the rest of the browser code.
export type { BrowserLender, BrowserLoan } from '../browser/pool.js';

export interface GateContext {
  /** The target's base URL. */
  baseUrl: URL;
  profile: Profile;
  http: HttpClient;
  /** Aborted at the gate's deadline, the run's deadline, or on Ctrl-C. */
  signal: AbortSignal;
  /** Epoch milliseconds by which the gate must be done. */
  deadline: number;
  requestTimeoutMs: number;
  /** --allow-load was given: the load gate may run against a target marked production. */
  allowLoad?: boolean;
  /** The --suite this run was started with, if any (the auth gate skips its login burst in some). */
  suite?: string;
  redactor: Redactor;
  shared: SharedState;
  /** Folder for evidence files (screenshots, logs) beside the reports. */
  artifactsDir: string;
  /** Records one finished check; reporters see it at once. */
  record(result: CheckResult): void;
  /** A progress line for the console (stderr); ignored in quiet mode. */
  progress(message: string): void;
  /** Registers cleanup that must run even on Ctrl-C (browser, child process). */
  onCleanup(fn: () => Promise<void> | void): void;
  /**
   * Defers work until every gate of the run has finished (e.g. a login burst that would trip a rate
   * limiter, or stopping a managed target to prove graceful shutdown). It records into this gate.
   * Skipped when the run was interrupted.
   */
  afterAll(fn: () => Promise<void>): void;
  /** What this gate's prepare() resolved to (undefined without one); see GateModule.prepare. */
  prepared?: Promise<unknown>;
  /**
   * Set when an earlier gate found the target not ready ("target not ready: …") and this gate still runs
   * because its manifest lists checks in connectionChecks: it runs only those and records its other checks
   * skipped with this reason.
   */
  notReady?: string;
}

/** What prepare() gets: the run at its very start. The target may not be running yet: send it nothing. */
export interface PrepareContext {
  baseUrl: URL;
  profile: Profile;
  /** Aborted at the run's deadline or on Ctrl-C. */
  signal: AbortSignal;
  shared: SharedState;
  redactor: Redactor;
  artifactsDir: string;
  /** Runs at the end of the run whatever happened (also when the gate itself was skipped). */
  onCleanup(fn: () => Promise<void> | void): void;
}

/** A browser a gate's configuration drives: the executable its section names, if any, and that setting's path. */
export interface BrowserUse {
  executable?: string;
  setting: string;
}

/** The implementation of a gate (checks/<gate>/index.ts); what it is, is its manifest. */
export interface GateModule<C = unknown> {
  run(ctx: GateContext, config: C): Promise<void>;
  /**
   * Optional: slow work that needs no target, started by the runner when the run begins so it overlaps
   * the earlier phases (launching a browser while build and probes run, importing a heavy library).
   * run() receives the promise as ctx.prepared. It should not reject: it resolves to an outcome
   * (a failure included) that run() records.
   */
  prepare?(ctx: PrepareContext, config: C): Promise<unknown>;
}

/** A gate as data: what the core needs to plan, run, document and extend it, without loading it. */
export interface GateManifest<C = any> {
  id: string;
  title: string;
  description: string;
  /** Plan phase: gates in the same phase run concurrently; phases run in order. */
  phase: number;
  schema: z.ZodType;
  /** The gate's checks (a light module: no I/O), for waiver validation and docs/checks.md. */
  catalogue: CheckDef[];
  /** Why the gate is unfit for a non-destructive suite (writes data, loads the target), if it is. */
  destructive?: string;
  /**
   * Its failures mean the target is not ready for anything else: later gates are skipped with the first
   * failing check as the reason, except the checks listed here, which are findings only.
   */
  readiness?: { findingsOnly: string[] };
  /**
   * Checks that inspect the connection rather than the app (the certificate, the TLS protocols): they still
   * run when the target is not ready, since a bad certificate is often why it is not. The gate then runs
   * with ctx.notReady set, and runs only these.
   */
  connectionChecks?: string[];
  /**
   * The gate starts the managed target (target.start) itself and records the start as this check; in a run
   * without the gate the runner starts the target before the first gate, and records the same check.
   */
  startsTarget?: CheckDef;
  /**
   * Its failing and warning checks are security findings: every result of the gate says so (GateResult
   * securityFindings), and the SARIF reporter hands those checks to code scanning.
   */
  securityFindings?: boolean;
  /**
   * Whether this configuration of the gate drives a browser, and which one its section names (`shipgate
   * doctor <profile>` finds and launches that browser only for a profile that needs one).
   */
  usesBrowser?(config: C): BrowserUse | undefined;
  /**
   * Lists in the gate's section whose items hold a command run through a shell: `section[list][i][command]`,
   * with its environment map at `section[list][i][env]`. The profile loader interpolates those commands
   * shell-safely (values travel in environment variables, never in the command text).
   */
  shellCommands?: { list: string; command: string; env: string }[];
  /**
   * Its module has prepare(): the runner loads it when the run starts, so prepare() overlaps the earlier
   * phases. Other gates load when they start (loading every module at once raised a run's peak memory).
   */
  prepares?: boolean;
  /** Lazily imports the implementation, so --help and validate never load Playwright or autocannon. */
  load(): Promise<GateModule<C>>;
  /** Other tools' formats the gate's section can be written as (`shipgate export <format>`), loaded lazily. */
  exports?: Record<string, () => Promise<GateExporter<C>>>;
  /** What `shipgate init` looks for on a running target for this gate, and the section it writes; loaded lazily. */
  init?(): Promise<InitHook>;
}

/** A gate's manifest, checked against the contract (checks/<gate>/manifest.ts). */
export function defineGate<C>(manifest: GateManifest<C>): GateManifest<C> {
  return manifest;
}

/** What an exporter gets: the loaded profile and this gate's section of it. */
export interface ExportInput<C> {
  profile: Profile;
  profilePath: string;
  config: C;
  version: string;
  /** Secret values of the profile, which must not be written into the export. */
  secrets: string[];
  /** The environment variables those secrets came from, for the export to read instead. */
  envRefs: { value: string; name: string }[];
}

export interface ExportOutput {
  text: string;
  warnings: string[];
  /** One line for the console when written to a file: "3 scenarios, 4 thresholds". */
  summary: string;
}

export type GateExporter<C> = (input: ExportInput<C>) => ExportOutput;
