// The one list of Chromium flags shipgate launches with, whichever browser was found. Playwright adds its
// own automation switches (no first run, no background networking, no component updates, --no-sandbox
// unless asked for a sandbox, --disable-dev-shm-usage); these are the ones shipgate needs on top, and
// repeats a few so they hold whatever Playwright's defaults become.
// Not taken from @sparticuz/chromium's serverless defaults: --single-process puts both contexts' pages in
// one renderer (one crash ends both clients, and they are no longer independent), --disable-web-security
// and --allow-running-insecure-content would hide the very CORS and mixed-content faults users hit.
export const LAUNCH_ARGS = [
  // Root in a container cannot use the setuid/namespace sandbox.
  '--no-sandbox',
  // No GPU in CI or containers; without this Chromium probes for one at start.
  '--disable-gpu',
  // Docker's /dev/shm is 64 MB: shared memory there makes pages crash under load.
  '--disable-dev-shm-usage',
  // Nothing but the target: no update checks, sync or other traffic on a machine without network.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A proxy for every context of the browser (Playwright's launch option). */
export interface ProxySetting {
  server: string;
  bypass?: string;
}

export interface LaunchRequest {
  /** How long the launch may take. */
  timeoutMs: number;
  /** More Chromium flags for this launch (e.g. --ignore-certificate-errors-spki-list=…). */
  extraArgs?: string[];
  proxy?: ProxySetting;
}

/** The flags for one launch: the common list, then the caller's, without duplicates. */
export function launchArgs(extra: string[] = []): string[] {
  return [...new Set([...LAUNCH_ARGS, ...extra])];
}
