// Browser mode: one Chromium, two independent contexts (separate cookies and storage). Each round A
// performs the profile's action with a fresh marker and B must show it; the latency is read inside the
// pages (A's event time → B's MutationObserver time). Playwright is imported here, lazily, and the
// browser is closed on every path: normal end, failure, the gate's deadline and Ctrl-C.
import { setTimeout as sleep } from 'node:timers/promises';
import { browserRefusal, chromiumTrustArgs } from '../../src/http/chromium-trust.js';
import { trustFor } from '../../src/http/trust.js';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { BrowserFound } from '../../src/browser/finder.js';
import { launchChromium } from '../../src/browser/launch.js';
import { Loans, type BrowserLender, type BrowserLoan } from '../../src/browser/pool.js';
import { killTree } from '../../src/browser/process.js';
import type { GateContext, PrepareContext } from '../../src/gates/contract.js';
import { excerpt } from '../../src/http/client.js';
import type { CheckResult, Evidence } from '../../src/result.js';
import { withAccessToken } from './auth-headers.js';
import { checkBrowserStorage } from './browser-storage.js';
import { browserStorage as browserStorageCheck, burst as burstCheck, reconnect as reconnectCheck } from './catalogue.js';
import { logDetails, recordPageLog, screenshots, snapshotLog, type PageLog } from './evidence.js';
import { newMarker, type Round, type Session } from './judge.js';
import { formatLatency, formatTimeout } from './latency.js';
import { startNetworkSwitch, type NetworkSwitch } from './network-switch.js';
import {
  ACTION_STAMP_INIT,
  ARM_ACTION,
  READ_ACTION,
  READ_BURST,
  STOP_BURST,
  STOP_WATCH,
  STREAM_SPY_INIT,
  awaitWatch,
  burstInPage,
  fetchInPage,
  installBurstWatch,
  installWatch,
  readStreams,
  type BurstStep,
} from './page-scripts.js';
import type { RealtimeConfig } from './schema.js';
import { describeStep, substituteStep, type Placeholders, type Step } from './steps.js';

export interface BrowserRun {
  launch: { ok: true; version: string; ms: number } | { ok: false; message: string };
  session?: Session;
  burst?: CheckResult;
  storage?: CheckResult;
  reconnect?: CheckResult;
}

interface Client {
  label: 'A' | 'B';
  context: BrowserContext;
  page: Page;
  log: PageLog;
}

class StepFailure extends Error {
  constructor(
    message: string,
    readonly status: 'fail' | 'error' = 'fail',
  ) {
    super(message);
  }
}

/** The browser was closed under us (deadline, Ctrl-C): stop quietly, the runner reports it. */
class Interrupted extends Error {}

/** Everything that must be released, whichever way the gate ends. */
export class Resources {
  disposed = false;
  browser?: Browser;
  /** The browser's own process(es), for the kill below. */
  pids: number[] = [];
  netSwitch?: NetworkSwitch;
  /** Clients A and B opened ahead of the session (see preopenClients). */
  preopened?: Promise<[Client, Client]>;
  private closing?: Promise<void>;
  /** Contexts other gates opened in this browser (see lend()). */
  private readonly loans = new Loans();

  /** Idempotent: every caller (the gate itself, the runner's cleanup) waits for the same close. */
  dispose(): Promise<void> {
    this.disposed = true;
    return (this.closing ??= (async () => {
      // Another gate still using the browser gets up to 15 s to finish before it closes under it.
      await this.loans.returned(15_000);
      // A browser that does not close within 10 s is killed.
      if (this.browser) {
        // The guard timer is cancelled once the browser closed: a pending timer keeps the process alive.
        const guard = new AbortController();
        const closed = await Promise.race([
          this.browser.close().then(
            () => true,
            () => true,
          ),
          sleep(10_000, false, { signal: guard.signal }).catch(() => true),
        ]);
        guard.abort();
        if (!closed) this.pids.forEach(killTree);
      }
      await this.netSwitch?.close().catch(() => {});
    })());
  }

  /** The browser for another gate's own context, until it calls release(); undefined once closing. */
  lend(): BrowserLoan | undefined {
    return this.disposed ? undefined : this.loans.lend(this.browser);
  }

