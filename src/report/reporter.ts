// The reporter interface and the multiplexer that keeps a broken reporter from breaking a run.
import type { CheckResult, GateResult, RunResult } from '../result.js';

export interface RunInfo {
  profile: { name: string; path: string };
  target: { baseUrl: string };
  gates: { id: string; title: string }[];
  startedAt: string;
}

export interface Reporter {
  readonly name: string;
  onBegin?(info: RunInfo): void;
  onGateBegin?(gate: { id: string; title: string }): void;
  /** A progress line; `persistent` ones (a gate being retried) belong in the log, not just a transient line. */
  onProgress?(gateId: string, message: string, opts?: { persistent?: boolean }): void;
  onCheck?(gateId: string, check: CheckResult): void;
  /**
   * A gate finished. With `pending`, work it deferred until every other gate is done (graceful shutdown,
   * a login burst, the cookie audit) is still to come; onGateEnd is called again, without it, when done.
   */
  onGateEnd?(gate: GateResult, opts?: { pending?: boolean }): void;
  onEnd?(result: RunResult): Promise<unknown> | void;
}

export class Multiplexer implements Reporter {
  readonly name = 'multiplexer';
  constructor(
    private readonly reporters: Reporter[],
    private readonly onError: (reporter: string, err: unknown) => void,
  ) {}

  private each(fn: (r: Reporter) => void): void {
    for (const r of this.reporters) {
      try {
        fn(r);
      } catch (err) {
        this.onError(r.name, err);
      }
    }
  }

  onBegin(info: RunInfo): void {
    this.each((r) => r.onBegin?.(info));
  }
  onGateBegin(gate: { id: string; title: string }): void {
    this.each((r) => r.onGateBegin?.(gate));
  }
  onProgress(gateId: string, message: string, opts?: { persistent?: boolean }): void {
    this.each((r) => r.onProgress?.(gateId, message, opts));
  }
  onCheck(gateId: string, check: CheckResult): void {
    this.each((r) => r.onCheck?.(gateId, check));
  }
  onGateEnd(gate: GateResult, opts?: { pending?: boolean }): void {
    this.each((r) => r.onGateEnd?.(gate, opts));
  }
  /** Runs every reporter's onEnd; resolves to the names of those that failed (a report not written). */
  async onEnd(result: RunResult): Promise<string[]> {
    const failed: string[] = [];
    await Promise.all(
      this.reporters.map(async (r) => {
        try {
          await r.onEnd?.(result);
        } catch (err) {
          failed.push(r.name);
          this.onError(r.name, err);
        }
      }),
    );
    return failed;
  }
}
