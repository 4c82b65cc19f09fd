// Which browser shipgate would use, from where, and that it really launches (version, launch time).
import { describeSource, findBrowser } from '../browser/finder.js';
import { installHint } from '../browser/hint.js';
import { launchChromium } from '../browser/launch.js';
import { formatDuration } from '../duration.js';
import type { BrowserUse } from '../gates/contract.js';
import type { Finding } from './finding.js';

/** `use`: the browser a gate of the profile drives (the executable it names); none without a profile. */
export async function checkBrowser(use?: BrowserUse, onProgress?: (m: string) => void): Promise<Finding> {
  const found = await findBrowser({ configured: use?.executable, configuredAt: use?.setting, onProgress });
  if (!found.ok) return { id: 'browser', ok: false, message: found.message, fix: installHint() };
  const launched = await launchChromium(found, { timeoutMs: 30_000, timeoutSetting: 'doctor' });
  if (!launched.ok)
    return {
      id: 'browser',
      ok: false,
      message: launched.message,
      fix: 'set SHIPGATE_BROWSER to a Chromium that starts on this machine',
      details: { executable: found.path, source: found.source },
    };
  await launched.browser.close().catch(() => {});
  return {
    id: 'browser',
    ok: true,
    message: `Chromium ${launched.version} from ${describeSource(found.source)} (${found.path}) launches in ${formatDuration(launched.ms)}`,
    details: { version: launched.version, source: found.source, executable: found.path, launchMs: Math.round(launched.ms) },
  };
}
