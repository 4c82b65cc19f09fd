// Protocol mode (sse / websocket): no browser. Two independent subscribers (A and B, each with its own
// connection and client id) listen to the stream; each round shipgate makes the change with the publish
// request on A's behalf, and both subscribers must receive an event carrying the round's marker.
// Latency is measured on this process's monotonic clock: publish start → the later of the two receipts.
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { Agent, EnvHttpProxyAgent, EventSource, type Dispatcher } from 'undici';
import WebSocket from 'ws';
import type { GateContext } from '../../src/gates/contract.js';
import { describeRequest, excerpt } from '../../src/http/client.js';
import { HttpError, toHttpError } from '../../src/http/errors.js';
import { newDispatcher } from '../../src/http/dispatcher.js';
import { capEventStream, MAX_EVENT_BYTES } from '../../src/http/stream-caps.js';
import type { Trust } from '../../src/http/trust.js';
import { wsTrustOptions } from '../../src/http/ws-options.js';
import type { CheckResult, Evidence } from '../../src/result.js';
import { withAccessToken } from './auth-headers.js';
import { burst as burstCheck } from './catalogue.js';
import { newMarker, type Round, type Session } from './judge.js';
import { formatLatency, formatTimeout } from './latency.js';
import type { RealtimeConfig } from './schema.js';
import { substitute, substituteRequest } from './steps.js';

const MAX_KEPT = 10;

interface Expectation {
  promise: Promise<number>;
  cancel(): void;
}

/** One subscriber: a connection, the events it received, and waiting for a marker. */
abstract class Subscriber {
  readonly received: { at: number; data: string }[] = [];
  /** Errors after the stream opened (drops, reconnects), for evidence. */
  readonly troubles: string[] = [];
  /** SSE events of a type nobody listened to (`event: item` when the profile says message): type → times seen. */
  readonly otherTypes = new Map<string, { count: number; at: number }>();
  private readonly waiting = new Set<(data: string, at: number) => void>();

  constructor(
    readonly name: 'A' | 'B',
    readonly clientId: string,
    readonly url: string,
  ) {}

  abstract open(timeoutMs: number): Promise<void>;
  abstract close(): void;

  protected deliver(data: string): void {
    const at = performance.now();
    this.received.push({ at, data });
    if (this.received.length > MAX_KEPT) this.received.shift();
    for (const fn of this.waiting) fn(data, at);
  }

  /** Starts listening for the marker now (before the publish), resolves with the receipt time. */
  expect(marker: string): Expectation {
    let fn!: (data: string, at: number) => void;
    const promise = new Promise<number>((resolve) => {
      fn = (data, at) => {
        if (data.includes(marker)) {
          this.waiting.delete(fn);
          resolve(at);
        }
      };
      this.waiting.add(fn);
    });
    return { promise, cancel: () => this.waiting.delete(fn) };
  }

  /** What this subscriber received since `since`, as excerpts. */
  since(since: number): string[] {
    return this.received.filter((r) => r.at >= since).map((r) => excerpt(r.data, 200));
  }
}

class SseSubscriber extends Subscriber {
  private source?: EventSource;
  private agent?: Dispatcher & { destroy(): Promise<void> };

  constructor(
    name: 'A' | 'B',
    clientId: string,
    url: string,
    private readonly headers: Record<string, string>,
    readonly event: string,
    private readonly trust: Trust,
  ) {
    super(name, clientId, url);
  }

