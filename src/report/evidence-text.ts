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
  if (e.body) lines.push('', e.body);
  if (e.details && Object.keys(e.details).length) {
    lines.push('');
    for (const [k, v] of Object.entries(e.details)) lines.push(`${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return cleanText(lines.join('\n'));
}
