// Secrets (from the profile and obtained during the run) are replaced by *** everywhere output is produced.
// This is the one home of redaction: every encoded form of a secret the tool could produce or a target could
// echo is derived here, and excerpts cut through a secret are caught by its prefix or suffix.

export const REDACTED = '***';

/** Values shorter than this are not tracked: they would mangle ordinary text. */
const MIN_SECRET = 4;
/** A base64 run shorter than this is too likely to occur by chance. */
const MIN_BASE64 = 8;
/** A prefix or suffix this long (and at least half the secret) is redacted wherever it appears. */
const MIN_PARTIAL_ANYWHERE = 8;
/** Where an excerpt was cut (string edge or "…"), a prefix or suffix this long is enough. */
const MIN_PARTIAL_AT_CUT = 4;

/** Query parameters whose values are credentials even when the profile did not mark them secret. */
const SECRET_PARAM = /(token|secret|password|passwd|key|auth|sig|signature|bypass|credential|session)/i;

export class Redactor {
  /** Every literal form to replace whole. */
  private readonly forms = new Set<string>();
  /** Forms whose cut-off prefixes and suffixes are redacted too (the plain text forms, not base64 cores). */
  private readonly cuttable = new Set<string>();
  private sorted?: string[];

  add(value: string | undefined | null): void {
    if (!value || value.length < MIN_SECRET) return;
    for (const form of textForms(value)) this.addForm(form, true);
    for (const core of base64Cores(value)) this.addForm(core, false);
  }

  /**
   * The credentials inside a URL: a userinfo password (and user:password as Basic auth would carry it) and
   * the values of query parameters named like credentials.
   */
  addUrl(url: string | URL | undefined): void {
    const u = parseUrl(url);
    if (!u) return;
    if (u.password) {
      const password = safeDecode(u.password);
      this.add(password);
      this.add(`${safeDecode(u.username)}:${password}`);
    }
    for (const [name, value] of u.searchParams) if (SECRET_PARAM.test(name)) this.add(value);
  }

  get size(): number {
    return this.forms.size;
  }

  text(input: string): string {
    if (this.forms.size === 0 || !input) return input;
    let out = input;
    this.sorted ??= [...this.forms].sort((a, b) => b.length - a.length);
    // Longest first so a secret containing another is replaced whole.
    for (const s of this.sorted) {
      if (out.includes(s)) out = out.split(s).join(REDACTED);
    }
    for (const s of this.cuttable) out = redactPartial(out, s);
    return out;
  }

  /** A URL for display: the userinfo password and every known secret replaced. */
  url(input: string | URL): string {
    const u = parseUrl(input);
    if (!u) return this.text(String(input));
    if (u.password) u.password = REDACTED;
    for (const [name, value] of [...u.searchParams]) if (SECRET_PARAM.test(name) && value) u.searchParams.set(name, REDACTED);
    // URLSearchParams re-encodes "*" as-is; the display keeps "***" readable.
    return this.text(u.toString().replaceAll('%2A%2A%2A', REDACTED));
  }

  /** Deep-redacts strings inside any JSON-like value. */
  value<T>(input: T): T {
    if (this.forms.size === 0) return input;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.text(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) o[k] = walk(x);
        return o;
      }
      return v;
    };
    return walk(input) as T;
  }

  private addForm(form: string, cuttable: boolean): void {
    if (form.length < MIN_SECRET || this.forms.has(form)) return;
    this.forms.add(form);
    if (cuttable) this.cuttable.add(form);
    this.sorted = undefined;
  }
}

/** A URL for display with no credentials in it, for places that have no run (validate). */
export function displayUrl(url: string, secrets: Iterable<string> = []): string {
  const r = new Redactor();
  for (const s of secrets) r.add(s);
  r.addUrl(url);
  return r.url(url);
}

