// The one home of output escaping. Text a target controls (headers, bodies, cookie names, error
// messages) reaches every report; each output makes it inert here, and nowhere else:
//   inert()     control characters shown as visible symbols, never acted on by a terminal or parser
//   oneLine()   inert, and line breaks too, so a value cannot forge the next console line
//   html()      inert, then the five HTML metacharacters as entities (HTML report, SVG charts)
//   markdown()  inert, then each ASCII punctuation character that can start GFM markup mid-line
//   sarifText() inert, then backslash and brackets escaped, so no SARIF embedded link is made
//               backslash-escaped (emphasis, code, links, images, HTML, entities, tables, math,
//               autolinks of URLs, www. and e-mail addresses); line breaks become spaces
//   fence()     a fenced code block longer than any backtick run inside it
// JSON needs none of it: JSON.stringify keeps text as data.

// C0 controls except tab and line feed, DEL, C1 controls, and the bidirectional overrides and
// isolates that reorder what a reader sees (Trojan Source).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /[\n\t]/g;
// Lone surrogates and the two non-characters are not valid XML and confuse some consumers.
const NON_CHARACTER = /[\ufffe\uffff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A control character as a visible stand-in: U+2400 "Control Pictures" for C0 and DEL, else U+XXXX. */
function picture(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** Multi-line text with every control character (ESC of an ANSI sequence included) made visible. */
export function inert(value: unknown): string {
  const s = String(value ?? '');
  return s.replace(LONE_SURROGATE, '\ufffd').replace(/\r\n/g, '\n').replace(CONTROL, picture).replace(NON_CHARACTER, '\ufffd');
}

/** One line: also line feeds and tabs become visible, so nothing can start a line of its own. */
export function oneLine(value: unknown): string {
  return inert(value).replace(LINE_BREAKS, picture);
}

/** Text and attribute values of HTML and SVG. */
export function html(value: unknown): string {
  return inert(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Inline Markdown (GitHub Flavored): renders as exactly the characters given. */
export function markdown(value: unknown): string {
  return inert(value)
    .replace(/[\n\t]+/g, ' ')
    .replace(/[\\`*_[\]<>()!|~&#$@]/g, (ch) => `\\${ch}`)
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/(www)\./gi, '$1\\.');
}

/** A fenced code block (info string `text`) that no content can close early. */
export function fence(value: unknown): string {
  const text = inert(value);
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${text}\n${f}`;
}

/**
 * A SARIF message's plain text (SARIF 2.1.0 §3.11.6): `[text](target)` there is an embedded link, so a
 * literal backslash or bracket is escaped with a backslash.
 */
export function sarifText(value: unknown): string {
  return inert(value).replace(/[\\[\]]/g, (ch) => `\\${ch}`);
}

/** Slack mrkdwn text (the webhook's `text`): & < > as entities, so no <url|link> or <!channel> is made. */
export function slack(value: unknown): string {
  return oneLine(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A GitHub Actions workflow command's message (data): % CR LF percent-encoded, as the runner expects. */
export function githubCommandData(value: unknown): string {
  return oneLineKeepBreaks(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command property (file=, title=): also : and , encoded. */
export function githubCommandProperty(value: unknown): string {
  return githubCommandData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function oneLineKeepBreaks(value: unknown): string {
  return inert(value).replace(/\t/g, ' ');
}

/** An inline code span (for ids and paths): no backtick run inside can close it, no pipe can split a table cell. */
export function codeSpan(value: unknown): string {
  const text = oneLineKeepBreaks(value).replace(/\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return longest ? `${f} ${text} ${f}` : `${f}${text}${f}`;
}
