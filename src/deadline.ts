// Deadlines held by timers this process owns. On Node 20, AbortSignal.timeout's timer references its signal
// only weakly: combined through AbortSignal.any, the timeout signal can be garbage-collected before it fires,
// and the deadline silently vanishes (no gate or run deadline under GC pressure). Here the timer's callback
// holds the controller, so the deadline lives exactly as long as its timer.

export interface Deadline {
  /** Aborts when the time runs out or any outer signal aborts. */
  readonly signal: AbortSignal;
  /** True when this deadline's own time ran out (not when an outer signal aborted). */
  timedOut(): boolean;
  /** Stops the timer and unlinks from the outer signals; call when the guarded work ends. */
  release(): void;
}

export interface DeadlineOptions {
  /** Outer signals (the run's, Ctrl-C) whose abort aborts this one too. */
  linked?: (AbortSignal | undefined)[];
  /**
   * Keep the process alive until the deadline fires or is released (default true): a gate awaiting work that
   * holds no handle of its own must still end in its deadline, not in a silent exit. A request's deadline
   * passes false: its socket keeps the process alive, not its deadline.
   */
  ref?: boolean;
  /** The abort reason's message (a TimeoutError). */
  message?: string;
}

export function deadline(timeoutMs: number, opts: DeadlineOptions = {}): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(opts.message ?? `deadline of ${timeoutMs}ms passed`, 'TimeoutError'));
  }, clampDelay(timeoutMs));
  if (opts.ref === false) timer.unref();
  const linked = (opts.linked ?? []).filter((s): s is AbortSignal => s !== undefined);
  for (const s of linked) {
    if (s.aborted) controller.abort(s.reason);
    else dependents(s).add(controller);
  }
  return {
    signal: controller.signal,
    timedOut: () => expired,
    release: () => {
      clearTimeout(timer);
      for (const s of linked) DEPENDENTS.get(s)?.delete(controller);
    },
  };
}

/** setTimeout clamps anything above 2^31-1 ms to 1 ms; a longer deadline waits the longest it can instead. */
function clampDelay(ms: number): number {
  return Math.min(Math.max(0, ms), 2 ** 31 - 1);
}

/**
 * The deadlines linked to a long-lived signal (a run's, a gate's): one listener per signal, not one per
 * request. The signal holds its listener, the listener holds the set: strong for as long as the signal lives.
 */
const DEPENDENTS = new WeakMap<AbortSignal, Set<AbortController>>();

function dependents(signal: AbortSignal): Set<AbortController> {
  const known = DEPENDENTS.get(signal);
  if (known) return known;
  const controllers = new Set<AbortController>();
  signal.addEventListener(
    'abort',
    () => {
      for (const c of controllers) c.abort(signal.reason);
    },
    { once: true },
  );
  DEPENDENTS.set(signal, controllers);
  return controllers;
}