function parseUrl(url: string | URL | undefined): URL | undefined {
  if (!url) return undefined;
  try {
    return new URL(String(url));
  } catch {
    return undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The secret as it may appear in text: raw, URL-encoded (both hex cases, form and WHATWG URL encodings), JSON-escaped once, twice and thrice, HTML-escaped. */
function textForms(value: string): Set<string> {
  const forms = new Set<string>([value]);
  const percent = [
    encodeURIComponent(value),
    encodeURI(value),
    new URLSearchParams({ x: value }).toString().slice(2),
    ...whatwgUrlForms(value),
  ];
  for (const p of percent) {
    forms.add(p);
    forms.add(p.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  }
  // JSON-escaped, and nested: a JSON string inside a JSON string inside a JSON string.
  let json = value;
  for (let depth = 0; depth < 3; depth++) {
    json = JSON.stringify(json).slice(1, -1);
    forms.add(json);
    forms.add(json.replaceAll('/', '\\/')); // PHP and some Java encoders escape "/"
    forms.add(asciiJson(json));
  }
  forms.add(value.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]));
  forms.add(value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`));
  return forms;
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Encoders that escape HTML-sensitive and non-ASCII characters as \uXXXX. */
function asciiJson(json: string): string {
  return json.replace(/[<>&'\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** How the URL parser itself encodes the value in a userinfo, path, query or fragment. */
function whatwgUrlForms(value: string): string[] {
  const forms: string[] = [];
  try {
    const u = new URL('http://h/');
    u.password = value;
    forms.push(u.password);
    u.username = value;
    forms.push(u.username);
    forms.push(new URL(`http://h/${value.replace(/[?#]/g, encodeURIComponent)}`).pathname.slice(1));
    forms.push(new URL(`http://h/?${value.replace(/#/g, '%23')}`).search.slice(1));
    forms.push(new URL(`http://h/#${value}`).hash.slice(1));
  } catch {
    // a value no URL can hold has no URL form
  }
  return forms;
}

/**
 * Base64 (standard and URL-safe) of any text containing the secret, whatever precedes it (Basic auth's
 * "user:" included): for each of the three alignments, the characters that depend on the secret's bytes alone.
 */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const b64 = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const core = b64.slice(first, end);
    if (core.length < MIN_BASE64) continue;
    cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return cores;
}

const CUT = '…';

/**
 * Redacts what is left of a secret after an excerpt cut through it: a prefix or suffix of at least
 * max(8, half the secret) anywhere, or of at least 4 characters where the text was cut (its edges or "…").
 */
function redactPartial(text: string, secret: string): string {
  if (secret.length <= MIN_PARTIAL_AT_CUT) return text;
  const anywhere = Math.max(MIN_PARTIAL_ANYWHERE, Math.ceil(secret.length / 2));
  let out = text;
  // Fast path: no 4-character prefix or suffix, so no longer one either.
  const hasPrefix = out.includes(secret.slice(0, MIN_PARTIAL_AT_CUT));
  const hasSuffix = out.includes(secret.slice(-MIN_PARTIAL_AT_CUT));
  if (!hasPrefix && !hasSuffix) return out;
  // Prefixes, longest first.
  for (let n = secret.length - 1; hasPrefix && n >= MIN_PARTIAL_AT_CUT; n--) {
    const prefix = secret.slice(0, n);
    if (!out.includes(prefix)) continue;
    out = replaceWhere(out, prefix, (at) => n >= anywhere || out.startsWith(CUT, at + n) || out.startsWith('...', at + n));
  }
  for (let n = secret.length - 1; hasSuffix && n >= MIN_PARTIAL_AT_CUT; n--) {
    const suffix = secret.slice(secret.length - n);
    if (!out.includes(suffix)) continue;
    out = replaceWhere(
      out,
      suffix,
      (at) => n >= anywhere || out.endsWith(CUT, at) || out.endsWith('...', at) || out.endsWith('\n', at),
    );
  }
  return out;
}

/** Replaces each occurrence of `part` for which `where(index)` holds. */
function replaceWhere(text: string, part: string, where: (at: number) => boolean): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + part.length)) {
    if (!where(at)) continue;
    out += text.slice(from, at) + REDACTED;
    from = at + part.length;
  }
  return from === 0 ? text : out + text.slice(from);
}
