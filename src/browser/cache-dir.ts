// Where the bundled Chromium is extracted: a per-user cache (never a fixed shared path such as /tmp/chromium,
// which two users or two versions would fight over). SHIPGATE_CACHE_DIR overrides it; otherwise the XDG
// cache, then node_modules/.cache/shipgate beside the package (for a home that is missing or read-only).
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';

export interface CacheDirs {
  /** In order of preference; the first one that can be written is used. */
  dirs: string[];
  /** The user named it (SHIPGATE_CACHE_DIR): no fallback then. */
  named: boolean;
}

/** node_modules/.cache/shipgate of the node_modules folder that holds `packageDir`. */
function nodeModulesCache(packageDir: string | undefined): string | undefined {
  if (!packageDir) return undefined;
  const i = packageDir.lastIndexOf(`${sep}node_modules${sep}`);
  return i < 0 ? undefined : join(packageDir.slice(0, i), 'node_modules', '.cache', 'shipgate');
}

export function cacheDirs(env: NodeJS.ProcessEnv, packageDir?: string): CacheDirs {
  const named = env.SHIPGATE_CACHE_DIR?.trim();
  if (named) return { dirs: [named], named: true };
  const dirs: string[] = [];
  const xdg = env.XDG_CACHE_HOME?.trim();
  let home: string | undefined;
  try {
    home = env.HOME?.trim() || homedir();
  } catch {
    home = undefined; // no home directory (a service user): only the node_modules cache is left
  }
  if (xdg) dirs.push(join(xdg, 'shipgate'));
  else if (home && home !== dirname(home)) dirs.push(join(home, '.cache', 'shipgate'));
  const local = nodeModulesCache(packageDir);
  if (local) dirs.push(local);
  return { dirs, named: false };
}
