import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder at or above `dir` with a package.json, looking at most `folders` folders up. */
export function nearestPackageDir(dir: string, folders = Infinity): string | undefined {
  for (let d = dir, i = 0; i < folders; d = dirname(d), i++) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return undefined;
  }
  return undefined;
}

/** The package's root folder (where package.json, profiles/ and docs/ are), from src/ or dist/src/. */
export const packageRoot: string = nearestPackageDir(dirname(fileURLToPath(import.meta.url)), 5) ?? process.cwd();

export const version: string = (() => {
  try {
    return JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();
