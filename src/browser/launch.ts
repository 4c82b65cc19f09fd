// Launching a found Chromium through Playwright, for every gate and for `doctor`: the one flag list, the
// browser's own environment (the bundled one's libraries), and a safety net for a browser that hangs at
// launch (Playwright leaves it running). Never throws: a failure is one readable line.
import type { Browser } from 'playwright-core';
import { formatDuration } from '../duration.js';
import { playwright } from '../playwright.js';
import type { BrowserFound } from './finder.js';
import { installHint } from './hint.js';
import { launchArgs, type LaunchRequest } from './launch-flags.js';
import { childProcesses, killTree, launchedBrowsers } from './process.js';

export type Launched =
  { ok: true; browser: Browser; version: string; ms: number; pids: number[] } | { ok: false; message: string };

function firstLine(err: unknown): string {
  const text = String((err as Error)?.message ?? err).split('\n')[0];
  return text.replace(/^[a-zA-Z]+\.[a-zA-Z]+: /, '').trim();
}

function formatTimeout(ms: number): string {
  return ms >= 1000 && ms < 60_000 ? `${Number((ms / 1000).toFixed(2))}s` : formatDuration(ms);
}

/** Playwright's launch errors are pages of flags; the reason is one of these. */
export function launchFailure(err: unknown, timeoutMs: number, timeoutSetting = 'timeouts.launch'): string {
  const text = String((err as Error)?.message ?? err);
  if ((err as Error)?.name === 'TimeoutError') return `no answer within ${formatTimeout(timeoutMs)} (${timeoutSetting})`;
  const exit = /<process did exit: exitCode=(-?\d+|null), signal=(\w+|null)>/.exec(text);
  const stderr = /\[pid=\d+\]\[err\] (.+)/.exec(text)?.[1]?.trim();
  if (exit) {
    const how = exit[2] !== 'null' ? `was killed by ${exit[2]}` : `exited with code ${exit[1]}`;
    return `the process ${how} before it was ready${stderr ? ` (${stderr.slice(0, 200)})` : ''}`;
  }
  return firstLine(err);
}

export async function launchChromium(found: BrowserFound, req: LaunchRequest & { timeoutSetting?: string }): Promise<Launched> {
  const started = performance.now();
  const before = childProcesses();
  try {
    const { chromium } = await playwright();
    const browser = await chromium.launch({
      executablePath: found.path,
      headless: true,
      args: launchArgs(req.extraArgs),
      ...(req.proxy ? { proxy: req.proxy } : {}),
      ...(found.env ? { env: { ...process.env, ...found.env } } : {}),
      timeout: req.timeoutMs,
      // shipgate handles signals itself (reports first, then cleanup closes the browser).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    return { ok: true, browser, version: browser.version(), ms: performance.now() - started, pids: launchedBrowsers(before) };
  } catch (err) {
    // Playwright leaves a browser that hung at launch running; it must not outlive the gate.
    launchedBrowsers(before).forEach(killTree);
    return {
      ok: false,
      message: `Chromium at ${found.path} did not start: ${launchFailure(err, req.timeoutMs, req.timeoutSetting)}; ${installHint()}`,
    };
  }
}
