// Evidence as plain text, shared by the JUnit and Markdown reporters.
import type { CheckResult } from '../result.js';
import { cleanText } from './xml.js';

export function evidenceText(check: CheckResult): string {
  const e = check.evidence;
  if (!e) return '';
  const lines: string[] = [];
  if (e.request) lines.push(`> ${e.request}`);
  if (e.status !== undefined) lines.push(`< ${e.status}`);
  for (const [k, v] of Object.entries(e.headers ?? {})) lines.push(`< ${k}: ${v}`);
  // A blank line parts the body and the details from what comes before them, never opens the text.
  if (e.body) lines.push(...(lines.length ? [''] : []), e.body);
  if (e.details && Object.keys(e.details).length) {
    if (lines.length) lines.push('');
    for (const [k, v] of Object.entries(e.details)) lines.push(`${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return cleanText(lines.join('\n'));
}