  /** Something created after dispose() began (a launch in flight at Ctrl-C) is closed at once. */
  async adopt<T extends Browser | NetworkSwitch>(thing: T): Promise<T> {
    if (!this.disposed) return thing;
    await thing.close().catch(() => {});
    throw new Interrupted();
  }
}

function firstLine(err: unknown): string {
  const text = String((err as Error)?.message ?? err).split('\n')[0];
  return text.replace(/^[a-zA-Z]+\.[a-zA-Z]+: /, '').trim();
}

function describeObservation(config: RealtimeConfig): string {
  const o = config.observe;
  return 'text' in o
    ? `an element matching ${JSON.stringify(o.selector)} containing ${o.text === '{marker}' ? 'the marker' : JSON.stringify(o.text)}`
    : `the number of elements matching ${JSON.stringify(o.selector)} changing by ${o.count > 0 ? '+' : ''}${o.count}`;
}

/** A launch (or its failure) and what must be released afterwards; res.browser is the browser. */
export interface LaunchedBrowser {
  res: Resources;
  launch: BrowserRun['launch'];
}

/** Launches Chromium into res (whose dispose() closes it); never throws. */
export async function launchBrowser(
  config: RealtimeConfig,
  found: BrowserFound,
  res: Resources,
  trustArgs: string[] = [],
): Promise<BrowserRun['launch']> {
  const launched = await launchChromium(found, {
    extraArgs: trustArgs,
    timeoutMs: config.timeouts.launch,
    timeoutSetting: 'timeouts.launch',
  });
  if (!launched.ok) return launched;
  res.pids = launched.pids;
  try {
    res.browser = await res.adopt(launched.browser);
  } catch {
    return { ok: false, message: 'interrupted while Chromium was starting' };
  }
  return { ok: true, version: launched.version, ms: launched.ms };
}

/**
 * Launches Chromium for the gate's prepare(), while earlier phases run; the runner disposes of it at the
 * end of the run in any case, the gate as soon as it is done.
 */
export async function prepareBrowser(ctx: PrepareContext, config: RealtimeConfig, found: BrowserFound): Promise<LaunchedBrowser> {
  const res = new Resources();
  ctx.onCleanup(() => res.dispose());
  const trust = await chromiumTrustArgs(ctx.baseUrl, trustFor(ctx.profile.target), config.timeouts.launch);
  const launching = launchBrowser(config, found, res, trust.args);
  // Other gates of the run (auth's browser login) borrow this browser instead of starting a second one.
  ctx.shared.browser = { found, borrow: async () => ((await launching).ok ? res.lend() : undefined) } satisfies BrowserLender;
  const launch = await launching;
  if (launch.ok) {
    preopenClients(res, config, { baseUrl: ctx.baseUrl, headers: ctx.profile.target.headers });
    await res.preopened?.catch(() => {});
  }
  return { res, launch };
}

export async function runBrowserMode(
  ctx: GateContext,
  config: RealtimeConfig,
  found: BrowserFound,
  prepared?: LaunchedBrowser,
): Promise<BrowserRun> {
  let launched = prepared;
  if (launched) {
    const res = launched.res;
    ctx.onCleanup(() => res.dispose());
  } else {
    const res = new Resources();
    ctx.onCleanup(() => res.dispose());
    ctx.progress(`starting Chromium (${found.path})`);
    launched = {
      res,
      launch: await launchBrowser(
        config,
        found,
        res,
        (await chromiumTrustArgs(ctx.baseUrl, ctx.http.trust, config.timeouts.launch)).args,
      ),
    };
  }
  const { res, launch } = launched;
  if (!launch.ok) return { launch };
  // The session's duration counts from the launch, wherever that happened.
  const started = performance.now() - launch.ms;
  const browser = res.browser!;
  const label = `Chromium ${launch.version} (${found.source})`;

  try {
    const run = new BrowserSession(ctx, config, res, browser, label);
    const session = await run.rounds(started);
    const complete = !session.failure && !session.stopped;
    const burst =
      config.burst >= 2
        ? complete
          ? await run.burst()
          : burstCheck.skip('not run: the rounds did not complete (see realtime.sync)')
        : undefined;
    const storage = config.inspectStorage ? await run.storage(session) : undefined;
    const reconnect = config.reconnect && !session.failure ? await run.reconnect() : undefined;
    return { launch, session, burst, storage, reconnect };
  } catch (err) {
    if (err instanceof Interrupted || res.disposed) return { launch };
    throw err;
  } finally {
    await res.dispose();
  }
}

