// A log-linear latency histogram (the HdrHistogram idea): exact to the microsecond below 2.048 ms,
// then 1024 buckets per power of two (at most 0.1 % relative error, finer than any value we print),
// fixed memory (about 180 KB) whatever the request count. shipgate keeps its own because autocannon's
// summary has no p95 and rounds every latency to whole milliseconds; each response's time comes from
// autocannon's `response` event, which is measured with process.hrtime.

const SUB_BITS = 11; // 2^11 = 2048 exact microsecond buckets, then 1024 per octave
const SUB_COUNT = 1 << SUB_BITS;
const HALF = SUB_COUNT >> 1;
/** Values above 2^31 µs (about 36 minutes) are clamped; no request outlives the load gate's caps. */
const MAX_US = 2 ** 31 - 1;

function indexOf(us: number): number {
  if (us < SUB_COUNT) return us;
  const shift = 31 - Math.clz32(us) - (SUB_BITS - 1); // us >> shift lands in [HALF, SUB_COUNT)
  return SUB_COUNT + (shift - 1) * HALF + ((us >>> shift) - HALF);
}

const BUCKETS = indexOf(MAX_US) + 1;

/** Highest microsecond value that falls into bucket `index`. */
function upperBoundOf(index: number): number {
  if (index < SUB_COUNT) return index;
  const shift = Math.floor((index - SUB_COUNT) / HALF) + 1;
  const sub = ((index - SUB_COUNT) % HALF) + HALF;
  return (sub + 1) * 2 ** shift - 1;
}

export class LatencyHistogram {
  private counts = new Float64Array(BUCKETS);
  count = 0;
  private sum = 0;
  private minMs = Infinity;
  private maxMs = 0;

  /** Records one latency in milliseconds (fractional allowed). */
  record(ms: number): void {
    if (!(ms >= 0)) return;
    const us = Math.min(MAX_US, Math.round(ms * 1000));
    this.counts[indexOf(us)]++;
    this.count++;
    this.sum += ms;
    if (ms < this.minMs) this.minMs = ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /**
   * Records `ms` and back-fills the samples a closed-loop client failed to send while it waited
   * (HdrHistogram's recordValueWithExpectedInterval): ms - interval, ms - 2·interval, … ≥ interval.
   */
  recordCorrected(ms: number, expectedIntervalMs: number): void {
    this.record(ms);
    if (!(expectedIntervalMs > 0) || ms <= expectedIntervalMs) return;
    for (let missing = ms - expectedIntervalMs; missing >= expectedIntervalMs; missing -= expectedIntervalMs)
      this.record(missing);
  }

  get mean(): number {
    return this.count ? this.sum / this.count : 0;
  }

  get min(): number {
    return this.count ? this.minMs : 0;
  }

  get max(): number {
    return this.maxMs;
  }

  /** Nearest-rank percentile in milliseconds: the smallest recorded value with at least p % at or below it. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    if (p >= 100) return this.maxMs;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.max(this.min, Math.min(this.maxMs, upperBoundOf(i) / 1000));
    }
    return this.maxMs;
  }

  /** How many recorded values lie above `ms` (to bucket precision). */
  countAbove(ms: number): number {
    const us = Math.min(MAX_US, Math.round(ms * 1000));
    let below = 0;
    for (let i = 0; i <= indexOf(us); i++) below += this.counts[i];
    return this.count - below;
  }

  add(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += other.counts[i];
    this.count += other.count;
    this.sum += other.sum;
    if (other.count) {
      this.minMs = Math.min(this.minMs, other.minMs);
      this.maxMs = Math.max(this.maxMs, other.maxMs);
    }
  }
}
