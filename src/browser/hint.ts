// What to tell a person when no browser can be used: the one override, then what installs one on their platform.

/** The general advice, for catalogue remediations (no platform known there). */
export const INSTALL_HINT =
  'set SHIPGATE_BROWSER=/path/to/chrome, or npm ci with optional dependencies (the bundled Chromium, Linux x64), or npx playwright install chromium';

/** The advice for this machine: the bundled Chromium exists only for Linux x64. */
export function installHint(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  if (platform === 'linux' && arch === 'x64') return INSTALL_HINT;
  if (platform === 'darwin')
    return 'set SHIPGATE_BROWSER=/path/to/chrome, or install Google Chrome (/Applications/Google Chrome.app), or npx playwright install chromium';
  if (platform === 'win32')
    return 'set SHIPGATE_BROWSER=C:\\path\\to\\chrome.exe, or install Google Chrome, or npx playwright install chromium';
  return 'set SHIPGATE_BROWSER=/path/to/chrome, or apt-get install chromium, or npx playwright install chromium';
}