/** One independent client: its own context (cookies, storage) and page. */
async function openClient(
  browser: Browser,
  config: RealtimeConfig,
  target: { baseUrl: URL; headers: Record<string, string> },
  label: 'A' | 'B',
  options: BrowserContextOptions,
): Promise<Client> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(config.timeouts.step);
  context.setDefaultNavigationTimeout(config.timeouts.load);
  await context.addInitScript(ACTION_STAMP_INIT);
  await context.addInitScript(STREAM_SPY_INIT);
  // The profile's target headers go to the target only, never to third-party origins the page loads.
  const headers = target.headers;
  if (Object.keys(headers).length) {
    const origin = target.baseUrl.origin;
    await context.route(
      (u) => u.origin === origin,
      (route) => route.continue({ headers: { ...route.request().headers(), ...headers } }),
    );
  }
  const page = await context.newPage();
  return { label, context, page, log: recordPageLog(page) };
}

/**
 * With a prepared browser, the two clients' contexts and (blank) pages open at once too: starting a
 * page's renderer is most of the cost of opening it, and it needs no target. Not in reconnect mode,
 * where B's context goes through the network switch the session starts.
 */
function preopenClients(res: Resources, config: RealtimeConfig, target: { baseUrl: URL; headers: Record<string, string> }): void {
  if (config.reconnect || !res.browser || res.disposed) return;
  const browser = res.browser;
  res.preopened = Promise.all([openClient(browser, config, target, 'A', {}), openClient(browser, config, target, 'B', {})]);
  res.preopened.catch(() => {}); // the session opens its own if this failed
}

interface StreamView {
  kind: string;
  url: string;
  state: string;
  messages: number;
  carried: boolean;
}

/**
 * Where a missed change stopped, from the streams B's page opened: never opened (headers held back), open
 * but the change never came (not sent, or buffered by a proxy), or it came and the page did not render it.
 * `hint` is one sentence for the message; with no marker only a stream that never opened is worth a hint.
 */
async function streamDiagnosis(page: Page, marker: string): Promise<{ "B's streams"?: string[]; hint?: string }> {
  const streams = (await page.evaluate(readStreams(marker)).catch(() => undefined)) as StreamView[] | undefined;
  if (!streams) return {};
  if (streams.length === 0)
    return marker
      ? { "B's streams": ['none: the page opened no EventSource or WebSocket (fetch streams and polling are not watched)'] }
      : {};
  const list = streams.map(
    (s) =>
      `${s.kind} ${s.url}: ${s.state}, ${s.messages} message${s.messages === 1 ? '' : 's'}${s.carried ? ', one carried the change' : ''}`,
  );
  const never = streams.every((s) => s.state === 'connecting' && s.messages === 0);
  const hint = never
    ? `the page's ${streams[0].kind} to ${streams[0].url} never opened: its response did not arrive (a proxy buffering the stream, or a server that never answers)`
    : !marker
      ? undefined
      : streams.some((s) => s.carried)
        ? "the change reached B's page over its stream, but the page did not render it (a client-side bug)"
        : "no stream message carrying the change reached B's page: the server did not send it to B, or a proxy is holding the stream back (buffering)";
  return { "B's streams": list, ...(hint ? { hint } : {}) };
}

class BrowserSession {
  private a?: Client;
  private b?: Client;
  private readonly pageUrl: URL;

  constructor(
    private readonly ctx: GateContext,
    private readonly config: RealtimeConfig,
    private readonly res: Resources,
    private readonly browser: Browser,
    private readonly label: string,
  ) {
    this.pageUrl = new URL(config.page, ctx.baseUrl);
  }

  private url(pathOrUrl: string): string {
    return new URL(pathOrUrl, this.ctx.baseUrl).toString();
  }