  open(timeoutMs: number): Promise<void> {
    const extra = this.headers;
    this.agent = newDispatcher({ Agent, EnvHttpProxyAgent }, this.trust, { connect: { timeout: timeoutMs } });
    const streamOrigin = new URL(this.url).origin;
    // EventSource follows redirects itself: the profile's headers go only to the stream's own origin.
    const capped = this.agent.compose(capEventStream((err) => this.troubles.push(`${new Date().toISOString()} ${err.message}`)));
    const dispatcher = Object.keys(extra).length
      ? capped.compose(
          (dispatch) => (opts, handler) =>
            dispatch(
              sameOrigin(opts.origin, streamOrigin)
                ? { ...opts, headers: { ...(opts.headers as Record<string, string>), ...extra } }
                : opts,
              handler,
            ),
        )
      : capped;
    const source = quietly(() => new EventSource(this.url, { dispatcher } as ConstructorParameters<typeof EventSource>[1]));
    this.source = source;
    source.addEventListener(this.event, (e) => this.deliver(String((e as MessageEvent).data)));
    // EventSource has no "any event" listener: its own dispatch is watched to name the types that did arrive.
    const dispatch = source.dispatchEvent.bind(source);
    source.dispatchEvent = (ev: Event) => {
      if (ev.type !== this.event && ev.type !== 'open' && ev.type !== 'error') {
        const seen = this.otherTypes.get(ev.type);
        if (seen) seen.count++;
        else if (this.otherTypes.size < 20) this.otherTypes.set(ev.type.slice(0, 60), { count: 1, at: performance.now() });
      }
      return dispatch(ev);
    };
    return new Promise<void>((resolve, reject) => {
      let opened = false;
      // A stream refused for its size or compression says why (EventSource itself only retries).
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `the stream did not open within ${formatTimeout(timeoutMs)}${this.troubles.length ? ` (${this.troubles[this.troubles.length - 1].replace(/^\S+ /, '')})` : ''}`,
            ),
          ),
        timeoutMs,
      );
      source.onopen = () => {
        opened = true;
        clearTimeout(timer);
        resolve();
      };
      source.onerror = () => {
        if (opened)
          this.troubles.push(
            `${new Date().toISOString()} stream error (${source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'})`,
          );
        else if (source.readyState === EventSource.CLOSED) {
          clearTimeout(timer);
          reject(new Error('the stream was refused (not a 200 text/event-stream response)'));
        }
      };
    });
  }

  close(): void {
    this.source?.close();
    void this.agent?.destroy().catch(() => {});
  }
}

class WebSocketSubscriber extends Subscriber {
  private socket?: WebSocket;

  constructor(
    name: 'A' | 'B',
    clientId: string,
    url: string,
    private readonly headers: Record<string, string>,
    private readonly trust: Trust,
  ) {
    super(name, clientId, url);
  }

  open(timeoutMs: number): Promise<void> {
    // maxPayload bounds a message after permessage-deflate too; ws never follows a redirect (followRedirects: false).
    // The run's trust (CA, insecure, SNI, client certificate); through a proxy, the tunnel carries it.
    const target = new URL(this.url);
    const ws = new WebSocket(this.url, {
      headers: this.headers,
      handshakeTimeout: timeoutMs,
      maxPayload: MAX_EVENT_BYTES,
      followRedirects: false,
      ...wsTrustOptions(target, this.trust, timeoutMs),
    });
    this.socket = ws;
    ws.on('message', (data) => this.deliver(data.toString()));
    return new Promise<void>((resolve, reject) => {
      let opened = false;
      ws.once('open', () => {
        opened = true;
        resolve();
      });
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        reject(new Error(`the WebSocket upgrade was answered with HTTP ${res.statusCode}`));
        ws.terminate();
      });
      ws.on('error', (err) => {
        // Worded by the one transport-error mapper, like every other client's refusal.
        if (!opened) reject(new Error(`the WebSocket did not open: ${toHttpError(err, target, timeoutMs, false).message}`));
        else this.troubles.push(`${new Date().toISOString()} ${err.message}`);
      });
      ws.on('close', (code) => {
        if (opened) this.troubles.push(`${new Date().toISOString()} closed by the server (code ${code})`);
      });
    });
  }

  close(): void {
    this.socket?.terminate();
  }
}

