// The console reporter: each gate's checks under one heading, printed whole when the gate is done and in
// plan order (src/report/console-groups.ts); a transient progress line per gate in a TTY; a summary with the verdict.
import kleur from 'kleur';
import { formatDuration } from '../duration.js';
import type { CheckResult, GateResult, RunResult, Status } from '../result.js';
import { countByStatus } from '../result.js';
import { baselineLines } from '../baseline.js';
import { summaryCounts } from './counts.js';
import type { Reporter, RunInfo } from './reporter.js';
import { ConsoleGroups } from './console-groups.js';
import { oneLine as text } from './escape.js';

export interface ConsoleOptions {
  out?: NodeJS.WritableStream & { isTTY?: boolean };
  err?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Transient progress line (TTY and not CI). */
  live?: boolean;
  color?: boolean;
  verbose?: boolean;
}

const SYMBOL: Record<Status, string> = { pass: '✓', fail: '✗', warn: '!', skip: '-', error: '‼', waived: '~', flaky: '?' };

const PAINT: Record<Status, (s: string) => string> = {
  pass: kleur.green,
  fail: kleur.red,
  warn: kleur.yellow,
  skip: kleur.gray,
  error: kleur.magenta,
  waived: kleur.cyan,
  flaky: kleur.yellow,
};

const mark = (status: Status) => PAINT[status](`${SYMBOL[status]} ${status.padEnd(5)}`);

export function consoleReporter(opts: ConsoleOptions = {}): Reporter {
  const out = opts.out ?? process.stdout;
  const err = opts.err ?? process.stderr;
  const live = opts.live ?? (Boolean(err.isTTY) && !process.env.CI);
  kleur.enabled = opts.color ?? kleur.enabled;
  const groups = new ConsoleGroups(out, err);

  return {
    name: 'console',
    onBegin(info: RunInfo) {
      groups.line(kleur.bold(`shipgate · ${text(info.profile.name)} → ${text(info.target.baseUrl)}`));
      groups.line(kleur.gray(`gates: ${info.gates.map((g) => text(g.id)).join(', ') || '(none)'}`));
      for (const g of info.gates) {
        groups.titles.set(g.id, g.title);
        groups.groupOf(g.id);
      }
    },
    onGateBegin(gate) {
      groups.titles.set(gate.id, gate.title);
      groups.groupOf(gate.id);
    },
    onProgress(gateId, message, progressOpts) {
      if (progressOpts?.persistent) {
        groups.add(gateId, kleur.yellow(`  ↻ ${text(message)}`));
      } else if (live) {
        const progress = `  … ${gateId}: ${text(message)}`;
        groups.progress(kleur.gray(progress.slice(0, Math.max(20, (process.stderr.columns || 100) - 1))));
      } else if (opts.verbose) {
        err.write(kleur.gray(`  … ${gateId}: ${text(message)}\n`));
      }
    },
    onCheck(gateId: string, c: CheckResult) {
      groups.add(
        gateId,
        `  ${mark(c.status)} ${text(c.id)} ${kleur.gray('—')} ${text(c.message)}${c.durationMs >= 1 ? kleur.gray(` (${formatDuration(c.durationMs)})`) : ''}`,
      );
      if ((c.status === 'fail' || c.status === 'error') && c.evidence?.request)
        groups.add(
          gateId,
          kleur.gray(`          ${text(c.evidence.request)}${c.evidence.status ? ` → ${c.evidence.status}` : ''}`),
        );
    },
    onGateEnd(g: GateResult, endOpts) {
      groups.titles.set(g.id, g.title);
      if (g.checks.length === 0 && g.reason && !groups.groupOf(g.id).length)
        groups.add(g.id, `  ${mark(g.status)} ${text(g.reason)}`);
      if (endOpts?.pending && live) groups.progress(kleur.gray(`  … ${g.id}: pending until every other gate is done`));
      groups.end(g.id, Boolean(endOpts?.pending));
    },
    onEnd(result: RunResult) {
      // An interrupted run prints what it has, every group.
      groups.flush(true);
      groups.clear();
      writeSummary(out, result);
    },
  };
}

/** The end of the run: a line per gate, the changes since the baseline, the verdict with the counts. */
function writeSummary(out: NodeJS.WritableStream, result: RunResult): void {
  const n = countByStatus(result.gates.flatMap((g) => g.checks));
  const verdict =
    result.verdict === 'pass'
      ? kleur.bold().green('PASS')
      : result.verdict === 'fail'
        ? kleur.bold().red('FAIL')
        : kleur.bold().magenta('ERROR');
  out.write('\n');
  for (const g of result.gates) {
    out.write(
      `  ${PAINT[g.status](SYMBOL[g.status])} ${text(g.id).padEnd(9)} ${PAINT[g.status](g.status.padEnd(5))} ${kleur.gray(formatDuration(g.durationMs))}\n`,
    );
  }
  if (result.baseline) {
    out.write(
      `\n${kleur.bold('Changes since baseline')} ${kleur.gray(`(${text(result.baseline.baseline.path)}, ${text(result.baseline.baseline.startedAt)})`)}\n`,
    );
    for (const l of baselineLines(result.baseline).map(text))
      out.write(`  ${l.startsWith('fixed') ? kleur.green(l) : l.startsWith('no changes') ? kleur.gray(l) : kleur.red(l)}\n`);
  }
  out.write(
    `\n${verdict}${result.interrupted ? kleur.yellow(' (interrupted)') : ''} · ${summaryCounts(n)} · ${formatDuration(result.durationMs)}\n`,
  );
}