  /** Login steps, the page, and the ready marker, in one context. */
  private async prepare(client: Client): Promise<void> {
    for (const [i, step] of this.config.login.entries()) await this.runStep(client, step, 'login', i);
    await this.runStep(client, { kind: 'goto', url: this.config.page }, 'opening the page', 0, false);
    if (this.config.ready) {
      try {
        await client.page.waitForSelector(this.config.ready, { state: 'attached' });
      } catch (err) {
        const failure = this.rethrow(
          err,
          `${client.label}, waiting for the ready element ${JSON.stringify(this.config.ready)}`,
          `not there within ${formatTimeout(this.config.timeouts.step)} (timeouts.step)`,
        );
        const streams = failure instanceof StepFailure ? await streamDiagnosis(client.page, '') : undefined;
        throw streams?.hint ? new StepFailure(`${failure.message}; ${streams.hint}`, (failure as StepFailure).status) : failure;
      }
    }
  }

  /** A Playwright error as a step failure: "<where>: <what timed out>" or "<where>: <its first line>". */
  private rethrow(err: unknown, where: string, timedOut: string): Error {
    if (err instanceof StepFailure || err instanceof Interrupted) return err;
    if (this.res.disposed) return new Interrupted();
    return new StepFailure(`${where}: ${(err as Error)?.name === 'TimeoutError' ? timedOut : firstLine(err)}`);
  }

  private async runStep(client: Client, step: Step, where: string, index: number, numbered = true): Promise<{ at?: number }> {
    const { page } = client;
    const prefix = numbered
      ? `${client.label}, ${where}, step ${index + 1} (${describeStep(step)})`
      : `${client.label}, ${where} (${this.pageUrl.pathname})`;
    try {
      switch (step.kind) {
        case 'goto': {
          const url = this.url(step.url);
          const response = await page.goto(url, { waitUntil: 'load' });
          if (response && response.status() >= 400) throw new StepFailure(`${prefix}: GET ${url} → ${response.status()}`);
          return {};
        }
        case 'fill':
          await page.fill(step.selector, step.value);
          return {};
        case 'click':
          await page.click(step.selector);
          return {};
        case 'press':
          await page.press(step.selector, step.key);
          return {};
        case 'waitFor':
          await page.waitForSelector(step.selector, { state: 'visible' });
          return {};
        case 'request': {
          const url = this.url(step.request.url);
          const headers = withAccessToken(this.ctx, this.config.useAccessToken, step.request.headers);
          const r = (await page.evaluate(
            fetchInPage({
              url,
              method: step.request.method,
              headers,
              body: step.request.body,
              timeoutMs: this.config.timeouts.step,
            }),
          )) as { at: number; status?: number; body?: string; error?: string };
          if (r.error) throw new StepFailure(`${prefix}: ${r.error}`);
          if ((r.status ?? 0) >= 400)
            throw new StepFailure(`${prefix}: ${step.request.method} ${url} → ${r.status} ${excerpt(r.body ?? '', 200)}`);
          return { at: r.at };
        }
      }
    } catch (err) {
      // A page Chromium could not reach reads like every other client's refusal (one transport-error wording).
      const refusal =
        step.kind === 'goto' &&
        (await browserRefusal(err, new URL(this.url(step.url)), this.ctx.http.trust, this.config.timeouts.step));
      if (refusal) throw new StepFailure(`${prefix}: ${refusal}`);
      const timedOut =
        step.kind === 'goto'
          ? `the page did not load within ${formatTimeout(this.config.timeouts.load)} (timeouts.load)`
          : step.kind === 'request'
            ? `no answer within ${formatTimeout(this.config.timeouts.step)} (timeouts.step)`
            : `nothing matched within ${formatTimeout(this.config.timeouts.step)} (timeouts.step)`;
      throw this.rethrow(err, prefix, timedOut);
    }
  }

  /** A's action; returns the action time (A's clock): the first user event of the last step. */
  private async act(vars: Placeholders, where: string): Promise<number> {
    const a = this.a!;
    const steps = this.config.action.map((s) => substituteStep(s, vars));
    let at = Date.now();
    for (const [i, step] of steps.entries()) {
      const trigger = i === steps.length - 1;
      if (trigger && step.kind !== 'request') await a.page.evaluate(ARM_ACTION).catch(() => false);
      at = Date.now();
      const r = await this.runStep(a, step, where, i);
      if (trigger) {
        if (r.at !== undefined) return r.at;
        const stamped = (await a.page.evaluate(READ_ACTION).catch(() => null)) as number | null;
        return stamped ?? at;
      }
    }
    return at;
  }

