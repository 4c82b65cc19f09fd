// The result tree: the only thing reporters read. No HTTP or browser types here.

/**
 * pass · fail (the target is wrong) · warn · skip · error (shipgate could not decide) ·
 * waived (a failure accepted by a profile waiver, still shown) · flaky (passed only on a retry).
 */
export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'error' | 'waived' | 'flaky';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type Verdict = 'pass' | 'fail' | 'error';

export interface Evidence {
  /** The request sent, e.g. "GET http://127.0.0.1:4000/ready". */
  request?: string;
  /** Response status line or code. */
  status?: number;
  /** Selected response headers. */
  headers?: Record<string, string>;
  /** A bounded excerpt of the response body. */
  body?: string;
  /** Anything else worth showing (resolved values, log tails). */
  details?: Record<string, unknown>;
  /** Files written as evidence (screenshots); the first shows the finding (some consumers show only it). */
  attachments?: string[];
}

/**
 * A chart as data, recorded by the gate that measured it; the HTML reporter draws any spec without
 * knowing the gate. Line specs with the same id in one gate are drawn as one chart (series and rules
 * together), so each endpoint and each threshold can contribute its own part.
 */
export type ChartSpec =
  | {
      kind: 'line';
      id: string;
      title: string;
      xLabel: string;
      yLabel: string;
      series: { label: string; points: { x: number; y: number }[] }[];
      rules?: { label: string; y: number }[];
      xTicks?: { x: number; label: string }[];
    }
  | { kind: 'bars'; id: string; title: string; bars: { label: string; value: number }[] }
  | { kind: 'grade'; id: string; grade: string; score: number; status: Status };

export interface CheckResult {
  id: string;
  title: string;
  status: Status;
  severity: Severity;
  message: string;
  remediation?: string;
  rationale?: string;
  evidence?: Evidence;
  durationMs: number;
  /** Structured numbers a reporter may chart or compare (latency percentiles, grade score). */
  metrics?: Record<string, number>;
  /** Series for charts: e.g. `rps` per second of load, `roundsMs` propagation latency per round. */
  series?: Record<string, number[]>;
  /** Charts of what this check measured (see ChartSpec). */
  charts?: ChartSpec[];
  /** For a waived check: the waiver and the status it would have had. */
  waiver?: { reason: string; until: string; owner?: string; originalStatus: Status };
  /** For a retried gate: how many attempts ran, and the statuses of the earlier ones. */
  attempts?: Status[];
}

export interface GateResult {
  id: string;
  title: string;
  status: Status;
  durationMs: number;
  /** Its failing and warning checks are security findings (from the gate's manifest; SARIF reads it). */
  securityFindings?: true;
  /** Time the gate's prepare() ran before the gate itself started (overlapping earlier phases). */
  prepareMs?: number;
  checks: CheckResult[];
  /** Why the gate as a whole was skipped or errored, if it was. */
  reason?: string;
  /** In a merged run: the profile and target this gate ran against, and when that run started. */
  profile?: string;
  target?: string;
  startedAt?: string;
  /** Where the profile configures this gate (its `gates.<id>` key), for annotations (JUnit file/line, SARIF). */
  source?: { file: string; line: number };
}

export interface RunResult {
  schemaVersion: 1;
  tool: { name: 'shipgate'; version: string };
  profile: { name: string; path: string };
  target: { baseUrl: string };
  startedAt: string;
  durationMs: number;
  verdict: Verdict;
  failOn: 'fail' | 'warn';
  interrupted?: boolean;
  gates: GateResult[];
  /** With --baseline: what changed since that run (see src/baseline.ts). */
  baseline?: BaselineComparison;
  /** In a merged run: the runs it was made of. */
  runs?: {
    profile: { name: string; path: string };
    target: { baseUrl: string };
    verdict: Verdict;
    startedAt: string;
    durationMs: number;
  }[];
}

/** A metric of a check that got worse since the baseline run. */
export interface MetricChange {
  check: string;
  metric: string;
  was: number;
  now: number;
  /** Relative change in the bad direction, e.g. 0.35 = 35 % worse. */
  worseBy: number;
}

/** What changed since a baseline run (src/baseline.ts compares). */
export interface BaselineComparison {
  baseline: { path: string; startedAt: string; verdict: string };
  tolerance: number;
  newlyFailing: { check: string; was: Status | 'absent'; now: Status }[];
  fixed: { check: string; was: Status; now: Status | 'absent' }[];
  regressions: MetricChange[];
}

const ORDER: Status[] = ['pass', 'skip', 'waived', 'flaky', 'warn', 'fail', 'error'];

/** The worst status of a set: error > fail > warn > skip > pass. An empty set is a skip. */
export function worstStatus(statuses: Status[]): Status {
  if (statuses.length === 0) return 'skip';
  if (statuses.every((s) => s === 'skip')) return 'skip';
  return statuses.reduce((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a), 'pass');
}

export function gateStatus(checks: CheckResult[]): Status {
  const statuses = checks.map((c) => c.status).filter((s) => s !== 'skip');
  return statuses.length === 0 ? 'skip' : worstStatus(statuses);
}

/** fail if any check fails (or warns with failOn warn); error if one could not be decided; else pass. */
export function verdictOf(gates: GateResult[], failOn: 'fail' | 'warn'): Verdict {
  const all = gates.flatMap((g) => g.checks.map((c) => c.status));
  if (all.includes('fail') || (failOn === 'warn' && (all.includes('warn') || all.includes('flaky')))) return 'fail';
  if (all.includes('error')) return 'error';
  return 'pass';
}

export function countByStatus(checks: CheckResult[]): Record<Status, number> {
  const counts: Record<Status, number> = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, waived: 0, flaky: 0 };
  for (const c of checks) counts[c.status]++;
  return counts;
}
