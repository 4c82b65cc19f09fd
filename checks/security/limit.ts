// Bounded concurrency: at most `max` tasks in flight, the rest queued in order. Auditing many paths then
// costs round-trip latency, not one round trip per request in series.

export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

export function limiter(max: number): Limit {
  let active = 0;
  // A queue read from a moving head: Array#shift copies the whole array, quadratic with the thousands
  // of requests a many-path audit queues at once.
  let waiting: (() => void)[] = [];
  let head = 0;
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next task, so a newcomer cannot slip in between.
      const next = head < waiting.length ? waiting[head++] : undefined;
      if (head === waiting.length) {
        waiting = [];
        head = 0;
      }
      if (next) next();
      else active--;
    }
  };
}
