// The fail-fast-config proof: start another copy of the app (on a free port of its own) once per required
// environment variable, with that variable removed. A well-built app exits non-zero within seconds and
// names the variable; one that starts anyway, hangs, or exits 0 fails the check.
import { formatDuration } from '../../src/duration.js';
import type { GateContext } from '../../src/gates/contract.js';
import type { TargetStart } from '../../src/profile/target-start.js';
import { freePort, readySpecFor, waitUntilReady } from '../../src/target/managed-target.js';
import { describeExit, ProcessGroup } from '../../src/target/process-group.js';
import type { CheckResult, Evidence } from '../../src/result.js';
import { failFast as failFastCheck } from './catalogue.js';
import type { FailFastConfig } from './schema.js';

export async function proveFailFast(ctx: GateContext, config: FailFastConfig, spec: TargetStart, baseUrl: URL): Promise<void> {
  for (const name of config.requiredEnv) {
    if (ctx.signal.aborted) return;
    const result = await startWithout(ctx, name, config, spec, baseUrl);
    if (result) ctx.record(result);
  }
}

async function startWithout(
  ctx: GateContext,
  name: string,
  config: FailFastConfig,
  spec: TargetStart,
  baseUrl: URL,
): Promise<CheckResult | undefined> {
  const started = performance.now();
  const title = `The app refuses to start without ${name}`;
  const port = await freePort(baseUrl.hostname === 'localhost' ? '127.0.0.1' : baseUrl.hostname).catch(() => freePort());
  const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env, [config.portEnv]: String(port) };
  delete env[name];
  ctx.progress(`fail-fast: starting a copy without ${name} (${config.portEnv}=${port})`);
  const group = ProcessGroup.spawn(spec.command, { cwd: spec.cwd, env });
  ctx.onCleanup(() => void group.kill());

  // The copy listens on its own port: the readiness URL, moved there, tells whether it started anyway.
  const ready = readySpecFor(spec, baseUrl);
  if (ready.url) {
    ready.url = new URL(ready.url);
    ready.url.port = String(port);
  }
  const outcome = await waitUntilReady(group, ready, config.timeout, ctx.signal, ctx.http.trust);
  if (ctx.signal.aborted) {
    await group.kill();
    return undefined;
  }
  const exit = group.exit ?? (await group.kill());
  const durationMs = performance.now() - started;
  const output = group.output.tail();
  const naming = group.output.lines().find((l) => l.includes(name));
  const evidence: Evidence = {
    request: `$ ${spec.command}   (without ${name}, ${config.portEnv}=${port})`,
    details: {
      removed: name,
      ...(group.pid ? { pid: group.pid } : {}),
      exit: describeExit(exit),
      after: formatDuration(durationMs),
      ...(naming ? { 'line naming it': naming.trim().slice(0, 300) } : {}),
    },
    body: output || '(no output)',
  };
  const o = (message: string) => ({ title, message, evidence, durationMs });
  if (outcome.ready)
    return failFastCheck.fail(
      o(`started anyway without ${name}: ${outcome.how} after ${formatDuration(durationMs)}; it was killed`),
    );
  if (!outcome.exited)
    return failFastCheck.fail(
      o(
        `still running ${formatDuration(config.timeout)} after start without ${name}: it neither exited nor became ready; it was killed`,
      ),
    );
  if (exit.error) return failFastCheck.error(o(`could not start the copy: ${exit.error}`));
  if (exit.code === 0)
    return failFastCheck.fail(
      o(`exited with code 0 without ${name}: a process manager counts that as success; exit non-zero instead`),
    );
  if (!naming)
    return failFastCheck.fail(o(`exited (${describeExit(exit)}) without ${name}, but its output does not name ${name}`));
  return failFastCheck.pass(
    o(
      `exited (${describeExit(exit)}) after ${formatDuration(durationMs)} without ${name}, naming it: ${JSON.stringify(naming.trim().slice(0, 160))}`,
    ),
  );
}
