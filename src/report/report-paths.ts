// Where reports may go: never onto an input of the run (the profile, a --baseline, a report being
// merged), and never two reporters onto one file (one would silently win). Checked before any traffic.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** A report path that would overwrite an input or another report: a usage error (exit 2). */
export class ReportPathError extends UsageError {}

export interface ReportTarget {
  /** What asked for it, for the message: "md", "junit"… */
  kind: string;
  path: string;
}

/** "-" is standard output: one reporter at most may take it. */
export const STDOUT = '-';

function identity(path: string): string {
  if (path === STDOUT) return STDOUT;
  try {
    // The same file under another name (a symlink, a hard link, ./x vs x) is the same file.
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return resolve(path);
  }
}

export function checkReportPaths(reports: ReportTarget[], inputs: { what: string; path: string }[]): void {
  const inputIds = new Map(inputs.map((i) => [identity(i.path), i]));
  const seen = new Map<string, ReportTarget>();
  for (const r of reports) {
    const id = identity(r.path);
    const input = inputIds.get(id);
    if (input)
      throw new ReportPathError(
        `--reporter ${r.kind}=${r.path}: that is the ${input.what} (${input.path}); a report must not overwrite an input`,
      );
    const other = seen.get(id);
    if (other)
      throw new ReportPathError(
        `--reporter ${r.kind}=${r.path}: the ${other.kind} report already writes to ${other.path === STDOUT ? 'standard output' : other.path}; give each report its own path`,
      );
    seen.set(id, r);
  }
}
