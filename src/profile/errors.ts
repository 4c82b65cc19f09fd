// A profile error names the file, the position, the field and what was expected; the CLI prints it and exits 2.
import { UsageError } from '../errors.js';

export interface ProfileProblem {
  line?: number;
  column?: number;
  /** Dotted field path, e.g. "gates.probes.maxLatency". */
  field?: string;
  message: string;
}

export class ProfileError extends UsageError {
  // The message already names file:line:column.
  override readonly prefix = '';
  constructor(
    readonly file: string,
    readonly problems: ProfileProblem[],
  ) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'ProfileError';
  }
}

export function formatProblem(file: string, p: ProfileProblem): string {
  const where = p.line ? `${file}:${p.line}:${p.column ?? 1}` : file;
  return p.field ? `${where} ${p.field}: ${p.message}` : `${where}: ${p.message}`;
}

/** Renders a path like ["gates", "load", "endpoints", 0, "path"] as gates.load.endpoints[0].path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
