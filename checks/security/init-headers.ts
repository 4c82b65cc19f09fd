// Security headers of the home page (or the first path that answers), graded with the security gate's
// own Observatory-style scoring, so init's summary and the gate agree.
import { gradeResponse, type Grade } from './grade.js';
import { versionLeaks } from './headers.js';
import type { Answer } from '../../src/init/prober.js';

export interface HeaderFindings {
  path: string;
  grade: Grade;
  score: number;
  /** Rows that cost points, e.g. "content-security-policy (−25: csp-not-implemented)". */
  penalties: string[];
  /** Server / X-Powered-By values that name versions. */
  leaks: string[];
  hsts: boolean;
}

export function gradeHeaders(a: Answer, https: boolean): HeaderFindings | undefined {
  if (!a.res) return undefined;
  const g = gradeResponse({ headers: a.res.headers, setCookies: a.res.setCookies, https, hstsRequired: false });
  return {
    path: a.path,
    grade: g.grade,
    score: g.score,
    penalties: g.rows.filter((r) => r.modifier < 0).map((r) => `${r.test} (${r.modifier}: ${r.result})`),
    leaks: versionLeaks(a.res.headers),
    hsts: a.res.headers['strict-transport-security'] !== undefined,
  };
}
