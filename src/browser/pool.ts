// One Chromium per run: the gate that launches it (realtime, in its prepare) lends it to other gates
// (auth's browser login), which open contexts of their own in it instead of starting a second browser.
// SharedState.browser holds the lender.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import type { BrowserFound } from './finder.js';

export interface BrowserLender {
  /** What it runs: a gate that found another browser launches its own. */
  found: BrowserFound;
  /** Waits for the launch; undefined when it failed or the browser is closing. */
  borrow(): Promise<BrowserLoan | undefined>;
}

/** A borrowed browser: open your own context in it, close that context, then release(). */
export interface BrowserLoan {
  browser: Browser;
  release(): void;
}

/** Counts what was lent, so the owner closes the browser only once the borrowers are done. */
export class Loans {
  private out = 0;
  private allBack?: () => void;

  /** A loan of `browser`, or undefined when it is gone. */
  lend(browser: Browser | undefined): BrowserLoan | undefined {
    if (!browser?.isConnected()) return undefined;
    this.out++;
    let returned = false;
    return {
      browser,
      release: () => {
        if (returned) return;
        returned = true;
        if (--this.out === 0) this.allBack?.();
      },
    };
  }

  /** Resolves when every loan is back, or after `ms` (a borrower that hangs does not hold the run). */
  async returned(ms: number): Promise<void> {
    if (this.out === 0) return;
    const guard = new AbortController();
    await Promise.race([
      new Promise<void>((r) => (this.allBack = r)),
      sleep(ms, undefined, { signal: guard.signal }).catch(() => {}),
    ]);
    guard.abort();
  }
}
