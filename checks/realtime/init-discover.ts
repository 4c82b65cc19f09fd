// A real-time endpoint, if the front end uses one: the home page and the pages it links (one level, a
// few at most), their inline scripts and same-origin <script src> files are searched for
// `new EventSource("…")` and `new WebSocket("…")`. A stream found is opened once to confirm it.
import { toHttpError } from '../../src/http/errors.js';
import { wsTrustOptions } from '../../src/http/ws-options.js';
import type { Prober } from '../../src/init/prober.js';
import { mediaType } from '../../src/init/prober.js';
import { scanHtml, type PageScan } from '../../src/init/html.js';

const MAX_PAGES = 8;
const MAX_SCRIPTS = 12;
const ASSET = /\.(css|js|mjs|map|png|jpe?g|gif|svg|ico|webp|woff2?|ttf|pdf|zip|json|xml|txt)$/i;
/** Links init never follows, even with GET. */
const RISKY = /logout|log-out|signout|sign-out|delete|remove|unsubscribe/i;

export interface StreamFinding {
  kind: 'sse' | 'websocket';
  /** Path (or absolute URL on another host) of the stream, without its query. */
  url: string;
  /** The page whose script opens it. */
  page: string;
  /** The script it was found in ("inline" for a <script> block). */
  script: string;
  /** Opened once during init: it answered as a stream. */
  confirmed: boolean;
  /** Why it could not be confirmed. */
  note?: string;
}

export interface PageGuess {
  page: string;
  /** A text input of the page's form, e.g. "#item-text". */
  input?: string;
  /** Its submit button, e.g. "#add". */
  submit?: string;
  /** The list new items appear in, e.g. "#items li". */
  list?: string;
}

export interface RealtimeFindings {
  pages: string[];
  streams: StreamFinding[];
  guess?: PageGuess;
}

/** The same-origin path a link points to, or undefined. */
function sameOriginPath(href: string, base: URL): string | undefined {
  let u: URL;
  try {
    u = new URL(href, base);
  } catch {
    return undefined;
  }
  if (u.origin !== base.origin) return undefined;
  return u.pathname;
}

/** A URL written in a script, cleaned: no query, no template holes; a path when it is on the target's host. */
export function cleanStreamUrl(raw: string, base: URL): string | undefined {
  const text = raw.split('${')[0].split('?')[0].split('#')[0].trim();
  if (!text) return undefined;
  if (/^wss?:\/\//i.test(text) || /^https?:\/\//i.test(text)) {
    try {
      const u = new URL(text);
      if (u.host === base.host) return u.pathname.length > 1 ? u.pathname : undefined;
      return u.toString();
    } catch {
      return undefined;
    }
  }
  if (!text.startsWith('/') || text.length < 2) return undefined;
  return text;
}

/** Script text read per page or file: enough for any app's bootstrap code, bounded for a hostile one. */
const MAX_SCRIPT_CHARS = 512 * 1024;
/** String literals longer than this are data, not a stream URL. */
const MAX_LITERAL = 2_048;

/**
 * The string literals of a script, by a linear scan: an opening quote, then up to MAX_LITERAL characters
 * to the same quote (no newline except in a template). Escapes are skipped, not decoded.
 */
function* literals(code: string): Generator<{ start: number; text: string }> {
  for (let i = 0; i < code.length; i++) {
    const q = code[i];
    if (q !== "'" && q !== '"' && q !== '`') continue;
    let j = i + 1;
    while (j < code.length && j - i <= MAX_LITERAL && code[j] !== q && (q === '`' || code[j] !== '\n'))
      j += code[j] === '\\' ? 2 : 1;
    if (code[j] === q && j - i <= MAX_LITERAL) yield { start: i, text: code.slice(i + 1, j) };
    // An unterminated literal: go on after its quote, so the scan stays linear.
    if (code[j] === q) i = j;
  }
}

/** The literal that is the first argument of `new <ctor>(` at each call. */
function constructorArguments(code: string, ctor: string): string[] {
  const out: string[] = [];
  const call = new RegExp(`new\\s+${ctor}\\(\\s*`, 'g');
  for (const m of code.matchAll(call)) {
    const at = m.index + m[0].length;
    const q = code[at];
    if (q !== "'" && q !== '"' && q !== '`') continue;
    const end = code.indexOf(q, at + 1);
    if (end > at && end - at <= MAX_LITERAL) out.push(code.slice(at + 1, end));
  }
  return out;
}

