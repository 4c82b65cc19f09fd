// Sensitive files and debug surfaces a deployment must not serve: the paths probed, the content
// signature that proves each one is really there, and the comparison with a random sibling path that
// keeps single-page apps (200 + the app shell for every path) from raising false alarms. A status code
// alone never counts. Pure: no I/O.

export type ExposureKind = 'dotenv' | 'vcs' | 'debug' | 'backup';

export interface ExposureProbe {
  path: string;
  kind: ExposureKind;
  /** What the file or endpoint is, for the message. */
  what: string;
  /** Recognizes the real thing in a response; returns a short description of what matched. */
  signature: (body: string, contentType: string) => string | undefined;
}

/** KEY=value lines (with optional export, quotes, comments and blank lines), as dotenv reads them. */
const DOTENV_LINE = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=/;

function dotenvSignature(body: string, contentType: string): string | undefined {
  if (isHtmlBody(body, contentType)) return undefined;
  const lines = body
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const assignments = lines.filter((l) => DOTENV_LINE.test(l));
  // Mostly assignments: a JavaScript bundle or prose has a few "x = y" lines among many others.
  if (assignments.length === 0 || assignments.length < lines.length * 0.8) return undefined;
  const names = assignments.slice(0, 4).map((l) =>
    l
      .replace(/^\s*(?:export\s+)?/, '')
      .split('=')[0]
      .trim(),
  );
  return `${assignments.length} dotenv line${assignments.length > 1 ? 's' : ''} (${names.join(', ')}${assignments.length > 4 ? ', …' : ''})`;
}

const gitHead = (body: string) =>
  /^ref: refs\/[^\s]+\s*$/.test(body.trim()) || /^[0-9a-f]{40}\s*$/.test(body.trim()) ? 'a git HEAD (ref: refs/…)' : undefined;
const gitConfig = (body: string) =>
  /^\s*\[core\]/m.test(body) && /repositoryformatversion|bare\s*=|filemode\s*=/i.test(body)
    ? 'a git config ([core] section)'
    : undefined;
const svnEntries = (body: string) =>
  /^\d{1,2}\s*$/.test(body.trim()) || /^\d{1,2}\n\ndir\n/.test(body) || /<wc-entries/.test(body)
    ? 'Subversion working-copy entries'
    : undefined;
const hgRequires = (body: string) =>
  /^(?:revlogv1|store|fncache|dotencode|generaldelta)\s*$/m.test(body) && !/</.test(body)
    ? 'a Mercurial requires file'
    : undefined;

function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Go's expvar (cmdline, memstats) or any JSON object dumping configuration or the environment. */
function expvarSignature(body: string): string | undefined {
  const o = jsonObject(body);
  if (!o) return undefined;
  if ('cmdline' in o || 'memstats' in o) return 'expvar variables (cmdline, memstats)';
  const keys = Object.keys(o);
  if (keys.some((k) => /^(env|environment|config|configuration|settings|secrets?|process)$/i.test(k)))
    return `a JSON dump with ${keys.slice(0, 4).join(', ')}`;
  return undefined;
}

const pprofIndex = (body: string) =>
  /\/debug\/pprof\//.test(body) && /goroutine|heap|profile/i.test(body) ? 'the pprof profile index' : undefined;
const actuatorEnv = (body: string) => {
  const o = jsonObject(body);
  return o && ('propertySources' in o || 'activeProfiles' in o)
    ? 'Spring Boot actuator environment (propertySources)'
    : undefined;
};
const heapDump = (body: string) => (body.startsWith('JAVA PROFILE 1.0') ? 'a Java heap dump (HPROF)' : undefined);
const serverStatus = (body: string) =>
  /Apache Server Status for|Server Version:.*\n?.*Server (?:Built|MPM)|Current Time:.*Restart Time:/s.test(body)
    ? 'Apache mod_status'
    : undefined;