  private async watch(marker: string): Promise<void> {
    try {
      await this.b!.page.evaluate(installWatch(this.config.observe, marker));
    } catch (err) {
      throw this.rethrow(err, "B's page could not be watched", 'timed out');
    }
  }

  /** B's observation time, or null when it did not come within `ms`. */
  private async seen(ms: number): Promise<number | null> {
    const page = this.b!.page;
    const guard = new AbortController();
    try {
      const at = (await Promise.race([page.evaluate(awaitWatch(ms)), sleep(ms + 2_000, null, { signal: guard.signal })])) as
        number | null;
      if (at !== null) return at;
      await page.evaluate(STOP_WATCH).catch(() => null);
      return null;
    } catch (err) {
      throw this.rethrow(err, "B's page could not be read", 'timed out');
    } finally {
      guard.abort();
    }
  }

  /** Whether A's own page shows the change B missed: tells "not broadcast" from "not made at all". */
  private async senderView(marker: string): Promise<Record<string, unknown>> {
    const o = this.config.observe;
    if (!('text' in o)) return {};
    const text = o.text.split('{marker}').join(marker);
    const shown = await this.a!.page.evaluate(
      `document.body !== null && (document.body.textContent || '').indexOf(${JSON.stringify(text)}) >= 0`,
    ).catch(() => undefined);
    if (shown === undefined) return {};
    return {
      'A shows the change': shown
        ? "yes: it reached A's own page but not B's"
        : 'no: neither page shows it (was the change made?)',
    };
  }

  /** B's observation time so far, without waiting and without ending the watch. */
  private async peek(): Promise<number | null> {
    try {
      return (await this.b!.page.evaluate(awaitWatch(0))) as number | null;
    } catch (err) {
      throw this.rethrow(err, "B's page could not be read", 'timed out');
    }
  }

  private async evidence(name: string, extra: Record<string, unknown> = {}): Promise<Evidence> {
    // B first: B is the context that shows the miss, and some consumers (GitLab) show only the first attachment.
    const pages = [this.b, this.a].filter((c): c is Client => Boolean(c)).map((c) => ({ label: c.label, page: c.page }));
    const log = this.b ? snapshotLog(this.b.log) : undefined;
    const attachments = await screenshots(this.ctx.artifactsDir, name, pages);
    return {
      request: `A and B open ${this.pageUrl}`,
      details: { ...extra, ...logDetails('B', log) },
      ...(attachments.length ? { attachments } : {}),
    };
  }

  async rounds(started: number): Promise<Session> {
    const { config, ctx } = this;
    const session: Session = {
      label: this.label,
      watched: describeObservation(config),
      wording: { seen: "B showed A's change", missed: "B did not show A's change" },
      planned: config.rounds,
      rounds: [],
      durationMs: 0,
    };
    try {
      if (config.reconnect) this.res.netSwitch = await this.res.adopt(await startNetworkSwitch());
      const proxy = this.res.netSwitch ? { proxy: { server: this.res.netSwitch.proxyUrl, bypass: '<-loopback>' } } : {};
      ctx.progress(`opening ${this.pageUrl.pathname} in contexts A and B`);
      const target = { baseUrl: this.ctx.baseUrl, headers: this.ctx.profile.target.headers };
      const preopened = await this.res.preopened?.catch(() => undefined);
      [this.a, this.b] =
        preopened ??
        (await Promise.all([
          openClient(this.browser, config, target, 'A', {}),
          openClient(this.browser, config, target, 'B', proxy),
        ]));
      await Promise.all([this.prepare(this.a), this.prepare(this.b)]);

      for (let i = 1; i <= config.rounds; i++) {
        // Spaced rounds stay apart, so a push-side throttle passes them and only the burst shows it.
        if (i > 1) await sleep(config.timeouts.spacing, undefined, { signal: ctx.signal }).catch(() => {});
        if (ctx.signal.aborted || this.res.disposed) throw new Interrupted();
        const marker = newMarker();
        await this.watch(marker);
        const actionAt = await this.act({ marker }, `round ${i}`);
        const seenAt = await this.seen(config.timeouts.round);
        const round: Round = {
          round: i,
          marker,
          observed: seenAt !== null,
          latencyMs: seenAt === null ? Infinity : Math.max(0, seenAt - actionAt),
        };
        session.rounds.push(round);
        ctx.progress(`round ${i}/${config.rounds}: ${round.observed ? formatLatency(round.latencyMs) : 'not observed'}`);
        if (!round.observed) {
          session.missEvidence ??= await this.evidence('realtime-sync', {
            ...(await this.senderView(marker)),
            ...(await streamDiagnosis(this.b!.page, marker)),
          });
          // Nothing arrived at all: the other rounds would only wait out the same timeout.
          if (i === 1 && config.rounds > 1) {
            session.stopped = `the remaining ${config.rounds - 1} rounds were not run after the first one got nothing`;
            break;
          }
        }
      }
    } catch (err) {
      if (err instanceof Interrupted || this.res.disposed) throw new Interrupted();
      const failure =
        err instanceof StepFailure ? err : new StepFailure(`the browser session failed: ${firstLine(err)}`, 'error');
      session.failure = {
        status: failure.status,
        message: failure.message,
        evidence: await this.evidence('realtime-sync').catch(() => undefined),
      };
    }
    session.durationMs = performance.now() - started;
    return session;
  }

