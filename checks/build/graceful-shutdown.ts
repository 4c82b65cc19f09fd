// The graceful-shutdown proof, run after every other gate (the managed target served them): with a slow
// request in flight, SIGTERM goes to the app's process group. It passes when the in-flight request
// completes, new connections are refused, and the process exits 0 within shutdownTimeout. A process still
// alive then is SIGKILLed with its group, and the check fails with what was seen.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { toHttpError } from '../../src/http/errors.js';
import type { TlsOptions } from '../../src/http/trust.js';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatDuration } from '../../src/duration.js';
import type { GateContext } from '../../src/gates/contract.js';
import type { ManagedTarget } from '../../src/target/managed-target.js';
import { describeExit, type ExitInfo } from '../../src/target/process-group.js';
import { gracefulShutdown as shutdownCheck } from './catalogue.js';
import type { GracefulShutdownConfig } from './schema.js';

const PROBE_INTERVAL_MS = 100;

interface InFlight {
  sentAt?: number;
  headersAt?: number;
  status?: number;
  doneAt?: number;
  complete: boolean;
  error?: string;
  /** The TLS handshake failed (a refused certificate): nothing was ever in flight. */
  certificateRefused?: boolean;
  body: string;
}

/** A request on its own connection, with the moments it was sent, answered and finished. */
function sendInFlight(
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal,
  tls: TlsOptions = { rejectUnauthorized: true },
) {
  const state: InFlight = { complete: false, body: '' };
  let onSent!: () => void;
  let onHeaders!: () => void;
  const sent = new Promise<void>((r) => (onSent = r));
  const answered = new Promise<void>((r) => (onHeaders = r));
  const done = new Promise<InFlight>((resolve) => {
    const finish = (error?: string) => {
      if (state.doneAt !== undefined) return;
      state.doneAt = performance.now();
      if (error && !state.complete) state.error = error;
      onSent();
      onHeaders();
      resolve(state);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    // The run's trust (target.tls) for an https app, like every other client.
    const req = send(
      url,
      {
        method: 'GET',
        agent: false,
        headers: { ...headers, connection: 'close' },
        timeout: timeoutMs,
        signal,
        ...(url.protocol === 'https:' ? tls : {}),
      },
      (res: IncomingMessage) => {
        state.status = res.statusCode;
        state.headersAt = performance.now();
        onHeaders();
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          if (state.body.length < 2000) state.body += d;
        });
        res.on('end', () => {
          state.complete = res.complete;
          finish(res.complete ? undefined : 'the connection closed before the response was complete');
        });
        res.on('error', () => finish('the connection closed before the response was complete'));
        res.on('close', () => finish(res.complete ? undefined : 'the connection closed before the response was complete'));
      },
    );
    req.on('finish', () => {
      state.sentAt = performance.now();
      onSent();
    });
    req.on('timeout', () => req.destroy(new Error(`no complete response within ${formatDuration(timeoutMs)}`)));
    // A transport failure is named by the one mapper (src/http/errors.ts); the timeout above names itself.
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A refused certificate: nothing was ever in flight (see proveGracefulShutdown).
      const mapped = toHttpError(err, url, timeoutMs, false);
      state.certificateRefused = mapped.kind === 'tls';
      finish(err.code ? mapped.message : err.message);
    });
    req.end();
  });
  return { state, sent, answered, done };
}

/** Opens and at once closes a TCP connection: 'refused' once the app stopped listening. */
function tryConnect(host: string, port: number): Promise<'accepted' | 'refused' | 'no answer'> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('no answer');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' ? 'refused' : 'no answer'));
  });
}

const since = (t: number | undefined, from: number) => (t === undefined ? '—' : formatDuration(Math.max(0, t - from)));

/** What happened around SIGTERM, for the verdict and the evidence. */
interface Shutdown {
  url: URL;
  pid: number | undefined;
  signalled: boolean;
  finishedEarly: boolean;
  termAt: number;
  exitAt: number;
  exit: ExitInfo;
  killed: boolean;
  req: InFlight;
  probes: { at: number; result: string }[];
}

