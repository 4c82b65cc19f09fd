// Globs for artifact rules (Node 20 has no fs.glob): `*`, `?`, `**`, `{a,b}` and `[abc]`, matched on
// forward-slash paths. The static prefix ("dist/" in "dist/**/*.js") is where the walk starts.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const MAX_ENTRIES = 200_000;

export interface CompiledGlob {
  /** Folder the walk starts at (the pattern's static prefix), "." when none. */
  base: string;
  /** Matches a path relative to base, with forward slashes. */
  regex: RegExp;
}

const MAGIC = /[*?[{]/;

export function globToRegExp(pattern: string): CompiledGlob {
  const segments = pattern.replace(/\\/g, '/').split('/');
  const firstMagic = segments.findIndex((s) => MAGIC.test(s));
  if (firstMagic === -1) {
    // A plain path: its folder is the base, its name the whole pattern.
    const name = segments.pop()!;
    return { base: segments.join('/') || (pattern.startsWith('/') ? '/' : '.'), regex: new RegExp(`^${escape(name)}$`) };
  }
  const base = segments.slice(0, firstMagic).join('/') || (pattern.startsWith('/') ? '/' : '.');
  const rest = segments.slice(firstMagic);
  let source = '';
  rest.forEach((seg, i) => {
    const last = i === rest.length - 1;
    if (seg === '**') source += last ? '.*' : '(?:[^/]+/)*';
    else source += segmentToRegExp(seg, pattern) + (last ? '' : '/');
  });
  return { base, regex: new RegExp(`^${source}$`) };
}

function segmentToRegExp(seg: string, pattern: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') out += seg[i + 1] === '*' ? (i++, '.*') : '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end === -1) throw new Error(`unclosed "[" in glob ${JSON.stringify(pattern)}`);
      const body = seg
        .slice(i + 1, end)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\');
      out += `[${body}]`;
      i = end;
    } else out += escape(c);
  }
  if (braces > 0) throw new Error(`unclosed "{" in glob ${JSON.stringify(pattern)}`);
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export interface MatchedFile {
  path: string;
  bytes: number;
}

/** Files (not folders) under the glob's base whose relative path matches; .git is never entered. */
export async function findFiles(glob: CompiledGlob): Promise<MatchedFile[]> {
  const found: MatchedFile[] = [];
  let seen = 0;
  const baseInfo = await stat(glob.base).catch(() => undefined);
  if (!baseInfo?.isDirectory()) return found;
  async function walk(dir: string, rel: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (++seen > MAX_ENTRIES) throw new Error(`more than ${MAX_ENTRIES} entries under ${glob.base}; narrow the pattern`);
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git') await walk(full, relPath);
      } else if ((e.isFile() || e.isSymbolicLink()) && glob.regex.test(relPath)) {
        const info = await stat(full).catch(() => undefined);
        if (info?.isFile()) found.push({ path: join(glob.base, relPath), bytes: info.size });
      }
    }
  }
  await walk(glob.base, '');
  return found.sort((a, b) => a.path.localeCompare(b.path));
}
