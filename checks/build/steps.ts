// Build steps: each command runs through a shell in its own process group, with a deadline after which
// the whole group (the shell and everything it started) is killed. The output tail is the evidence.
import { resolve } from 'node:path';
import { formatDuration } from '../../src/duration.js';
import type { GateContext } from '../../src/gates/contract.js';
import { describeExit, ProcessGroup } from '../../src/target/process-group.js';
import type { CheckResult, Evidence } from '../../src/result.js';
import { steps as stepCheck } from './catalogue.js';
import type { BuildStep } from './schema.js';

const titleOf = (step: BuildStep) => `Build step "${step.name}" succeeds`;

/** Runs the steps in order; the first failure stops the rest. True when every step succeeded. */
export async function runSteps(ctx: GateContext, steps: BuildStep[]): Promise<boolean> {
  let failed: string | undefined;
  for (const step of steps) {
    if (ctx.signal.aborted) return false;
    if (failed) {
      ctx.record(stepCheck.skip({ title: titleOf(step), message: `not run: step "${failed}" failed` }));
      continue;
    }
    const result = await runStep(ctx, step);
    if (!result) return false; // interrupted or past the gate's deadline: the runner says so
    ctx.record(result);
    if (result.status !== 'pass') failed = step.name;
  }
  return failed === undefined;
}

async function runStep(ctx: GateContext, step: BuildStep): Promise<CheckResult | undefined> {
  const started = performance.now();
  ctx.progress(`${step.name}: $ ${step.run}`);
  const group = ProcessGroup.spawn(step.run, { cwd: step.cwd, env: { ...process.env, ...step.env } });
  ctx.onCleanup(() => void group.kill());
  let lastProgress = 0;
  const off = group.output.onLine((line) => {
    // The latest line as progress, a few times a second at most.
    if (line.trim() && performance.now() - lastProgress > 250) {
      lastProgress = performance.now();
      ctx.progress(`${step.name}: ${ctx.redactor.text(line.trim())}`);
    }
  });

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), step.timeout)));
  const aborted = new Promise<'aborted'>((r) => {
    if (ctx.signal.aborted) r('aborted');
    ctx.signal.addEventListener('abort', () => r('aborted'), { once: true });
  });
  const outcome = await Promise.race([group.exited, timedOut, aborted]);
  clearTimeout(timer);
  off();
  if (outcome === 'aborted') {
    await group.kill();
    return undefined;
  }
  const exit = outcome === 'timeout' ? await group.kill() : outcome;
  const durationMs = performance.now() - started;
  const evidence: Evidence = {
    request: `$ ${step.run}`,
    details: {
      cwd: resolve(step.cwd ?? '.'),
      ...(outcome === 'timeout' ? { timeout: formatDuration(step.timeout) } : { exit: describeExit(exit) }),
      duration: formatDuration(durationMs),
    },
    body: ctx.redactor.text(group.output.tail(undefined, undefined, (t) => ctx.redactor.text(t))) || '(no output)',
  };
  const title = titleOf(step);
  if (outcome === 'timeout') {
    return stepCheck.fail({
      title,
      message: `${step.name}: timed out after ${formatDuration(step.timeout)}; its process group was killed`,
      evidence,
      durationMs,
    });
  }
  if (exit.code === 0)
    return stepCheck.pass({ title, message: `${step.name}: exit code 0 in ${formatDuration(durationMs)}`, evidence, durationMs });
  return stepCheck.fail({
    title,
    message: `${step.name}: ${describeExit(exit)} after ${formatDuration(durationMs)}`,
    evidence,
    durationMs,
  });
}
