// The managed target (target.start): shipgate starts the app itself, waits until it is ready, lets the
// gates run against it, and stops it at the very end — whatever happened, so no process outlives the run.
// The runner starts it (`--gates probes` needs it too) or the gate that builds the app does, after building.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineCheck, type CheckDef } from '../check.js';
import { deadline as newDeadline } from '../deadline.js';
import { toHttpError } from '../http/errors.js';
import { DEFAULT_TRUST, type Trust } from '../http/trust.js';
import { formatDuration } from '../duration.js';
import type { SharedState } from '../gates/contract.js';
import type { TargetStart } from '../profile/target-start.js';
import type { CheckResult, Evidence } from '../result.js';
import { describeOwners, isLocalHost, listenedByGroup, listenersOf, portAnswers, portOf } from './port-owner.js';
import { describeExit, ProcessGroup } from './process-group.js';

export interface StartOutcome {
  ok: boolean;
  message: string;
  durationMs: number;
  evidence: Evidence;
}

/** How to tell a started process is ready: a log line, a URL that answers, or both. */
export interface ReadySpec {
  url?: URL;
  /** With no explicit ready.url, any HTTP answer from the base URL counts. */
  anyStatus: boolean;
  logLine?: RegExp;
}

export type ReadyOutcome = { ready: true; how: string } | { ready: false; reason: string; exited?: boolean };

export function readySpecFor(spec: TargetStart, baseUrl: URL): ReadySpec {
  if (!spec.ready) return { url: baseUrl, anyStatus: true };
  return { url: spec.ready.url ? new URL(spec.ready.url, baseUrl) : undefined, anyStatus: false, logLine: spec.ready.logLine };
}

/** One GET on a fresh connection (no pool that could keep the app's sockets open). */
export function probeUrl(
  url: URL,
  timeoutMs: number,
  signal?: AbortSignal,
  headers: Record<string, string> = {},
  trust: Trust = DEFAULT_TRUST,
): Promise<{ status: number } | { error: string }> {
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    // The run's trust: the same CA, SNI and client certificate as every other client (the target is local, no proxy).
    const tls = url.protocol === 'https:' ? trust.tls : {};
    const req = send(
      url,
      { method: 'GET', agent: false, headers: { connection: 'close', ...headers }, timeout: timeoutMs, signal, ...tls },
      (res: IncomingMessage) => {
        res.resume();
        res.on('error', () => {});
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    let timedOut = false;
    req.on('timeout', () => {
      timedOut = true;
      req.destroy(new Error(`no answer within ${formatDuration(timeoutMs)}`));
    });
    // The one transport-error mapper (src/http/errors.ts) words it, as for every other request.
    req.on('error', (err) => resolve({ error: toHttpError(err, url, timeoutMs, timedOut).message }));
    req.end();
  });
}

/**
 * Readiness counts only from the started process: it must still be running, and on this machine the port
 * must be listened on by its process group. Returns who answered instead, when that is someone else.
 */
function foreignListener(url: URL, group: ProcessGroup): string | undefined {
  if (group.exit) return 'a process that outlived the started one';
  if (!isLocalHost(url.hostname) || group.pid === undefined) return undefined;
  const port = portOf(url);
  if (listenedByGroup(port, group.pid) !== false) return undefined;
  return describeOwners(listenersOf(port));
}

/** Waits until the process is ready, exits, the deadline passes, or the signal aborts. */
export async function waitUntilReady(
  group: ProcessGroup,
  ready: ReadySpec,
  timeoutMs: number,
  signal: AbortSignal,
  trust: Trust = DEFAULT_TRUST,
): Promise<ReadyOutcome> {
  const readyDeadline = newDeadline(timeoutMs, { linked: [signal] });
  try {
    return await waitWithin(group, ready, timeoutMs, signal, readyDeadline.signal, trust);
  } finally {
    readyDeadline.release();
  }
}

async function waitWithin(
  group: ProcessGroup,
  ready: ReadySpec,
  timeoutMs: number,
  signal: AbortSignal,
  deadline: AbortSignal,
  trust: Trust,
): Promise<ReadyOutcome> {
  const hows: string[] = [];
  let lastProblem = '';
  // Resolves when the process exits or the deadline passes, whichever comes first.
  const gaveUp = new Promise<void>((resolve) => {
    if (deadline.aborted) return resolve();
    deadline.addEventListener('abort', () => resolve(), { once: true });
    void group.exited.then(() => resolve());
  });
  const conditions = (async (): Promise<boolean> => {
    if (ready.logLine) {
      const re = ready.logLine;
      const line =
        group.output.lines().find((l) => re.test(l)) ??
        (await new Promise<string | undefined>((resolve) => {
          const off = group.output.onLine((l) => {
            if (re.test(l)) {
              off();
              resolve(l);
            }
          });
          void gaveUp.then(() => {
            off();
            resolve(undefined);
          });
        }));
      if (line === undefined) return false;
      hows.push(`printed ${JSON.stringify(line.trim().slice(0, 200))}`);
    }
    if (ready.url) {
      const url = ready.url;
      for (let attempt = 0; ; attempt++) {
        if (deadline.aborted || group.exit) return false;
        const r = await probeUrl(url, 3_000, deadline, {}, trust);
        const foreign = 'status' in r ? foreignListener(url, group) : undefined;
        if ('status' in r && !foreign && (ready.anyStatus || (r.status >= 200 && r.status < 400))) {
          hows.push(`GET ${url} → ${r.status}`);
          break;
        }
        lastProblem = foreign
          ? `GET ${url} was answered by ${foreign}, not by the started process`
          : 'status' in r
            ? `GET ${url} → ${r.status}`
            : `GET ${url}: ${r.error}`;
        await Promise.race([sleep(Math.min(100 + attempt * 25, 500)), gaveUp]);
      }
    }
    return true;
  })();
  if (await conditions) return { ready: true, how: hows.join('; ') };
  const waitingFor =
    ready.logLine && hows.length === 0
      ? `no output line matched /${ready.logLine.source}/`
      : lastProblem
        ? `last: ${lastProblem}`
        : '';
  if (group.exit || (!deadline.aborted && (await group.waitForExit(600)))) {
    return { ready: false, exited: true, reason: `exited (${describeExit(group.exit!)}) before it was ready` };
  }
  const why = signal.aborted
    ? 'interrupted while waiting for the app to become ready'
    : `not ready within ${formatDuration(timeoutMs)}`;
  return { ready: false, reason: waitingFor ? `${why} (${waitingFor})` : why };
}

