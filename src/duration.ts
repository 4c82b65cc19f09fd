// Durations as people write them: "500ms", "1.5s", "5m", "1h", compound forms such as "1m30s" (the
// way formatDuration prints them), or a bare number of milliseconds.

const UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
const ORDER = ['h', 'm', 's', 'ms'];
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*/y;

/**
 * The longest duration accepted: 24 days (576h). Node's timers hold at most 2^31-1 ms and silently
 * turn anything longer into 1 ms, which would make every deadline fire at once.
 */
export const MAX_DURATION_MS = 24 * 24 * 3_600_000;

export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 && input <= MAX_DURATION_MS ? input : undefined;
  const text = input.trim();
  if (!text) return undefined;
  let total = 0;
  let lastUnit = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const m = PART.exec(text);
    if (!m) return undefined;
    // Units from largest to smallest, each once: "1h30m" but not "30s1m" or "1m1m".
    const unit = ORDER.indexOf(m[2]);
    if (unit <= lastUnit) return undefined;
    lastUnit = unit;
    total += Number(m[1]) * UNITS[m[2]];
  }
  return total <= MAX_DURATION_MS ? total : undefined;
}

export function formatDuration(ms: number): string {
  if (ms === 0) return '0ms';
  if (ms < 1) return `${ms.toFixed(2)}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m}m${s}s` : `${m}m`;
}
