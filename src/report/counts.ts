// The one line of counts every report and the console show under the verdict.
import type { Status } from '../result.js';

/** "3 passed, 1 failed, 1 warning, 0 errors, 2 skipped" (plus waived and flaky when there are any). */
export function summaryCounts(n: Record<Status, number>): string {
  const extra = [n.waived ? `${n.waived} waived` : '', n.flaky ? `${n.flaky} flaky` : ''].filter(Boolean);
  const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  return [
    `${n.pass} passed`,
    `${n.fail} failed`,
    counted(n.warn, 'warning'),
    counted(n.error, 'error'),
    `${n.skip} skipped`,
    ...extra,
  ].join(', ');
}