export class ManagedTarget {
  private starting?: Promise<StartOutcome>;
  /** The app's process group, once spawned. */
  group?: ProcessGroup;
  /** Milliseconds from spawn to ready, when it became ready. */
  readyAfterMs?: number;

  constructor(
    readonly spec: TargetStart,
    readonly baseUrl: URL,
    readonly trust: Trust = DEFAULT_TRUST,
  ) {}

  get attempted(): boolean {
    return this.starting !== undefined;
  }

  /** The running app, when it started, became ready and has not exited since. */
  get running(): ProcessGroup | undefined {
    return this.readyAfterMs !== undefined && this.group?.running ? this.group : undefined;
  }

  /** Starts the app once; later calls get the same outcome. */
  start(signal: AbortSignal, progress?: (message: string) => void): Promise<StartOutcome> {
    return (this.starting ??= this.doStart(signal, progress));
  }

  private async doStart(signal: AbortSignal, progress?: (message: string) => void): Promise<StartOutcome> {
    const { spec } = this;
    const started = performance.now();
    // A port that already answers would make another server pass for the app: refuse before starting.
    const readyUrl = readySpecFor(spec, this.baseUrl).url;
    if (readyUrl && (await portAnswers(readyUrl))) {
      const owners = isLocalHost(readyUrl.hostname) ? listenersOf(portOf(readyUrl)) : undefined;
      const message = `refusing to start \`${spec.command}\`: ${readyUrl.host} is already taken by ${describeOwners(owners)}, which would be verified instead of the app; stop it or give the app another port`;
      return {
        ok: false,
        message,
        durationMs: performance.now() - started,
        evidence: {
          request: `$ ${spec.command}`,
          details: { readyUrl: readyUrl.toString(), ...(owners?.length ? { listeners: describeOwners(owners) } : {}) },
        },
      };
    }
    progress?.(`starting ${spec.command}`);
    const group = ProcessGroup.spawn(spec.command, { cwd: spec.cwd, env: { ...process.env, ...spec.env } });
    this.group = group;
    const ready = await waitUntilReady(group, readySpecFor(spec, this.baseUrl), spec.timeout, signal, this.trust);
    const durationMs = performance.now() - started;
    const evidence = (extra: Record<string, unknown> = {}): Evidence => ({
      request: `$ ${spec.command}`,
      details: { ...(spec.cwd ? { cwd: spec.cwd } : {}), ...(group.pid ? { pid: group.pid } : {}), ...extra },
      body: group.output.tail() || '(no output)',
    });
    if (ready.ready) {
      this.readyAfterMs = durationMs;
      return {
        ok: true,
        message: `started (pid ${group.pid}); ready after ${formatDuration(durationMs)}: ${ready.how}`,
        durationMs,
        evidence: evidence(),
      };
    }
    // Not ready: nothing may be left running.
    const exit = group.exit ?? (await group.kill());
    const message = exit.error ? `could not start \`${spec.command}\`: ${exit.error}` : `\`${spec.command}\` ${ready.reason}`;
    return { ok: false, message, durationMs, evidence: evidence({ exit: describeExit(exit) }) };
  }

  /** SIGTERM, then SIGKILL to the group after stopTimeout. Safe to call at any time, more than once. */
  async stop(): Promise<void> {
    if (this.starting) await this.starting.catch(() => {});
    if (this.group?.running) await this.group.stop(this.spec.stopTimeout);
  }
}

/** The start check's result for an outcome (its manifest's startsTarget), for that gate or (without it) the runner. */
export function startResult(check: CheckDef, outcome: StartOutcome): CheckResult {
  const o = { message: outcome.message, evidence: outcome.evidence, durationMs: outcome.durationMs };
  const made = defineCheck(check);
  return outcome.ok ? made.pass(o) : made.fail(o);
}

const KEY = 'managedTarget';

/** The managed target of this run, handed to gates through SharedState. */
export function managedTargetOf(shared: SharedState): ManagedTarget | undefined {
  const t = shared[KEY];
  return t instanceof ManagedTarget ? t : undefined;
}

export function setManagedTarget(shared: SharedState, target: ManagedTarget): void {
  shared[KEY] = target;
}

/** A TCP port on the host that nothing listens on right now (bound, read, released). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
