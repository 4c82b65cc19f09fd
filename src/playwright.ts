// Playwright's client for the browser checks, loaded on first use. playwright-core rather than
// @playwright/test (the test runner is not needed), and through require rather than import(): on
// Node 20 the ESM route to this CommonJS package costs ~15 MB more resident memory (bench/RESULTS.md).
import { createRequire } from 'node:module';

type PlaywrightCore = typeof import('playwright-core');

let loaded: PlaywrightCore | undefined;

export async function playwright(): Promise<PlaywrightCore> {
  return (loaded ??= createRequire(import.meta.url)('playwright-core') as PlaywrightCore);
}
