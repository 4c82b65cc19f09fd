// A check's catalogue entry and the helpers that turn it into result values.
import type { ChartSpec, CheckResult, Evidence, Severity, Status } from './result.js';

export interface CheckDef {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  /** Profile keys that tune this check, for docs/checks.md. */
  tunedBy?: string[];
}

export interface Outcome {
  message: string;
  evidence?: Evidence;
  metrics?: Record<string, number>;
  series?: Record<string, number[]>;
  /** Charts as data for the reports (see ChartSpec in src/result.ts). */
  charts?: ChartSpec[];
  /** Overrides the catalogue title, e.g. to name a build step or a threshold expression. */
  title?: string;
  /** Overrides the catalogue severity for this one result. */
  severity?: Severity;
  durationMs?: number;
}

export type CheckFactory = CheckDef & {
  [K in Status]: (message: string | Outcome, extra?: Omit<Outcome, 'message'>) => CheckResult;
};

export function defineCheck(def: CheckDef): CheckFactory {
  const make =
    (status: Status) =>
    (m: string | Outcome, extra?: Omit<Outcome, 'message'>): CheckResult => {
      const o: Outcome = typeof m === 'string' ? { message: m, ...extra } : { ...m, ...extra };
      return {
        id: def.id,
        title: o.title ?? def.title,
        status,
        severity: o.severity ?? def.severity,
        message: o.message,
        rationale: def.rationale,
        remediation: def.remediation,
        evidence: o.evidence,
        metrics: o.metrics,
        ...(o.series ? { series: o.series } : {}),
        ...(o.charts?.length ? { charts: o.charts } : {}),
        durationMs: o.durationMs ?? 0,
      };
    };
  return Object.assign(
    { ...def },
    {
      pass: make('pass'),
      fail: make('fail'),
      warn: make('warn'),
      skip: make('skip'),
      error: make('error'),
      waived: make('waived'),
      flaky: make('flaky'),
    },
  );
}