export async function proveGracefulShutdown(
  ctx: GateContext,
  config: GracefulShutdownConfig,
  target: ManagedTarget,
): Promise<void> {
  const started = performance.now();
  const group = target.running;
  if (!group) {
    const exit = target.group?.exit;
    if (exit)
      ctx.record(
        shutdownCheck.fail({
          message: `the app had already exited (${describeExit(exit)}) before SIGTERM was sent: it did not survive the run`,
          evidence: { body: target.group?.output.tail() || '(no output)' },
        }),
      );
    else ctx.record(shutdownCheck.skip('the app is not running (it did not start), so there is nothing to shut down'));
    return;
  }
  const url = new URL(config.path, target.baseUrl);
  const budget = config.signalAfter + config.shutdownTimeout;
  ctx.progress(`graceful shutdown: GET ${url.pathname} in flight, then SIGTERM to pid ${group.pid}`);

  // 1. A slow request in flight: SIGTERM once it is answering (headers) or signalAfter after it was sent.
  const inflight = sendInFlight(url, ctx.profile.target.headers, budget + 5_000, ctx.signal, ctx.http.trust.tls);
  await inflight.sent;
  await Promise.race([inflight.answered, sleep(config.signalAfter)]);
  const finishedEarly = inflight.state.doneAt !== undefined;
  if (finishedEarly && inflight.state.certificateRefused) {
    // Not provable through a certificate no client accepts (security.tls.certificate and the probes say why), so
    // no SIGTERM is sent and waited for: the runner stops the target at the end of the run as usual.
    const req = await inflight.done;
    ctx.record(shutdownCheck.skip(`not proven: the request to ${url.pathname} was refused before SIGTERM: ${req.error}`));
    return;
  }
  const termAt = performance.now();
  const signalled = group.signal('SIGTERM');

  // 2. Meanwhile: are new connections refused? 3. The exit, within shutdownTimeout; else SIGKILL to the group.
  const probing = probeNewConnections(ctx, config, group, url, termAt);
  let exit: ExitInfo | undefined = await group.waitForExit(config.shutdownTimeout);
  const killed = !exit;
  if (!exit) exit = await group.kill();
  const exitAt = group.exitedAt ?? performance.now();
  const probes = await probing;
  const req = await inflight.done;

  const shutdown: Shutdown = { url, pid: group.pid, signalled, finishedEarly, termAt, exitAt, exit, killed, req, probes };
  const { problems, undecided } = judgeShutdown(shutdown, config);
  const evidence = shutdownEvidence(shutdown, config, group.output.tail(20));
  const metrics = {
    exitMs: Math.round(exitAt - termAt),
    ...(req.doneAt !== undefined ? { inflightMs: Math.round(req.doneAt - termAt) } : {}),
  };
  const durationMs = performance.now() - started;
  if (problems.length) ctx.record(shutdownCheck.fail({ message: problems.join('; '), evidence, metrics, durationMs }));
  else if (undecided.length) ctx.record(shutdownCheck.error({ message: undecided.join('; '), evidence, metrics, durationMs }));
  else {
    const refused = probes.find((p) => p.result === 'refused');
    const conn = refused
      ? `new connections refused ${since(refused.at, termAt)} after it`
      : 'the process exited before a new connection was tried';
    ctx.record(
      shutdownCheck.pass({
        message: `SIGTERM with GET ${url.pathname} in flight: the request completed (${req.status}) ${since(req.doneAt, termAt)} after SIGTERM, ${conn}, exit code 0 after ${since(exitAt, termAt)}`,
        evidence,
        metrics,
        durationMs,
      }),
    );
  }
}

/** Connects until a connection is refused, the process is gone or shutdownTimeout has passed since SIGTERM. */
async function probeNewConnections(
  ctx: GateContext,
  config: GracefulShutdownConfig,
  group: NonNullable<ManagedTarget['running']>,
  url: URL,
  termAt: number,
): Promise<Shutdown['probes']> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const probes: Shutdown['probes'] = [];
  while (group.running && performance.now() - termAt < config.shutdownTimeout && !ctx.signal.aborted) {
    await sleep(PROBE_INTERVAL_MS);
    if (!group.running || performance.now() - termAt >= config.shutdownTimeout) break;
    const result = await tryConnect(host, port);
    if (!group.running && result === 'refused') break; // refused because it exited, not because it stopped listening
    probes.push({ at: performance.now(), result });
    if (result === 'refused') break;
  }
  return probes;
}

