// `shipgate merge run-*.json --reporter …`: one report from JSON reports of separate CI jobs.
import { readFile } from 'node:fs/promises';
import { mergeResults, MergeError, parseReport } from '../report/merge.js';
import { Multiplexer } from '../report/reporter.js';
import { EXIT, exitCodeFor } from './execute.js';
import { checkSpecs, fileReporters, finishReports, makeConsole, parseReporterSpecs } from './reporters.js';

export async function mergeCommand(files: string[], opts: { reporter?: string[]; quiet?: boolean }): Promise<number> {
  const specs = parseReporterSpecs(opts.reporter ?? []);
  checkSpecs(
    specs,
    files.map((f) => ({ what: 'report being merged', path: f })),
  );
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
  const reporter = new Multiplexer([...makeConsole({ quiet: opts.quiet }, specs), ...fileReporters(specs)], (name, err) =>
    process.stderr.write(`shipgate: reporter ${name} failed: ${(err as Error)?.message ?? err}\n`),
  );
  const written = await finishReports(reporter, merged, specs);
  return written ? exitCodeFor(merged) : EXIT.internal;
}