  /** Tokens a page script can read, in both contexts (even after a failed session: what they hold counts). */
  async storage(session: Session): Promise<CheckResult> {
    const clients = [this.a, this.b].filter((c): c is Client => Boolean(c));
    // A page Chromium could not open (a refused certificate) shows its error page: nothing of the app's to read.
    const opened = clients.every((c) => /^https?:/.test(c.page.url()));
    if (clients.length < 2 || !opened)
      return browserStorageCheck.skip(`not run: ${session.failure?.message ?? 'the contexts did not open'}`);
    return checkBrowserStorage(
      this.ctx,
      clients.map((c) => ({ label: c.label, context: c.context, page: c.page })),
      this.label,
    );
  }

  /** A's action for one marker as steps the page can run itself; undefined when a step needs Playwright. */
  private burstSteps(marker: string): BurstStep[] | undefined {
    const out: BurstStep[] = [];
    for (const step of this.config.action.map((st) => substituteStep(st, { marker }))) {
      if (step.kind === 'fill' || step.kind === 'click') out.push(step);
      else if (step.kind === 'request') {
        const r = step.request;
        out.push({
          kind: 'request',
          url: this.url(r.url),
          method: r.method,
          headers: withAccessToken(this.ctx, this.config.useAccessToken, r.headers),
          body: r.body,
        });
      } else return undefined;
    }
    return out;
  }

