// The JSON report: the versioned contract other tools read (schemaVersion 1, see DESIGN.md).
import type { RunResult } from '../result.js';
import type { Reporter } from './reporter.js';
import { writeReportFile } from './write.js';

export function renderJson(result: RunResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}

export function jsonReporter(path: string): Reporter {
  return { name: `json=${path}`, onEnd: (result) => writeReportFile(path, renderJson(result)) };
}