/** Problems fail the check; undecided (the test itself could not be made) errors it. */
function judgeShutdown(s: Shutdown, config: GracefulShutdownConfig): { problems: string[]; undecided: string[] } {
  const { req, termAt, exit, exitAt, url } = s;
  const accepted = s.probes.filter((p) => p.result === 'accepted');
  const refused = s.probes.find((p) => p.result === 'refused');
  const lastAccepted = accepted.at(-1);
  const problems: string[] = [];
  const undecided: string[] = [];
  if (!s.signalled) undecided.push(`could not send SIGTERM to process group ${s.pid}`);
  if (s.finishedEarly && req.error)
    undecided.push(`the request to ${url.pathname} failed before SIGTERM was sent, so there was nothing in flight: ${req.error}`);
  else if (s.finishedEarly)
    undecided.push(
      `the request to ${url.pathname} finished before SIGTERM was sent (${since(req.doneAt, req.sentAt ?? termAt)}); point gracefulShutdown.path at an endpoint slower than signalAfter (${formatDuration(config.signalAfter)})`,
    );
  else if (req.error)
    problems.push(`the in-flight request (GET ${url.pathname}) was cut ${since(req.doneAt, termAt)} after SIGTERM: ${req.error}`);
  else if (req.status === undefined || req.status < 200 || req.status >= 300)
    problems.push(`the in-flight request (GET ${url.pathname}) answered ${req.status} instead of completing with 2xx`);
  if (lastAccepted !== undefined && !refused)
    problems.push(
      `new connections were still accepted ${since(lastAccepted.at, termAt)} after SIGTERM (${accepted.length} connection attempt${accepted.length === 1 ? '' : 's'}, none refused)`,
    );
  if (s.killed)
    problems.push(
      `still running ${formatDuration(config.shutdownTimeout)} after SIGTERM; its process group was killed with SIGKILL`,
    );
  else if (exit.signal)
    problems.push(
      `it was ended by ${exit.signal} ${since(exitAt, termAt)} after SIGTERM instead of exiting by itself (no SIGTERM handler? under a shell or npm, use exec so the app gets the signal)`,
    );
  else if (exit.code !== 0) problems.push(`it exited with code ${exit.code} ${since(exitAt, termAt)} after SIGTERM, expected 0`);
  return { problems, undecided };
}

function shutdownEvidence(s: Shutdown, config: GracefulShutdownConfig, output: string) {
  const { req, termAt, exit, exitAt } = s;
  const accepted = s.probes.filter((p) => p.result === 'accepted');
  const refused = s.probes.find((p) => p.result === 'refused');
  return {
    request: `SIGTERM to process group ${s.pid} while GET ${s.url} was in flight`,
    details: {
      SIGTERM: `sent ${since(termAt, req.sentAt ?? termAt)} after the request${req.headersAt !== undefined && req.headersAt <= termAt ? ' (its response headers had arrived)' : ''}`,
      'in-flight request': req.error
        ? `cut ${since(req.doneAt, termAt)} after SIGTERM: ${req.error}`
        : `${req.status}${req.complete ? ', complete' : ''}, ${since(req.doneAt, termAt)} after SIGTERM`,
      'new connections': refused
        ? `refused ${since(refused.at, termAt)} after SIGTERM${accepted.length ? ` (${accepted.length} accepted before)` : ''}`
        : accepted.length
          ? `still accepted ${since(accepted.at(-1)!.at, termAt)} after SIGTERM`
          : 'not probed: the process exited first',
      exit: s.killed
        ? `still running after ${formatDuration(config.shutdownTimeout)}; killed`
        : `${describeExit(exit)}, ${since(exitAt, termAt)} after SIGTERM`,
    },
    body: output || '(no output)',
  };
}
