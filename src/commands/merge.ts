// `shipgate merge run-*.json --reporter …`: one report from JSON reports of separate CI jobs.
import { readFile } from 'node:fs/promises';
import { mergeResults, MergeError, parseReport } from '../report/merge.js';
import { Multiplexer } from '../report/reporter.js';
import { exitCodeFor } from './execute.js';
import { describeSpec, fileReporters, makeConsole, parseReporterSpecs } from './reporters.js';

export async function mergeCommand(files: string[], opts: { reporter?: string[]; quiet?: boolean }): Promise<number> {
  const results = await Promise.all(
    files.map(async (f) => {
      let text: string;
      try {
        text = await readFile(f, 'utf8');
      } catch (err) {
        throw new MergeError(`${f}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`);
      }
      return parseReport(text, f);
    }),
  );
  const merged = mergeResults(results);
  const specs = parseReporterSpecs(opts.reporter ?? []);
  const reporter = new Multiplexer([...makeConsole({ quiet: opts.quiet }), ...fileReporters(specs)], (name, err) => process.stderr.write(`shipgate: reporter ${name} failed: ${(err as Error)?.message ?? err}\n`));
  await reporter.onEnd(merged);
  for (const s of specs) process.stderr.write(`shipgate: ${describeSpec(s)}\n`);
  return exitCodeFor(merged);
}
