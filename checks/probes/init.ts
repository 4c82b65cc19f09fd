// The probes gate's part of `shipgate init`: find the health and readiness endpoints, write their section.
import { formatDuration } from '../../src/duration.js';
import type { InitHook, InitSection, SummaryRow } from '../../src/init/hook.js';
import { commented, q } from '../../src/init/yaml.js';
import { LIVENESS_PATHS, probeHealth, type HealthFindings, type ProbeFinding } from './init-discover.js';

const DEFAULT_BUDGET_MS = 500;

/** A latency budget with headroom over what init measured: at least 500 ms, else 3× the answer, rounded up. */
function budgetFor(f: ProbeFinding): number | undefined {
  const ms = Math.ceil((f.durationMs * 3) / 100) * 100;
  return ms > DEFAULT_BUDGET_MS ? ms : undefined;
}

export const init: InitHook<HealthFindings> = {
  retriesExample: 1,
  async discover(ctx) {
    ctx.progress('health and readiness paths');
    const health = await probeHealth(ctx.prober, ctx.catchAll);
    if (health.liveness) ctx.facts.healthPath = health.liveness.path;
    return health;
  },
  render(health) {
    const { liveness, readiness } = health ?? { found: [] };
    return { ...section(liveness, readiness), summary: summary(liveness, readiness) };
  },
};

function section(liveness: ProbeFinding | undefined, readiness: ProbeFinding | undefined): Omit<InitSection, 'summary'> {
  const out: string[] = [];
  const todos: string[] = [];
  if (!liveness) {
    out.push(
      `  # TODO probes: no health endpoint answered (tried ${LIVENESS_PATHS.slice(0, 6).join(', ')}, …). Name yours, then uncomment:`,
      '  # probes:',
      '  #   liveness: { path: /health }',
      '  #   readiness: { path: /ready }',
    );
    todos.push('probes: no health or readiness endpoint found (section commented out)');
    return { lines: out, todos, active: false };
  }
  const probe = (key: string, p: ProbeFinding, note: string) => {
    out.push(`    ${key}:`, commented(`      path: ${q(p.path)}`, note));
    if (p.status !== 200) out.push(`      status: ${p.status}`);
    if (p.contentType !== 'application/json')
      out.push(`      contentType: ${q(p.contentType)}${p.contentType ? '' : '   # it sent no Content-Type'}`);
    if (p.condition) out.push('      conditions:', `        - ${q(p.condition)}`);
    const budget = budgetFor(p);
    if (budget) out.push(commented(`      maxLatency: ${budget}ms`, `init measured ${formatDuration(p.durationMs)}`));
  };
  const answered = (p: ProbeFinding) =>
    `answered ${p.status} ${p.contentType || 'without a content type'} in ${formatDuration(p.durationMs)}`;
  out.push('  probes:');
  probe('liveness', liveness, answered(liveness));
  if (readiness && readiness.path !== liveness.path) {
    if (readiness.status === 503) {
      out.push(
        `    # ${readiness.path} answered 503 during init${readiness.bodyStatus ? ` (status "${readiness.bodyStatus}")` : ''}: the target was not ready then.`,
      );
      probe('readiness', { ...readiness, status: 200, condition: undefined }, 'TODO: expected to answer 200 once ready');
      todos.push(`probes.readiness: ${readiness.path} answered 503 during init`);
    } else probe('readiness', readiness, answered(readiness));
  } else {
    out.push(
      '    # TODO: no readiness endpoint answered (tried /readyz, /ready, /health/ready, …); the liveness path stands in.',
    );
    probe('readiness', liveness, 'TODO: your readiness endpoint');
    todos.push('probes.readiness: no readiness endpoint found; the liveness path stands in');
  }
  out.push(commented('    samples: 3', 'each probe 3 times, to catch flapping'), '    interval: 200ms');
  return { lines: out, todos, active: true };
}

function summary(liveness: ProbeFinding | undefined, readiness: ProbeFinding | undefined): SummaryRow[] {
  const rows: SummaryRow[] = [];
  rows.push(
    liveness
      ? [
          'found',
          'liveness',
          `GET ${liveness.path} → ${liveness.status} ${liveness.contentType} (${formatDuration(liveness.durationMs)})`,
        ]
      : ['missing', 'liveness', 'no health endpoint answered'],
  );
  if (readiness && readiness.path !== liveness?.path)
    rows.push([
      readiness.status === 503 ? 'problem' : 'found',
      'readiness',
      `GET ${readiness.path} → ${readiness.status} ${readiness.contentType}`,
    ]);
  else rows.push(['missing', 'readiness', 'no readiness endpoint answered']);
  return rows;
}
