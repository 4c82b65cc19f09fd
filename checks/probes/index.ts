// The probes gate: liveness and readiness, sampled N times, judged on status, content type,
// body conditions, latency and consistency.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckFactory } from '../../src/check.js';
import { evaluateCondition } from '../../src/conditions.js';
import { formatDuration } from '../../src/duration.js';
import type { GateContext, GateModule } from '../../src/gates/contract.js';
import { HttpError } from '../../src/http/errors.js';
import { describeRequest, excerpt, pickHeaders, type HttpResponse } from '../../src/http/client.js';
import { flapping, latency, liveness, readiness } from './catalogue.js';
import type { ProbesConfig } from './schema.js';

type ProbeConfig = ProbesConfig['liveness'];

/** A probe answer is small; anything bigger is a misconfiguration, and reading it all would cost the run. */
const PROBE_BODY_LIMIT = 64 * 1024;

interface Sample {
  ok: boolean;
  problems: string[];
  ms: number;
  response?: HttpResponse;
  error?: string;
}

async function sampleOnce(ctx: GateContext, probe: ProbeConfig): Promise<Sample> {
  const started = performance.now();
  try {
    const res = await ctx.http.request({ url: probe.path, signal: ctx.signal, maxBodyBytes: PROBE_BODY_LIMIT });
    const problems: string[] = [];
    if (res.truncated)
      problems.push(
        `body larger than the ${PROBE_BODY_LIMIT / 1024} KiB a probe may send${res.headers['content-length'] ? ` (Content-Length ${res.headers['content-length']})` : ''}`,
      );
    if (res.status !== probe.status) problems.push(`status ${res.status}, expected ${probe.status}`);
    const type = res.headers['content-type'] ?? '';
    if (probe.contentType && !type.toLowerCase().startsWith(probe.contentType.toLowerCase())) {
      problems.push(`content type ${type ? JSON.stringify(type) : 'missing'}, expected ${probe.contentType}`);
    }
    for (const c of probe.conditions) {
      const outcome = evaluateCondition(c, res);
      if (!outcome.ok) problems.push(outcome.display);
    }
    return { ok: problems.length === 0, problems, ms: res.durationMs, response: res };
  } catch (err) {
    const message = err instanceof HttpError ? err.message : `request failed: ${(err as Error).message}`;
    return { ok: false, problems: [message], ms: performance.now() - started, error: message };
  }
}

/**
 * Samples start `interval` apart whether or not the previous one has answered: the spacing that catches
 * flapping stays the same, and a distant target costs about one round trip for the whole probe instead of
 * one per sample.
 */
async function sampleProbe(ctx: GateContext, probe: ProbeConfig, config: ProbesConfig, name: string): Promise<Sample[]> {
  const started = performance.now();
  const pending: Promise<Sample>[] = [];
  let firstFailedToConnect = false;
  for (let i = 0; i < config.samples; i++) {
    const wait = started + i * config.interval - performance.now();
    if (wait > 0) await sleep(wait, undefined, { signal: ctx.signal }).catch(() => {});
    // A refused connection will not heal within a few intervals; stop sampling and report it.
    if (ctx.signal.aborted || firstFailedToConnect) break;
    pending.push(
      sampleOnce(ctx, probe).then((s) => {
        if (s.error && i === 0) firstFailedToConnect = true;
        ctx.progress(`${name} ${i + 1}/${config.samples}: ${s.ok ? 'ok' : s.problems[0]} (${formatDuration(s.ms)})`);
        return s;
      }),
    );
  }
  return Promise.all(pending);
}

function evidenceOf(ctx: GateContext, probe: ProbeConfig, s: Sample) {
  const url = ctx.http.resolve(probe.path);
  return {
    request: describeRequest('GET', url),
    status: s.response?.status,
    headers: s.response ? pickHeaders(s.response.headers, ['content-type', 'cache-control', 'x-request-id']) : undefined,
    body: s.response ? excerpt(s.response.body, 300) : undefined,
    details: s.error ? { error: s.error } : undefined,
  };
}

function judgeProbe(ctx: GateContext, check: CheckFactory, probe: ProbeConfig, samples: Sample[]) {
  const failed = samples.find((s) => !s.ok);
  const durationMs = samples.reduce((a, s) => a + s.ms, 0);
  if (samples.length === 0) return check.error('no sample was taken (the gate was interrupted)', { durationMs });
  if (failed) {
    const n = samples.filter((s) => !s.ok).length;
    return check.fail(
      `GET ${probe.path}: ${failed.problems.join('; ')}${samples.length > 1 ? ` (${n} of ${samples.length} samples failed)` : ''}`,
      {
        evidence: evidenceOf(ctx, probe, failed),
        durationMs,
      },
    );
  }
  const s = samples[samples.length - 1];
  return check.pass(
    `GET ${probe.path} → ${s.response?.status} ${s.response?.headers['content-type'] ?? ''} in ${samples.length} of ${samples.length} samples`,
    {
      evidence: evidenceOf(ctx, probe, s),
      durationMs,
    },
  );
}

export const gate: GateModule<ProbesConfig> = {
  async run(ctx, config) {
    const [live, ready] = await Promise.all([
      sampleProbe(ctx, config.liveness, config, 'liveness'),
      sampleProbe(ctx, config.readiness, config, 'readiness'),
    ]);
    ctx.record(judgeProbe(ctx, liveness, config.liveness, live));
    ctx.record(judgeProbe(ctx, readiness, config.readiness, ready));

    const answered = [...live.map((s) => ({ s, p: config.liveness })), ...ready.map((s) => ({ s, p: config.readiness }))].filter(
      (x) => x.s.response,
    );
    if (answered.length === 0) {
      ctx.record(latency.skip('no probe answered, so there is no latency to judge'));
      ctx.record(flapping.skip('no probe answered'));
      return;
    }
    const slow = answered.filter((x) => x.s.ms > x.p.maxLatency);
    const worst = answered.reduce((a, b) => (b.s.ms > a.s.ms ? b : a));
    const metrics = { maxMs: Math.round(worst.s.ms * 10) / 10 };
    if (slow.length) {
      const names = [...new Set(slow.map((x) => x.p.path))].join(', ');
      ctx.record(
        latency.fail(
          `${names}: slowest sample ${formatDuration(worst.s.ms)} > budget ${formatDuration(worst.p.maxLatency)} (${slow.length} of ${answered.length} samples over budget)`,
          { metrics, evidence: evidenceOf(ctx, worst.p, worst.s) },
        ),
      );
    } else {
      ctx.record(
        latency.pass(
          `slowest sample ${formatDuration(worst.s.ms)} (budgets: ${formatDuration(config.liveness.maxLatency)} liveness, ${formatDuration(config.readiness.maxLatency)} readiness)`,
          { metrics },
        ),
      );
    }
    const flapped = [live, ready].filter((xs) => new Set(xs.map((s) => `${s.ok}:${s.response?.status ?? s.error}`)).size > 1);
    if (config.samples < 2) ctx.record(flapping.skip('only one sample per probe (set gates.probes.samples ≥ 2)'));
    else if (flapped.length) {
      const seq = flapped[0].map((s) => s.response?.status ?? 'error').join(' → ');
      ctx.record(flapping.fail(`answers changed between samples: ${seq}`));
    } else ctx.record(flapping.pass(`${config.samples} samples per probe, all the same answer`));
  },
};