function sameOrigin(origin: string | URL | undefined, expected: string): boolean {
  try {
    return origin !== undefined && new URL(String(origin)).origin === expected;
  } catch {
    return false;
  }
}

/** undici announces EventSource as experimental on first use; that line is noise in shipgate's output. */
function quietly<T>(fn: () => T): T {
  const original = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const opts = rest[0] as { code?: string } | undefined;
    if ((typeof opts === 'object' && opts?.code === 'UNDICI-ES') || String(warning).includes('EventSource is experimental'))
      return;
    return (original as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return fn();
  } finally {
    process.emitWarning = original;
  }
}

function streamUrl(ctx: GateContext, template: string, clientId: string, mode: 'sse' | 'websocket'): string {
  const url = new URL(substitute(template, { clientId }), ctx.baseUrl);
  if (mode === 'websocket' && (url.protocol === 'http:' || url.protocol === 'https:'))
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Why a stream would not open, in one line: a short plain GET shows the status and content type. */
async function diagnose(ctx: GateContext, url: string): Promise<string | undefined> {
  if (!/^https?:/.test(url)) return undefined;
  try {
    const res = await ctx.http.request({
      url,
      headers: { accept: 'text/event-stream' },
      timeoutMs: 2_000,
      maxBodyBytes: 2_048,
      signal: ctx.signal,
    });
    return `GET ${url} → ${res.status} ${res.headers['content-type'] ?? '(no content type)'}${res.status >= 400 ? ` ${excerpt(res.body, 200)}` : ''}`;
  } catch (err) {
    return err instanceof HttpError && err.kind !== 'timeout' ? err.message : undefined;
  }
}

export async function runProtocolMode(ctx: GateContext, config: RealtimeConfig): Promise<Session> {
  const mode = config.mode as 'sse' | 'websocket';
  const started = performance.now();
  const headers = withAccessToken(ctx, config.useAccessToken, { ...ctx.profile.target.headers });
  const make = (name: 'A' | 'B'): Subscriber => {
    const clientId = `shipgate-${name.toLowerCase()}-${randomBytes(4).toString('hex')}`;
    const url = streamUrl(ctx, config.stream!, clientId, mode);
    return mode === 'sse'
      ? new SseSubscriber(name, clientId, url, headers, config.event, ctx.http.trust)
      : new WebSocketSubscriber(name, clientId, url, headers, ctx.http.trust);
  };
  const subscribers = [make('A'), make('B')];
  const [a] = subscribers;
  const closeAll = () => subscribers.forEach((s) => s.close());
  ctx.onCleanup(closeAll);

  const kind = mode === 'sse' ? 'SSE' : 'WebSocket';
  const session: Session = {
    label: `${kind} ${new URL(config.stream!, ctx.baseUrl).pathname}`,
    watched: 'an event containing the marker',
    wording: { seen: 'both subscribers received the event', missed: 'not every subscriber received the event' },
    planned: config.rounds,
    rounds: [],
    durationMs: 0,
  };
  const finish = () => {
    closeAll();
    session.durationMs = performance.now() - started;
    return session;
  };

  ctx.progress(`opening two ${kind} subscribers`);
  session.failure = await openSubscribers(ctx, config, subscribers, kind);
  if (session.failure) return finish();

  for (let i = 1; i <= config.rounds; i++) {
    // Spaced rounds stay apart, so a push-side throttle passes them and only the burst shows it.
    if (i > 1) await sleep(config.timeouts.spacing, undefined, { signal: ctx.signal }).catch(() => {});
    if (ctx.signal.aborted) break;
    const outcome = await protocolRound(ctx, config, subscribers, i);
    if (outcome === 'aborted') break;
    if ('failure' in outcome) {
      session.failure = outcome.failure;
      return finish();
    }
    const { round, missing, evidence } = outcome;
    session.rounds.push(round);
    ctx.progress(
      `round ${i}/${config.rounds}: ${round.observed ? formatLatency(round.latencyMs) : `not received by ${missing.map((s) => s.name).join(' and ')}`}`,
    );
    if (!round.observed) {
      session.missEvidence ??= evidence();
      if (i === 1 && config.rounds > 1) {
        session.stopped = `the remaining ${config.rounds - 1} rounds were not run after the first one got nothing to ${missing.map((s) => s.name).join(' and ')}`;
        break;
      }
    }
  }
  if (config.burst >= 2 && !session.failure && !session.stopped && !ctx.signal.aborted)
    session.burst = await protocolBurst(ctx, config, subscribers, session.label);
  return finish();
}

/** Opens both subscribers; the failure of the first that could not open, with a diagnosis of its URL. */
async function openSubscribers(
  ctx: GateContext,
  config: RealtimeConfig,
  subscribers: Subscriber[],
  kind: string,
): Promise<Session['failure']> {
  const opened = await Promise.allSettled(subscribers.map((s) => s.open(config.timeouts.step)));
  const refused = opened.map((r, i) => ({ r, s: subscribers[i] })).filter((x) => x.r.status === 'rejected');
  if (!refused.length) return undefined;
  const { r, s } = refused[0];
  const why = await diagnose(ctx, s.url);
  return {
    status: 'fail',
    message: `subscriber ${s.name} could not open ${s.url}: ${((r as PromiseRejectedResult).reason as Error).message}${why ? ` (${why})` : ''}`,
    evidence: { request: `${kind} ${s.url}`, details: why ? { diagnosis: why } : undefined },
  };
}

/** Sends the profile's publish request for one marker; rejects when the request itself fails. */
function publishMarker(ctx: GateContext, config: RealtimeConfig, marker: string, clientId: string) {
  const publish = substituteRequest(config.publish!, { marker, clientId });
  const url = ctx.http.resolve(publish.url);
  const send = () =>
    ctx.http.request({
      method: publish.method,
      url,
      headers: withAccessToken(ctx, config.useAccessToken, publish.headers),
      body: publish.body,
      maxBodyBytes: 64 * 1024,
      signal: ctx.signal,
    });
  return { method: publish.method, url, send };
}

type RoundOutcome =
  | 'aborted'
  | { failure: NonNullable<Session['failure']> }
  | { round: Round; missing: Subscriber[]; evidence: () => Session['missEvidence'] };

/** One round: publish a fresh marker through A's identity, then wait for both subscribers to see it. */
async function protocolRound(
  ctx: GateContext,
  config: RealtimeConfig,
  subscribers: Subscriber[],
  i: number,
): Promise<RoundOutcome> {
  const marker = newMarker();
  const { method, url, send } = publishMarker(ctx, config, marker, subscribers[0].clientId);
  const expectations = subscribers.map((s) => s.expect(marker));
  const t0 = performance.now();
  let status: number | undefined;
  try {
    const res = await send();
    status = res.status;
    if (res.status >= 400) {
      expectations.forEach((e) => e.cancel());
      return {
        failure: {
          status: 'fail',
          message: `round ${i}: the publish request ${method} ${url.pathname} was answered ${res.status}`,
          evidence: { request: describeRequest(method, url), status: res.status, body: excerpt(res.body, 300) },
        },
      };
    }
  } catch (err) {
    expectations.forEach((e) => e.cancel());
    if (ctx.signal.aborted) return 'aborted';
    return {
      failure: {
        status: 'fail',
        message: `round ${i}: the publish request ${method} ${url.pathname} failed: ${(err as Error).message}`,
        evidence: { request: describeRequest(method, url) },
      },
    };
  }
  const remaining = Math.max(0, config.timeouts.round - (performance.now() - t0));
  const guard = new AbortController();
  const timeout = sleep(remaining, null, { signal: guard.signal }).catch(() => null);
  const times = await Promise.all(expectations.map((e) => Promise.race([e.promise, timeout])));
  guard.abort();
  expectations.forEach((e) => e.cancel());

  const missing = subscribers.filter((_, k) => times[k] === null);
  const round: Round = {
    round: i,
    marker,
    observed: missing.length === 0,
    latencyMs: missing.length ? Infinity : Math.max(...(times as number[])) - t0,
  };
  return {
    round,
    missing,
    evidence: () => missEvidence(subscribers, missing, marker, t0, describeRequest(method, url), status),
  };
}

/** The burst in protocol mode: `burst` publish requests a few ms apart; both subscribers must get each. */
async function protocolBurst(
  ctx: GateContext,
  config: RealtimeConfig,
  subscribers: Subscriber[],
  label: string,
): Promise<CheckResult> {
  await sleep(config.timeouts.spacing, undefined, { signal: ctx.signal }).catch(() => {});
  const started = performance.now();
  const markers = Array.from({ length: config.burst }, () => newMarker());
  const expectations = markers.map((m) => subscribers.map((s) => s.expect(m)));
  ctx.progress(`burst: ${markers.length} publish requests back to back`);
  const sent = await Promise.all(
    markers.map(async (marker, i) => {
      await sleep(5 * i);
      const { method, url, send } = publishMarker(ctx, config, marker, subscribers[0].clientId);
      try {
        const res = await send();
        return res.status < 400 ? undefined : `${method} ${url.pathname} → ${res.status}`;
      } catch (err) {
        return `${method} ${url.pathname}: ${(err as Error).message}`;
      }
    }),
  );
  const guard = new AbortController();
  const timeout = sleep(config.timeouts.round, null, { signal: guard.signal }).catch(() => null);
  const times = await Promise.all(expectations.map((row) => Promise.all(row.map((e) => Promise.race([e.promise, timeout])))));
  guard.abort();
  expectations.flat().forEach((e) => e.cancel());
  const durationMs = performance.now() - started;
  const refused = sent.find((x) => x !== undefined);
  if (refused) return burstCheck.fail(`a publish request of the burst was refused: ${refused}`, { durationMs });
  const missing = markers.flatMap((m, i) => subscribers.filter((_, k) => times[i][k] === null).map((s) => `${m} (${s.name})`));
  if (missing.length)
    return burstCheck.fail(
      `of ${markers.length} changes published back to back (5 ms apart), not every subscriber received every one within ${formatTimeout(config.timeouts.round)}; missing: ${missing.join(', ')} · ${label}`,
      { durationMs },
    );
  return burstCheck.pass(
    `both subscribers received all ${markers.length} changes published back to back (5 ms apart) · ${label}`,
    { durationMs },
  );
}

function missEvidence(
  subscribers: Subscriber[],
  missing: Subscriber[],
  marker: string,
  since: number,
  request: string,
  status: number | undefined,
): Evidence {
  const details: Record<string, unknown> = {
    marker,
    'did not receive it': missing.map((s) => `${s.name} (${s.url})`).join(', '),
  };
  for (const s of subscribers) {
    details[`${s.name} received this round`] = s.since(since).length ? s.since(since) : 'nothing';
    if (s.otherTypes.size)
      details[`${s.name} received other SSE event types`] = [...s.otherTypes].map(([type, v]) => `${type} ×${v.count}`);
    if (s.troubles.length) details[`${s.name} stream trouble`] = s.troubles.slice(-5);
  }
  // Events arrived, only under another name: say which, since "nothing" would send a person to the server.
  const types = [...new Set(missing.flatMap((s) => [...s.otherTypes.keys()]))];
  if (types.length && missing.every((s) => s.since(since).length === 0)) {
    details.hint = `no "${(missing[0] as SseSubscriber).event}" event arrived, but events of type ${types.map((t) => JSON.stringify(t)).join(', ')} did: set gates.realtime.event to the type the server sends`;
  }
  return { request, status, details };
}
