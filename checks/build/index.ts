// The build gate: build steps and artifact budgets, .env.example hygiene, and — with a managed target
// (target.start) — the fail-fast-config proof, starting the app, and (after every other gate) the
// graceful-shutdown proof.
import type { GateModule } from '../../src/gates/contract.js';
import { managedTargetOf, startResult } from '../../src/target/managed-target.js';
import { checkArtifacts } from './artifacts.js';
import { artifacts as artifactCheck, failFast, gracefulShutdown, start } from './catalogue.js';
import { checkEnvExample } from './env-example.js';
import { proveFailFast } from './fail-fast.js';
import { proveGracefulShutdown } from './graceful-shutdown.js';
import type { BuildConfig } from './schema.js';
import { runSteps } from './steps.js';

const NEEDS_START = 'needs a managed target: add target.start so shipgate starts the app itself';

export const gate: GateModule<BuildConfig> = {
  async run(ctx, config) {
    const built = await runSteps(ctx, config.steps);
    if (ctx.signal.aborted) return;
    if (built) await checkArtifacts(ctx, config.artifacts);
    else
      for (const rule of config.artifacts)
        ctx.record(
          artifactCheck.skip({
            title: `Artifacts ${rule.path.pattern} exist within budget`,
            message: 'not checked: the build failed',
          }),
        );
    if (config.repo !== undefined) await checkEnvExample(ctx, config.repo);

    const target = managedTargetOf(ctx.shared);
    const spec = ctx.profile.target.start;
    if (!target || !spec) {
      if (config.failFast) ctx.record(failFast.skip(NEEDS_START));
      if (config.gracefulShutdown) ctx.record(gracefulShutdown.skip(NEEDS_START));
      return;
    }
    if (!built) {
      if (config.failFast) ctx.record(failFast.skip('not tried: the build failed'));
      if (config.gracefulShutdown) ctx.record(gracefulShutdown.skip('not tried: the build failed, so the app was not started'));
      return;
    }
    // Before the app itself starts, so the extra copies compete with nothing.
    if (config.failFast) await proveFailFast(ctx, config.failFast, spec, target.baseUrl);
    if (ctx.signal.aborted) return;

    // The app the other gates run against, started after the build produced it.
    const outcome = await target.start(ctx.signal, (m) => ctx.progress(m));
    ctx.record(startResult(start, outcome));
    const shutdown = config.gracefulShutdown;
    if (shutdown) {
      if (outcome.ok) ctx.afterAll(() => proveGracefulShutdown(ctx, shutdown, target));
      else ctx.record(gracefulShutdown.skip('not tried: the app did not start'));
    }
  },
};