const phpInfo = (body: string) =>
  /<title>PHP [\d.]+ - phpinfo\(\)<\/title>|phpinfo\(\)[\s\S]{0,2000}PHP Version/i.test(body) ? 'phpinfo() output' : undefined;
const dsStore = (body: string) =>
  body.length >= 8 && body.slice(4, 8) === 'Bud1' ? "a macOS .DS_Store (lists the folder's files)" : undefined;
const zipFile = (body: string) => (body.startsWith('PK\u0003\u0004') ? 'a ZIP archive' : undefined);
const gzipFile = (body: string) =>
  body.startsWith('\u001f\ufffd') || body.startsWith('\u001f\u008b') ? 'a gzip archive' : undefined;
const sqlDump = (body: string, type: string) =>
  !isHtmlBody(body, type) &&
  /(?:^|\n)\s*(?:-- (?:MySQL|MariaDB) dump|-- PostgreSQL database dump|CREATE TABLE |INSERT INTO )/i.test(body)
    ? 'an SQL dump'
    : undefined;

export function isHtmlBody(body: string, contentType: string): boolean {
  return /html/i.test(contentType) || /^\s*</.test(body);
}

export const EXPOSURE_PROBES: ExposureProbe[] = [
  ...['/.env', '/.env.production', '/.env.local', '/.env.production.local', '/.env.development', '/.env.bak', '/api/.env'].map(
    (path) => ({ path, kind: 'dotenv' as const, what: 'dotenv file', signature: dotenvSignature }),
  ),
  { path: '/.git/HEAD', kind: 'vcs', what: 'git metadata', signature: gitHead },
  { path: '/.git/config', kind: 'vcs', what: 'git metadata', signature: gitConfig },
  { path: '/.svn/entries', kind: 'vcs', what: 'Subversion metadata', signature: svnEntries },
  { path: '/.hg/requires', kind: 'vcs', what: 'Mercurial metadata', signature: hgRequires },
  { path: '/debug/vars', kind: 'debug', what: 'debug endpoint', signature: expvarSignature },
  { path: '/debug/pprof/', kind: 'debug', what: 'profiler', signature: pprofIndex },
  { path: '/actuator/env', kind: 'debug', what: 'admin endpoint', signature: actuatorEnv },
  { path: '/actuator/heapdump', kind: 'debug', what: 'heap dump', signature: heapDump },
  { path: '/server-status', kind: 'debug', what: 'server status page', signature: serverStatus },
  { path: '/phpinfo.php', kind: 'debug', what: 'PHP info page', signature: phpInfo },
  { path: '/.DS_Store', kind: 'debug', what: 'folder listing', signature: dsStore },
  ...['/backup.zip', '/site.zip'].map((path) => ({ path, kind: 'backup' as const, what: 'backup archive', signature: zipFile })),
  { path: '/backup.tar.gz', kind: 'backup', what: 'backup archive', signature: gzipFile },
  ...['/backup.sql', '/dump.sql', '/db.sql', '/database.sql'].map((path) => ({
    path,
    kind: 'backup' as const,
    what: 'database dump',
    signature: sqlDump,
  })),
];

/** A profile's extra path has no known signature: it counts when it answers 2xx unlike a random sibling. */
export function extraProbe(path: string): ExposureProbe {
  return {
    path,
    kind: 'debug',
    what: 'path listed in exposure.extraPaths',
    signature: () => 'a 2xx answer unlike the one for a random path beside it',
  };
}

/** Paths the profile serves on purpose: exact, or everything under one ending in "/". */
export function isAllowed(path: string, allow: readonly string[]): boolean {
  return allow.some((a) => a === path || (a.endsWith('/') && path.startsWith(a)));
}

/**
 * A random path beside `path` with the same shape (folder, leading dot, extension, trailing slash):
 * the answer a catch-all gives to anything there. `token` is random per run.
 */
