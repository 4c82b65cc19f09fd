// The console reporter: each gate's checks under one heading, printed whole when the gate is done and in
// plan order; a transient progress line per gate in a TTY; a summary with the verdict.
import kleur from 'kleur';
import { formatDuration } from '../duration.js';
import type { CheckResult, GateResult, RunResult, Status } from '../result.js';
import { countByStatus } from '../result.js';
import { baselineLines } from '../baseline.js';
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
    pass: kleur.green,
    fail: kleur.red,
    warn: kleur.yellow,
    skip: kleur.gray,
    error: kleur.magenta,
    waived: kleur.cyan,
    flaky: kleur.yellow,
  };
  let transient = false;
  const titles = new Map<string, string>();
  // Gates run concurrently; each gate's lines are held and printed as one group when the gate ends, in
  // plan order (a group waits for the groups before it). A gate with work deferred until every other gate
  // is done (graceful shutdown, the login burst, the cookie audit) is printed when it ends with its
  // deferred checks marked pending; they fill in under the same heading, and later groups wait for them.
  const order: string[] = [];
  const groups = new Map<string, string[]>();
  const ended = new Set<string>();
  const complete = new Set<string>();
  const started = new Set<string>();
  const clear = () => {
    if (transient) err.write('\r\x1b[K');
    transient = false;
  };
  const line = (s: string) => {
    clear();
    out.write(s + '\n');
  };
  const groupOf = (gateId: string) => {
    if (!order.includes(gateId)) order.push(gateId);
    if (!groups.has(gateId)) groups.set(gateId, []);
    return groups.get(gateId)!;
  };
  const flush = (all = false) => {
    for (const id of order) {
      if (!started.has(id)) {
        if (!all && !ended.has(id)) return;
        started.add(id);
        line(`\n${kleur.bold(text(titles.get(id) ?? id))} ${kleur.gray(`(${text(id)})`)}`);
        for (const l of groups.get(id) ?? []) line(l);
        if (!all && !complete.has(id)) line(kleur.gray('  … pending: checks that run after every other gate'));
      }
      // The open group of a gate with deferred work keeps the place at the end of the output.
      if (!all && !complete.has(id)) return;
    }
  };
  const add = (gateId: string, l: string) => {
    // The group is on screen already (its deferred checks, or a rare late line): the line follows at once.
    if (started.has(gateId)) line(l);
    else groupOf(gateId).push(l);
  };

  return {
    name: 'console',
    onBegin(info: RunInfo) {
      line(kleur.bold(`shipgate · ${text(info.profile.name)} → ${text(info.target.baseUrl)}`));
      line(kleur.gray(`gates: ${info.gates.map((g) => text(g.id)).join(', ') || '(none)'}`));
      for (const g of info.gates) {
        titles.set(g.id, g.title);
        groupOf(g.id);
      }
    },
    onGateBegin(gate) {
      titles.set(gate.id, gate.title);
      groupOf(gate.id);
    },
    onProgress(gateId, message, progressOpts) {
      if (progressOpts?.persistent) {
        add(gateId, kleur.yellow(`  ↻ ${text(message)}`));
      } else if (live) {
        clear();
        const progress = `  … ${gateId}: ${text(message)}`;
        err.write(kleur.gray(progress.slice(0, Math.max(20, (process.stderr.columns || 100) - 1))));
        transient = true;
      } else if (opts.verbose) {
        err.write(kleur.gray(`  … ${gateId}: ${text(message)}\n`));
      }
    },
    onCheck(gateId: string, c: CheckResult) {
      const mark = paint[c.status](`${SYMBOL[c.status]} ${c.status.padEnd(5)}`);
      add(
        gateId,
        `  ${mark} ${text(c.id)} ${kleur.gray('—')} ${text(c.message)}${c.durationMs >= 1 ? kleur.gray(` (${formatDuration(c.durationMs)})`) : ''}`,
      );
      if ((c.status === 'fail' || c.status === 'error') && c.evidence?.request)
        add(gateId, kleur.gray(`          ${text(c.evidence.request)}${c.evidence.status ? ` → ${c.evidence.status}` : ''}`));
    },
    onGateEnd(g: GateResult, endOpts) {
      titles.set(g.id, g.title);
      if (g.checks.length === 0 && g.reason && !groupOf(g.id).length)
        add(g.id, `  ${paint[g.status](`${SYMBOL[g.status]} ${g.status.padEnd(5)}`)} ${text(g.reason)}`);
      ended.add(g.id);
      if (endOpts?.pending) {
        if (live) {
          clear();
          err.write(kleur.gray(`  … ${g.id}: pending until every other gate is done`));
          transient = true;
        }
      } else complete.add(g.id);
      flush();
    },
    onEnd(result: RunResult) {
      // An interrupted run prints what it has, every group.
      flush(true);
      clear();
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
          `  ${paint[g.status](SYMBOL[g.status])} ${text(g.id).padEnd(9)} ${paint[g.status](g.status.padEnd(5))} ${kleur.gray(formatDuration(g.durationMs))}\n`,
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
    },
  };
}
