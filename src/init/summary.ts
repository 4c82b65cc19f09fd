// The few lines `shipgate init` prints: what it found, what it flagged, what is left TODO. The rows come
// from the gates' init hooks.
import type { SummaryMark, SummaryRow } from './hook.js';

const SYMBOL: Record<SummaryMark, string> = { found: '✓', missing: '-', problem: '✗' };

export function summaryLines(rows: SummaryRow[], todos: string[]): string[] {
  const lines = rows.map(([mark, label, text]) => `  ${SYMBOL[mark]} ${label.padEnd(10)} ${text}`);
  if (todos.length) lines.push(`  TODO (${todos.length}):`, ...todos.map((t) => `    - ${t}`));
  return lines;
}