export function siblingPath(path: string, token: string): string {
  const slash = path.endsWith('/') ? '/' : '';
  const trimmed = slash ? path.slice(0, -1) : path;
  const cut = trimmed.lastIndexOf('/');
  const dir = trimmed.slice(0, cut + 1);
  const name = trimmed.slice(cut + 1);
  const dot = name.startsWith('.') ? '.' : '';
  const rest = dot ? name.slice(1) : name;
  const ext = rest.includes('.') ? rest.slice(rest.indexOf('.')) : '';
  return `${dir}${dot}${token}${ext}${slash}`;
}

export interface Answer {
  status?: number;
  contentType?: string;
  body?: string;
}

const baseType = (t: string | undefined) => (t ?? '').split(';')[0].trim().toLowerCase();

/**
 * Whether `answer` is just what the server says to any path of that shape: same status, same content
 * type, and the same body once the paths are taken out (or, for HTML, nearly the same length, since an
 * app shell may carry a nonce or a request id).
 */
export function likeBaseline(
  answer: Answer,
  baseline: Answer | undefined,
  paths: { path: string; baselinePath: string },
): boolean {
  if (!baseline || baseline.status === undefined) return false;
  if (answer.status !== baseline.status || baseType(answer.contentType) !== baseType(baseline.contentType)) return false;
  const a = (answer.body ?? '').split(paths.path).join('');
  const b = (baseline.body ?? '').split(paths.baselinePath).join('');
  if (a === b) return true;
  return isHtmlBody(a, answer.contentType ?? '') && Math.abs(a.length - b.length) <= Math.max(64, b.length * 0.05);
}

export interface ExposureFinding {
  probe: ExposureProbe;
  matched: string;
  answer: Answer;
}

/** Exposed: a 2xx answer whose content carries the signature and differs from the random sibling's. */
export function judgeExposure(
  probe: ExposureProbe,
  answer: Answer,
  baseline: Answer | undefined,
  baselinePath: string,
): ExposureFinding | undefined {
  if (answer.status === undefined || answer.status < 200 || answer.status > 299) return undefined;
  if (likeBaseline(answer, baseline, { path: probe.path, baselinePath })) return undefined;
  const matched = probe.signature(answer.body ?? '', answer.contentType ?? '');
  return matched ? { probe, matched, answer } : undefined;
}

// ---------------------------------------------------------------- redaction of what was found

const SECRET_KEY = /pass|secret|token|key|credential|auth|dsn|database_url|private|session|cookie|signature|salt/i;

/**
 * The secret values of dotenv assignments, to hand to the run's redactor: those under secret-looking
 * names (at least 4 characters). Not every value: redacting PORT=4100 or NODE_ENV=production would
 * mangle every other line of the report; the evidence excerpt masks all values anyway.
 */
export function dotenvValues(body: string): string[] {
  const out: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m || !SECRET_KEY.test(m[1])) continue;
    const v = m[2].trim().replace(/^(['"])(.*)\1$/, '$2');
    if (v.length >= 4) out.push(v);
  }
  return out;
}

/** JSON string values under secret-looking keys, at any depth. */
export function secretJsonValues(body: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string') {
      if (SECRET_KEY.test(key) && v.length >= 4) out.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  try {
    walk(JSON.parse(body), '');
  } catch {
    // not JSON
  }
  return out;
}

/**
 * An excerpt safe to print: every dotenv value and every `key = value` under a secret-looking key
 * masked, credentials in URLs masked, JSON values under secret-looking keys masked.
 */
export function maskExposed(body: string, kind: ExposureKind): string {
  let text = body;
  if (kind === 'dotenv') text = text.replace(/^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=).*$/gm, '$1***');
  text = text.replace(/^(\s*[\w.-]*(?:pass|secret|token|key|credential|auth|extraheader)[\w.-]*\s*[=:]\s*).+$/gim, '$1***');
  text = text.replace(
    /("[^"]*(?:pass|secret|token|key|credential|auth|dsn|url|private|session|cookie|salt)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    '$1"***"',
  );
  text = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:"']+:[^\s/@"']+@/gi, '$1***@');
  return text;
}
