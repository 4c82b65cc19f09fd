// The realtime gate: a change made in one client must appear in a second, independent client, within a
// latency budget measured over several rounds. Browser mode drives two Chromium contexts; sse and
// websocket modes use two protocol subscribers where no browser exists.
import type { GateModule } from '../../src/gates/contract.js';
import { needsVerifiedLeaf } from '../../src/http/chromium-trust.js';
import { trustFor } from '../../src/http/trust.js';
import { formatDuration } from '../../src/duration.js';
import { describeSource, findBrowser, type FoundBrowser } from '../../src/browser/finder.js';
import { prepareBrowser, runBrowserMode, type LaunchedBrowser } from './browser-mode.js';
import { browser, browserStorage, burst, latency, reconnect, sync } from './catalogue.js';
import { browserDetails } from '../../src/browser/details.js';
import { judge } from './judge.js';
import { runProtocolMode } from './protocol-mode.js';
import type { RealtimeConfig } from './schema.js';

interface Prepared {
  found: FoundBrowser;
  launched?: LaunchedBrowser;
}

export const gate: GateModule<RealtimeConfig> = {
  // Chromium launches at the start of the run, while build and probes run.
  async prepare(ctx, config): Promise<Prepared | undefined> {
    if (config.mode !== 'browser') return undefined;
    const found = await findBrowser({ configured: config.browser, configuredAt: 'gates.realtime.browser' });
    // A CA of the profile: Chromium is told the leaf Node verified, which needs the target up; it launches in run().
    const early = !needsVerifiedLeaf(ctx.baseUrl, trustFor(ctx.profile.target));
    return { found, launched: found.ok && early ? await prepareBrowser(ctx, config, found) : undefined };
  },
  async run(ctx, config) {
    if (config.mode !== 'browser') {
      const session = await runProtocolMode(ctx, config);
      judge(ctx, config, session);
      if (session.burst) ctx.record(session.burst);
      return;
    }
    const skipAll = (why: string) => {
      ctx.record(sync.skip(why));
      ctx.record(latency.skip(why));
      if (config.burst >= 2) ctx.record(burst.skip(why));
      if (config.inspectStorage) ctx.record(browserStorage.skip(why));
      if (config.reconnect) ctx.record(reconnect.skip(why));
    };
    const prepared = (await ctx.prepared) as Prepared | undefined;
    const found =
      prepared?.found ??
      (await findBrowser({
        configured: config.browser,
        configuredAt: 'gates.realtime.browser',
        onProgress: (m) => ctx.progress(m),
      }));
    if (!found.ok) {
      ctx.record(browser.error(found.message));
      return skipAll('no browser to run it in (see realtime.browser)');
    }
    // A retried attempt finds the prepared browser already closed by the first: it launches its own.
    // A prepared launch that failed (or was interrupted) is this attempt's outcome as it is.
    const closedSince = prepared?.launched?.launch.ok && prepared.launched.res.disposed;
    const launched = closedSince ? undefined : prepared?.launched;
    // Interrupted while waiting for the preparation: the runner has moved on and cleaned up; launch nothing.
    if (!launched && ctx.signal.aborted) return;
    const run = await runBrowserMode(ctx, config, found, launched);
    if (!run.launch.ok) {
      ctx.record(browser.error(run.launch.message));
      return skipAll('the browser did not start (see realtime.browser)');
    }
    ctx.record(
      browser.pass(
        `Chromium ${run.launch.version} (${found.path}, from ${describeSource(found.source)}) started in ${formatDuration(run.launch.ms)}`,
        {
          durationMs: run.launch.ms,
          evidence: { details: browserDetails(found, run.launch.version) },
        },
      ),
    );
    if (!run.session) return; // interrupted; the runner records why
    judge(ctx, config, run.session);
    if (run.burst) ctx.record(run.burst);
    if (run.storage) ctx.record(run.storage);
    if (config.reconnect) ctx.record(run.reconnect ?? reconnect.skip('not run: the rounds did not complete (see realtime.sync)'));
  },
};
