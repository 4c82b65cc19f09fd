// The console reporter: a line per check as it finishes, a transient progress line in a TTY,
// plain lines when CI is set or output is not a TTY, and a summary with the verdict.
import kleur from 'kleur';
import { formatDuration } from '../duration.js';
import type { CheckResult, GateResult, RunResult, Status } from '../result.js';
import { countByStatus } from '../result.js';
import { baselineLines } from './baseline.js';
import { summaryCounts } from './markdown.js';
import type { Reporter, RunInfo } from './reporter.js';
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

export function consoleReporter(opts: ConsoleOptions = {}): Reporter {
  const out = opts.out ?? process.stdout;
  const err = opts.err ?? process.stderr;
  const live = opts.live ?? (Boolean(err.isTTY) && !process.env.CI);
  kleur.enabled = opts.color ?? kleur.enabled;
  const paint: Record<Status, (s: string) => string> = {
    pass: kleur.green, fail: kleur.red, warn: kleur.yellow, skip: kleur.gray, error: kleur.magenta, waived: kleur.cyan, flaky: kleur.yellow,
  };
  let transient = false;
  let lastGate: string | undefined;
  const titles = new Map<string, string>();
  const clear = () => {
    if (transient) err.write('\r\x1b[K');
    transient = false;
  };
  const line = (s: string) => {
    clear();
    out.write(s + '\n');
  };

  return {
    name: 'console',
    onBegin(info: RunInfo) {
      line(kleur.bold(`shipgate · ${text(info.profile.name)} → ${text(info.target.baseUrl)}`));
      line(kleur.gray(`gates: ${info.gates.map((g) => text(g.id)).join(', ') || '(none)'}`));
    },
    onGateBegin(gate) {
      titles.set(gate.id, gate.title);
    },
    onProgress(gateId, message, progressOpts) {
      if (progressOpts?.persistent) {
        line(kleur.yellow(`  ↻ ${text(message)}`));
      } else if (live) {
        clear();
        const progress = `  … ${gateId}: ${text(message)}`;
        err.write(kleur.gray(progress.slice(0, (process.stderr.columns ?? 100) - 1)));
        transient = true;
      } else if (opts.verbose) {
        err.write(kleur.gray(`  … ${gateId}: ${text(message)}\n`));
      }
    },
    onCheck(gateId: string, c: CheckResult) {
      // Gates of one phase run concurrently: a heading whenever the lines switch gate keeps them readable.
      if (gateId !== lastGate) line(`\n${kleur.bold(text(titles.get(gateId) ?? gateId))} ${kleur.gray(`(${text(gateId)})`)}`);
      lastGate = gateId;
      const mark = paint[c.status](`${SYMBOL[c.status]} ${c.status.padEnd(5)}`);
      line(`  ${mark} ${text(c.id)} ${kleur.gray('—')} ${text(c.message)}${c.durationMs >= 1 ? kleur.gray(` (${formatDuration(c.durationMs)})`) : ''}`);
      if ((c.status === 'fail' || c.status === 'error') && c.evidence?.request) line(kleur.gray(`          ${text(c.evidence.request)}${c.evidence.status ? ` → ${c.evidence.status}` : ''}`));
    },
    onGateEnd(g: GateResult) {
      if (g.checks.length === 0 && g.reason && g.id !== lastGate) {
        line(`\n${kleur.bold(text(g.title))} ${kleur.gray(`(${text(g.id)})`)}`);
        lastGate = g.id;
      }
      if (g.checks.length === 0 && g.reason) line(`  ${paint[g.status](`${SYMBOL[g.status]} ${g.status.padEnd(5)}`)} ${text(g.reason)}`);
    },
    onEnd(result: RunResult) {
      clear();
      const n = countByStatus(result.gates.flatMap((g) => g.checks));
      const verdict = result.verdict === 'pass' ? kleur.bold().green('PASS') : result.verdict === 'fail' ? kleur.bold().red('FAIL') : kleur.bold().magenta('ERROR');
      out.write('\n');
      for (const g of result.gates) {
        out.write(`  ${paint[g.status](SYMBOL[g.status])} ${text(g.id).padEnd(9)} ${paint[g.status](g.status.padEnd(5))} ${kleur.gray(formatDuration(g.durationMs))}\n`);
      }
      if (result.baseline) {
        out.write(`\n${kleur.bold('Changes since baseline')} ${kleur.gray(`(${text(result.baseline.baseline.path)}, ${text(result.baseline.baseline.startedAt)})`)}\n`);
        for (const l of baselineLines(result.baseline).map(text)) out.write(`  ${l.startsWith('fixed') ? kleur.green(l) : l.startsWith('no changes') ? kleur.gray(l) : kleur.red(l)}\n`);
      }
      out.write(`\n${verdict}${result.interrupted ? kleur.yellow(' (interrupted)') : ''} · ${summaryCounts(n)} · ${formatDuration(result.durationMs)}\n`);
    },
  };
}
