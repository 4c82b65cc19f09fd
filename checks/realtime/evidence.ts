// Evidence for a failed round: screenshots of both pages (PNG files beside the reports), and what
// B's page complained about (console errors, uncaught exceptions, failed or 4xx/5xx requests).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const MAX_ENTRIES = 20;

export interface PageLog {
  consoleErrors: string[];
  failedRequests: string[];
}

/** Starts collecting a page's errors; the lists are bounded. */
export function recordPageLog(page: Page): PageLog {
  const log: PageLog = { consoleErrors: [], failedRequests: [] };
  const push = (list: string[], entry: string) => {
    if (list.length < MAX_ENTRIES) list.push(entry.length > 300 ? `${entry.slice(0, 297)}...` : entry);
  };
  page.on('console', (m) => {
    if (m.type() === 'error') push(log.consoleErrors, m.text());
  });
  page.on('pageerror', (err) => push(log.consoleErrors, `uncaught ${err.name}: ${err.message}`));
  page.on('requestfailed', (r) => push(log.failedRequests, `${r.method()} ${r.url()}: ${r.failure()?.errorText ?? 'failed'}`));
  page.on('response', (r) => {
    if (r.status() >= 400) push(log.failedRequests, `${r.request().method()} ${r.url()} → ${r.status()}`);
  });
  return log;
}

/** A copy of the log as it is now (later noise, such as streams cut when the browser closes, stays out). */
export function snapshotLog(log: PageLog): PageLog {
  return { consoleErrors: [...log.consoleErrors], failedRequests: [...log.failedRequests] };
}

/** Screenshots of the pages into the artifacts folder; returns the files written (best effort). */
export async function screenshots(
  dir: string,
  name: string,
  pages: { label: string; page: Page }[],
  timeoutMs = 5_000,
): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true });
  } catch {
    return [];
  }
  const written = await Promise.all(
    pages.map(async ({ label, page }) => {
      const path = join(dir, `${name}-${label}.png`);
      try {
        await page.screenshot({ path, fullPage: true, timeout: timeoutMs });
        return path;
      } catch {
        return undefined;
      }
    }),
  );
  return written.filter((p): p is string => Boolean(p));
}

/** Evidence details for B's page log, omitting empty lists. */
export function logDetails(label: string, log: PageLog | undefined): Record<string, unknown> {
  if (!log) return {};
  const out: Record<string, unknown> = {};
  if (log.consoleErrors.length) out[`${label} console errors`] = log.consoleErrors;
  if (log.failedRequests.length) out[`${label} failed requests`] = log.failedRequests;
  return out;
}
