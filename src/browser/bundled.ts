// The Chromium that comes with `npm ci`: the optional dependency @sparticuz/chromium carries a Linux x64
// headless Chromium as brotli files. Only those files are used (not the package's code, whose defaults
// are for serverless functions): they are unpacked once into a per-user cache folder, named by the
// package's version, together with the NSS libraries and fonts the package also ships.
//
// Two shipgate processes may start at once on an empty cache: each unpacks into a folder of its own with
// a temporary name and renames it into place when complete. A rename is atomic, so the final folder is
// either absent or whole; the loser of the race throws its copy away and uses the winner's.
import { constants, createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { access, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { nearestPackageDir } from '../paths.js';
import { cacheDirs } from './cache-dir.js';

export const BUNDLED_PACKAGE = '@sparticuz/chromium';

export interface BundledBrowser {
  ok: true;
  /** The executable in the cache. */
  path: string;
  /** The package version it came from (its Chromium major). */
  packageVersion: string;
  /** Environment the browser needs: its own NSS libraries and a font configuration. */
  env: Record<string, string>;
  /** It was unpacked by this call (the first use on this machine), not found in the cache. */
  extracted: boolean;
}

export type BundledOutcome = BundledBrowser | { ok: false; message: string };

export interface BundledOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  arch?: string;
  /** Told before the (slow, one-time) unpacking starts. */
  onProgress?: (message: string) => void;
}

/** The installed package's folder, or undefined when it is not installed (npm ci --omit=optional). */
function packageDir(): string | undefined {
  try {
    // Its exports map only "." (package.json is not reachable through it); resolving does not load it.
    // Up from there to its own package.json (build/cjs/ has a package.json of its own, naming no package).
    for (let d = dirname(createRequire(import.meta.url).resolve(BUNDLED_PACKAGE)), i = 0; i < 4; d = dirname(d), i++) {
      const dir = nearestPackageDir(d, 1);
      if (dir && JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === BUNDLED_PACKAGE) return dir;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The system's fonts when it has a configuration, plus the fonts shipped with the package. */
function fontsConf(folder: string): string {
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    `  <dir>${escapeXml(join(folder, 'fonts'))}</dir>`,
    `  <cachedir>${escapeXml(join(folder, 'fontconfig-cache'))}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
}

function browserEnv(folder: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const libs = join(folder, 'lib');
  return {
    LD_LIBRARY_PATH: env.LD_LIBRARY_PATH ? `${libs}:${env.LD_LIBRARY_PATH}` : libs,
    FONTCONFIG_FILE: join(folder, 'fonts.conf'),
  };
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Unpacks everything into `tmp` (a folder of this process alone). */
async function unpack(bin: string, tmp: string, final: string): Promise<void> {
  const { x } = await import('tar');
  await pipeline(
    createReadStream(join(bin, 'chromium.br')),
    createBrotliDecompress(),
    createWriteStream(join(tmp, 'chromium'), { mode: 0o755 }),
  );
  // lib/: libnss3 and friends, which a slim image lacks; fonts/: Open Sans, for a machine with no fonts at all.
  await x({ file: join(bin, 'al2023.tar.br'), cwd: tmp, brotli: true, preserveOwner: false });
  await x({ file: join(bin, 'fonts.tar.br'), cwd: tmp, brotli: true, preserveOwner: false });
  // Its own fonts.conf names serverless paths (/tmp/fonts, /var/task); this one names the final folder.
  await writeFile(join(tmp, 'fonts.conf'), fontsConf(final));
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const what: Record<string, string> = {
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EACCES: 'permission denied',
    EPERM: 'not permitted',
    ENOTDIR: 'a path component is not a folder',
    EDQUOT: 'disk quota exceeded',
  };
  return e?.code && what[e.code] ? `${what[e.code]} (${e.code})` : String(e?.message ?? err).split('\n')[0];
}

/** Unpacks into `dir` unless a complete copy is there; throws what went wrong. */
async function ensureIn(
  dir: string,
  bin: string,
  name: string,
  onProgress?: (m: string) => void,
): Promise<{ folder: string; extracted: boolean }> {
  const final = join(dir, name);
  if (await isExecutable(join(final, 'chromium'))) return { folder: final, extracted: false };
  await mkdir(dir, { recursive: true });
  onProgress?.(`unpacking the bundled Chromium into ${final} (once per version)`);
  const tmp = await mkdtemp(join(dir, `.${name}.tmp-`));
  try {
    await unpack(bin, tmp, final);
    await rename(tmp, final);
    return { folder: final, extracted: true };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    // Another process renamed its complete copy into place first: use that one.
    if (await isExecutable(join(final, 'chromium'))) return { folder: final, extracted: false };
    throw err;
  }
}

const inFlight = new Map<string, Promise<BundledOutcome>>();

/**
 * The bundled Chromium, unpacked on first use. Never throws: an outcome that is not ok says why
 * (not this platform, not installed, or the cache folder could not be written, naming it).
 */
export function bundledChromium(opts: BundledOptions = {}): Promise<BundledOutcome> {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const arch = opts.arch ?? process.arch;
  if (platform !== 'linux' || arch !== 'x64') {
    return Promise.resolve({
      ok: false,
      message: `the bundled Chromium exists only for Linux x64 (this is ${platform} ${arch})`,
    });
  }
  const pkg = packageDir();
  if (!pkg || !existsSync(join(pkg, 'bin', 'chromium.br'))) {
    return Promise.resolve({
      ok: false,
      message: `the bundled Chromium (${BUNDLED_PACKAGE}, an optional dependency) is not installed: run npm ci without --omit=optional`,
    });
  }
  const { dirs, named } = cacheDirs(env, pkg);
  const key = `${pkg}\0${dirs.join('\0')}`;
  // Realtime and auth may ask at the same moment: one unpacking per process.
  let pending = inFlight.get(key);
  if (!pending) {
    pending = locate(pkg, dirs, named, env, opts.onProgress);
    inFlight.set(key, pending);
    pending.then((r) => {
      if (!r.ok) inFlight.delete(key); // a full disk may be freed: try again next time
    });
  }
  return pending;
}

async function locate(
  pkg: string,
  dirs: string[],
  named: boolean,
  env: NodeJS.ProcessEnv,
  onProgress?: (m: string) => void,
): Promise<BundledOutcome> {
  let version = 'unknown';
  try {
    version = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version ?? version;
  } catch {
    // the version only names the folder
  }
  const name = `chromium-${version}-x64`;
  const failures: string[] = [];
  for (const dir of dirs) {
    try {
      const { folder, extracted } = await ensureIn(dir, join(pkg, 'bin'), name, onProgress);
      return { ok: true, path: join(folder, 'chromium'), packageVersion: version, env: browserEnv(folder, env), extracted };
    } catch (err) {
      failures.push(`${dir}: ${reason(err)}`);
    }
  }
  const where = failures.length ? failures.join('; ') : 'no cache folder (no home directory and no node_modules)';
  const override = named
    ? 'set SHIPGATE_CACHE_DIR to a writable folder'
    : 'set SHIPGATE_CACHE_DIR to a writable folder with ~300 MB free';
  return {
    ok: false,
    message: `the bundled Chromium could not be unpacked (${where}): ${override}, or SHIPGATE_BROWSER to a Chromium you have`,
  };
}