  /** A makes `burst` changes back to back, a few ms apart; B must show every one of them. */
  async burst(): Promise<CheckResult> {
    const { config, ctx } = this;
    const o = config.observe;
    if (!('text' in o))
      return burstCheck.skip(
        'not run: with observe.count the changes of a burst cannot be told apart (use observe.text with {marker})',
      );
    const n = config.burst;
    const started = performance.now();
    const markers = Array.from({ length: n }, () => newMarker());
    const texts = markers.map((m) => o.text.split('{marker}').join(m));
    try {
      // As far from the last round as the rounds are from each other: only the burst's own changes are close.
      await sleep(config.timeouts.spacing, undefined, { signal: ctx.signal }).catch(() => {});
      ctx.progress(`burst: ${n} changes back to back`);
      await this.b!.page.evaluate(installBurstWatch(o.selector, texts));
      const inPage = markers.map((m) => this.burstSteps(m));
      let times: number[];
      if (inPage.every((c): c is BurstStep[] => c !== undefined)) {
        try {
          times = (await this.a!.page.evaluate(burstInPage(inPage, 5))) as number[];
        } catch (err) {
          throw this.rethrow(err, 'A, burst', 'timed out');
        }
      } else {
        times = [];
        for (const m of markers) times.push(await this.act({ marker: m }, 'burst'));
      }
      const deadline = Date.now() + config.timeouts.round;
      let seen = (await this.b!.page.evaluate(READ_BURST)) as (number | null)[];
      while (seen.some((t) => t === null) && Date.now() < deadline && !ctx.signal.aborted) {
        await sleep(25, undefined, { signal: ctx.signal }).catch(() => {});
        seen = (await this.b!.page.evaluate(READ_BURST)) as (number | null)[];
      }
      await this.b!.page.evaluate(STOP_BURST).catch(() => null);
      if (ctx.signal.aborted || this.res.disposed) throw new Interrupted();
      const spread = times[times.length - 1] - times[0];
      const durationMs = performance.now() - started;
      const list = markers.map(
        (m, i) =>
          `change ${i + 1} (${m}): ${seen[i] === null ? `not shown within ${formatTimeout(config.timeouts.round)}` : formatLatency(Math.max(0, seen[i]! - times[i]))}`,
      );
      const missing = markers.filter((_, i) => seen[i] === null);
      if (missing.length) {
        const evidence = await this.evidence('realtime-burst', { changes: list, ...(await this.senderView(missing[0])) });
        return burstCheck.fail(
          `B showed ${n - missing.length} of ${n} changes A made back to back (${formatLatency(spread)} from first to last); missing: ${missing.join(', ')} (${describeObservation(config)}) · ${this.label}`,
          { evidence, durationMs },
        );
      }
      const last = Math.max(...seen.map((t, i) => t! - times[i]));
      return burstCheck.pass(
        `B showed all ${n} changes A made back to back (${formatLatency(spread)} from first to last), the slowest ${formatLatency(Math.max(0, last))} after it was made · ${this.label}`,
        { evidence: { details: { via: this.label, changes: list } }, durationMs },
      );
    } catch (err) {
      if (err instanceof Interrupted || this.res.disposed) throw new Interrupted();
      const message = err instanceof StepFailure ? err.message : `the browser session failed: ${firstLine(err)}`;
      return burstCheck[err instanceof StepFailure ? err.status : 'error'](message, {
        evidence: await this.evidence('realtime-burst').catch(() => undefined),
      });
    }
  }

  /** B goes offline (its connections really cut), A makes a change, B comes back and must catch up. */
  async reconnect(): Promise<CheckResult> {
    const { config, ctx } = this;
    const b = this.b!;
    const net = this.res.netSwitch!;
    const started = performance.now();
    const offlineFor = formatTimeout(config.timeouts.offline);
    if (net.relayed === 0) {
      return reconnectCheck.error(
        "B's traffic did not pass through shipgate's network switch (a proxy bypass?), so going offline could not be simulated",
      );
    }
    try {
      const marker = newMarker();
      await this.watch(marker);
      ctx.progress(`reconnect: B offline for ${offlineFor} while A makes a change`);
      net.setOnline(false);
      await b.context.setOffline(true);
      await this.act({ marker }, 'reconnect');
      await sleep(config.timeouts.offline, undefined, { signal: ctx.signal }).catch(() => {});
      if ((await this.peek()) !== null) {
        return reconnectCheck.error(
          'B showed the change while it was offline, so its connection was not really cut; the check could not be decided',
          { evidence: await this.evidence('realtime-reconnect') },
        );
      }
      net.setOnline(true);
      await b.context.setOffline(false);
      const onlineAt = Date.now();
      const seenAt = await this.seen(config.timeouts.round);
      const durationMs = performance.now() - started;
      if (seenAt === null) {
        const evidence = await this.evidence('realtime-reconnect', { marker });
        return reconnectCheck.fail(
          `B did not show the change A made while B was offline (${offlineFor}) within ${formatTimeout(config.timeouts.round)} of coming back online`,
          { evidence, durationMs },
        );
      }
      return reconnectCheck.pass(
        `B caught up ${formatLatency(Math.max(0, seenAt - onlineAt))} after coming back online (offline for ${offlineFor}, its stream cut, while A made the change)`,
        { durationMs, metrics: { catchUpMs: Math.max(0, seenAt - onlineAt) } },
      );
    } catch (err) {
      if (err instanceof Interrupted || this.res.disposed) throw new Interrupted();
      const message = err instanceof StepFailure ? err.message : `the browser session failed: ${firstLine(err)}`;
      return reconnectCheck[err instanceof StepFailure ? err.status : 'error'](message, {
        evidence: await this.evidence('realtime-reconnect').catch(() => undefined),
      });
    }
  }
}
