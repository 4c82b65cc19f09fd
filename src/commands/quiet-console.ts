// -q: no progress and no passing checks, but a failure is never silent: each failing or undecided
// check gets one line on stdout, then the verdict.
import kleur from 'kleur';
import type { Reporter } from '../report/reporter.js';
import type { RunResult } from '../result.js';

/** Target text may carry terminal escapes; on this path they become visible "?" instead. */
const inert = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');

export function quietConsoleReporter(out: NodeJS.WritableStream = process.stdout): Reporter {
  return {
    name: 'console (quiet)',
    onEnd(result: RunResult) {
      const shown = (s: string) => s === 'fail' || s === 'error' || (s === 'warn' && result.failOn === 'warn');
      const lines: string[] = [];
      for (const g of result.gates) {
        for (const c of g.checks)
          if (shown(c.status))
            lines.push(
              `${c.status === 'error' ? kleur.magenta('!') : kleur.red('✗')} ${c.id} ${kleur.gray('—')} ${inert(c.message)}`,
            );
      }
      if (!lines.length && result.verdict === 'pass') return;
      out.write(
        `${lines.join('\n')}${lines.length ? '\n' : ''}${result.verdict.toUpperCase()}${result.interrupted ? ' (interrupted)' : ''}\n`,
      );
    },
  };
}
