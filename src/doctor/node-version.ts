// The running Node.js against the package's engines field (">=20.19" style ranges, the only kind it uses).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import type { Finding } from './finding.js';

function parts(v: string): number[] {
  return v
    .replace(/^v/, '')
    .split('.')
    .map((n) => Number.parseInt(n, 10) || 0);
}

/** Whether `version` satisfies every ">=x.y.z" comparator of `range` (other comparators are not used). */
export function satisfiesMinimum(version: string, range: string): boolean {
  const have = parts(version);
  for (const m of range.matchAll(/>=\s*v?(\d+(?:\.\d+){0,2})/g)) {
    const need = parts(m[1]);
    for (let i = 0; i < 3; i++) {
      const a = have[i] ?? 0;
      const b = need[i] ?? 0;
      if (a > b) break;
      if (a < b) return false;
    }
  }
  return true;
}

export function checkNodeVersion(version = process.version): Finding {
  let range = '';
  try {
    range = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).engines?.node ?? '';
  } catch {
    // no engines to compare against
  }
  const ok = !range || satisfiesMinimum(version, range);
  return ok
    ? { id: 'node', ok, message: `Node.js ${version}${range ? ` (shipgate needs ${range})` : ''}` }
    : {
        id: 'node',
        ok,
        message: `Node.js ${version} is too old (shipgate needs ${range})`,
        fix: `install Node.js ${range.replace(/^>=\s*/, '')} or newer (nvm install 20)`,
      };
}
