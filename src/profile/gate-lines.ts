// Where each gate is configured in a profile (the line of its `gates.<id>` key), so reports can point
// annotations at the configuration that asked for a check rather than at a guessed source file.
import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { keyPositionOf } from './positions.js';

/** The profile path as CI annotators want it: relative to the working directory (the checkout) when inside it. */
export function annotationPath(file: string, cwd = process.cwd()): string {
  if (!isAbsolute(file)) return file.split('\\').join('/');
  const rel = relative(cwd, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel.split('\\').join('/');
}

/** Line of `gates.<id>` for each gate id asked for; undefined ids fall back to the `gates:` line, else 1. */
export function gateLines(file: string, ids: string[]): Record<string, number> {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return Object.fromEntries(ids.map((id) => [id, 1]));
  }
  const lc = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lc });
  return Object.fromEntries(ids.map((id) => [id, keyPositionOf(doc, lc, ['gates'], id)?.line ?? 1]));
}
