// How every browser check's evidence names the browser that ran: version, where it came from, its path.
import type { BrowserFound } from './finder.js';

export function browserDetails(
  found: BrowserFound,
  version: string,
): { browser: string; version: string; source: BrowserFound['source']; executable: string } {
  return { browser: `Chromium ${version} (${found.source})`, version, source: found.source, executable: found.path };
}
