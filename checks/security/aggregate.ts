// One result per check id across every audited path: the worst status wins, and the message names the
// path(s) behind it, grouping paths that share the same finding.
import type { CheckFactory } from '../../src/check.js';
import type { CheckResult, Evidence } from '../../src/result.js';

/** "/a, /b, /c, /d, /e and 195 more": messages stay readable when hundreds of paths are audited. */
export function listPaths(paths: string[], max = 5): string {
  const unique = [...new Set(paths)];
  return unique.length <= max + 1 ? unique.join(', ') : `${unique.slice(0, max).join(', ')} and ${unique.length - max} more`;
}

export interface PathResult {
  path: string;
  status: 'pass' | 'warn' | 'fail' | 'skip' | 'error';
  detail: string;
  evidence?: Evidence;
}

/** fail > error > warn > pass; skip only when every path skipped. */
const PRECEDENCE: PathResult['status'][] = ['fail', 'error', 'warn', 'pass', 'skip'];

export function aggregate(
  check: CheckFactory,
  results: PathResult[],
  extra: { metrics?: Record<string, number> } = {},
): CheckResult {
  if (results.length === 0) return check.skip('no path was audited', extra);
  const status = PRECEDENCE.find((s) => results.some((r) => r.status === s))!;
  const chosen = results.filter((r) => r.status === status);
  const groups = new Map<string, string[]>();
  for (const r of chosen) pushTo(groups, r.detail, r.path);
  const all = results.length;
  const parts = [...groups].map(([detail, paths]) => `${listPaths(paths)}: ${detail}`);
  const share = status === 'pass' || status === 'skip' || chosen.length === all ? '' : ` (${chosen.length} of ${all} paths)`;
  const message =
    groups.size === 1 && (status === 'pass' || (status === 'skip' && chosen.length === all))
      ? `${[...groups.keys()][0]} on ${listPaths(chosen.map((r) => r.path))}`
      : parts.join('; ') + share;
  return check[status]({ message, evidence: chosen.find((r) => r.evidence)?.evidence, ...extra });
}

/** Appends in place: spreading a copy per item is quadratic over hundreds of paths. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