/** A computed WebSocket URL's likely literal: ws(s)://…, or a path with /ws or "socket" in it. */
function wsLooking(text: string): boolean {
  if (/[\s'"`]/.test(text)) return false;
  if (/^wss?:\/\//i.test(text)) return true;
  return /^\/[A-Za-z0-9_./-]*?(?:\/ws\b|socket)/i.test(text);
}

/** `new EventSource('…')` and `new WebSocket('…')` (or, when the WebSocket URL is computed, a ws-looking literal). */
export function streamsInScript(source: string, base: URL): { kind: 'sse' | 'websocket'; url: string }[] {
  const code = source.length > MAX_SCRIPT_CHARS ? source.slice(0, MAX_SCRIPT_CHARS) : source;
  const out: { kind: 'sse' | 'websocket'; url: string }[] = [];
  const add = (kind: 'sse' | 'websocket', raw: string) => {
    const url = cleanStreamUrl(raw, base);
    if (url && !out.some((s) => s.kind === kind && s.url === url)) out.push({ kind, url });
  };
  for (const url of constructorArguments(code, 'EventSource')) add('sse', url);
  const literalWs = constructorArguments(code, 'WebSocket');
  for (const url of literalWs) add('websocket', url);
  if (literalWs.length === 0 && /new\s+WebSocket\(/.test(code)) {
    for (const { text } of literals(code)) if (wsLooking(text)) add('websocket', text);
  }
  return out;
}

/** Form fields and the list of a page, as selectors a realtime profile can start from. */
export function guessPage(page: string, html: string | PageScan): PageGuess {
  const scan = typeof html === 'string' ? scanHtml(html) : html;
  const guess: PageGuess = { page };
  for (const input of scan.inputs) {
    const type = (input.type ?? 'text').toLowerCase();
    if (!['text', 'search'].includes(type)) continue;
    guess.input = input.id ? `#${input.id}` : input.name ? `input[name=${input.name}]` : undefined;
    if (guess.input) break;
  }
  for (const button of scan.buttons) {
    const type = (button.type ?? 'submit').toLowerCase();
    if (type !== 'submit') continue;
    guess.submit = button.id ? `#${button.id}` : 'button[type=submit]';
    break;
  }
  if (scan.listIds.length) guess.list = `#${scan.listIds[0]} li`;
  return guess;
}

/** Lets a Ctrl-C (and anything else waiting) run between pieces of work on hostile pages. */
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

export async function probeRealtime(p: Prober, home: { path: string; html: string } | undefined): Promise<RealtimeFindings> {
  const found: RealtimeFindings = { pages: [], streams: [] };
  if (!home) return found;
  const base = p.baseUrl;
  const pages = new Map<string, PageScan>([[home.path, scanHtml(home.html)]]);
  const linked = [
    ...new Set(
      pages
        .get(home.path)!
        .links.map((h) => sameOriginPath(h, base))
        .filter((x): x is string => x !== undefined),
    ),
  ]
    .filter((x) => x !== home.path && !ASSET.test(x) && !RISKY.test(x))
    .slice(0, MAX_PAGES - 1);
  const answers = await p.each(linked, (path) => p.get(path, { accept: 'text/html' }));
  for (const a of answers) {
    if (a.res && a.res.status === 200 && mediaType(a.res) === 'text/html') pages.set(a.path, scanHtml(a.res.body));
    await yieldToEventLoop();
  }
  found.pages = [...pages.keys()];

  // Scripts per page: same-origin files (fetched once) and inline blocks.
  const scriptPages = new Map<string, string>();
  for (const [page, scan] of pages) {
    for (const src of scan.scriptSrcs) {
      const path = sameOriginPath(src, base);
      if (path && !scriptPages.has(path)) scriptPages.set(path, page);
    }
  }
  const scripts = [...scriptPages.keys()].slice(0, MAX_SCRIPTS);
  const code = await p.each(scripts, (path) => p.get(path, { accept: 'text/javascript, */*;q=0.5' }));
  const sources: { page: string; script: string; code: string }[] = [];
  code.forEach((a, i) => {
    if (a.res?.status === 200) sources.push({ page: scriptPages.get(scripts[i])!, script: scripts[i], code: a.res.body });
  });
  for (const [page, scan] of pages) for (const code of scan.inlineScripts) sources.push({ page, script: 'inline', code });
  for (const s of sources) {
    await yieldToEventLoop();
    for (const st of streamsInScript(s.code, base)) {
      if (!found.streams.some((x) => x.kind === st.kind && x.url === st.url))
        found.streams.push({ ...st, page: s.page, script: s.script, confirmed: false });
    }
  }
  for (const st of found.streams) await confirm(p, st);
  const first = found.streams[0];
  if (first) found.guess = guessPage(first.page, pages.get(first.page) ?? '');
  return found;
}

/** Opens the stream once: an SSE answer is text/event-stream; a WebSocket completes its handshake. */
async function confirm(p: Prober, st: StreamFinding): Promise<void> {
  if (st.kind === 'sse') {
    // One byte is enough: the client stops reading a stream that would never end.
    const a = await p.send({ path: st.url, headers: { accept: 'text/event-stream' }, maxBodyBytes: 1, timeoutMs: 3_000 });
    st.confirmed = a.res !== undefined && mediaType(a.res) === 'text/event-stream';
    if (!st.confirmed) st.note = a.res ? `answered ${a.res.status} ${mediaType(a.res) || 'without a content type'}` : a.error;
    return;
  }
  const { WebSocket } = await import('ws');
  const url = new URL(st.url, p.baseUrl);
  url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
  p.sent++;
  const outcome = await new Promise<string | undefined>((resolve) => {
    // Through the prober's trust and proxy, like init's HTTP requests, and refused in the same words.
    const ws = new WebSocket(url, {
      handshakeTimeout: 3_000,
      headers: { 'user-agent': 'shipgate-init' },
      ...wsTrustOptions(url, p.http.trust, 3_000),
    });
    const done = (why: string | undefined) => {
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      resolve(why);
    };
    ws.once('open', () => done(undefined));
    ws.once('unexpected-response', (_req, res) => done(`answered ${res.statusCode} instead of switching protocols`));
    ws.once('error', (err) => done(toHttpError(err, url, 3_000, false).message));
    p.signal.addEventListener('abort', () => done('interrupted'), { once: true });
  });
  st.confirmed = outcome === undefined;
  st.note = outcome;
}
