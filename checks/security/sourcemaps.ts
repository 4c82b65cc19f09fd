// Source maps of the scripts the audited pages load: where a map is announced (the SourceMap header,
// then the last sourceMappingURL comment), and what a served map gives away. A map with sourcesContent
// hands out the original source; one without it still reveals file names and structure. Pure: no I/O.

/** Same-origin script URLs of an HTML page, in document order, without duplicates. */
export function scriptSources(html: string, pageUrl: string): string[] {
  const page = new URL(pageUrl);
  const out: string[] = [];
  for (const m of html.matchAll(/<script\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>/gi)) {
    const raw = decodeEntities((m[1] ?? m[2] ?? m[3] ?? '').trim());
    if (!raw) continue;
    let url: URL;
    try {
      url = new URL(raw, page);
    } catch {
      continue;
    }
    // Only the target's own origin: profile headers (credentials) must not travel to a CDN.
    if (url.origin !== page.origin) continue;
    url.hash = '';
    if (!out.includes(url.toString())) out.push(url.toString());
  }
  return out;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

/**
 * The map a script announces: the SourceMap (or older X-SourceMap) header wins, else the last
 * `//# sourceMappingURL=` comment. Returns an absolute URL (possibly data:) or undefined.
 */
export function announcedMap(script: string, headers: Record<string, string>, scriptUrl: string): string | undefined {
  const header = headers['sourcemap'] ?? headers['x-sourcemap'];
  let raw: string | undefined = header?.trim();
  if (!raw) {
    const comments = [...script.matchAll(/\/\/[#@]\s*sourceMappingURL\s*=\s*(\S+)/g)];
    raw = comments.at(-1)?.[1];
  }
  if (!raw) return undefined;
  try {
    return new URL(raw, scriptUrl).toString();
  } catch {
    return undefined;
  }
}

/** The body of a data: URL map (base64 or percent-encoded). */
export function dataUrlBody(url: string): string | undefined {
  const m = /^data:[^,]*?(;base64)?,(.*)$/s.exec(url);
  if (!m) return undefined;
  try {
    return m[1] ? Buffer.from(m[2], 'base64').toString('utf8') : decodeURIComponent(m[2]);
  } catch {
    return undefined;
  }
}

export interface SourceMapInfo {
  sources: string[];
  /** How many sources come with their full text. */
  withContent: number;
}

/** A source map (v3, or an indexed map with sections), or undefined for anything else (an app shell). */
export function parseSourceMap(body: string): SourceMapInfo | undefined {
  let v: unknown;
  try {
    // Some servers prefix JSON with )]}' against XSSI; the spec allows it for maps.
    v = JSON.parse(body.replace(/^\)\]\}'[^\n]*\n/, ''));
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const maps: Record<string, unknown>[] = Array.isArray((v as { sections?: unknown }).sections)
    ? ((v as { sections: { map?: Record<string, unknown> }[] }).sections.map((s) => s.map).filter(Boolean) as Record<
        string,
        unknown
      >[])
    : [v as Record<string, unknown>];
  const real = maps.filter((m) => typeof m.mappings === 'string' && Array.isArray(m.sources));
  if (real.length === 0) return undefined;
  const sources = real.flatMap((m) => (m.sources as unknown[]).map(String));
  const withContent = real
    .flatMap((m) => (Array.isArray(m.sourcesContent) ? m.sourcesContent : []))
    .filter((c) => typeof c === 'string' && c.length > 0).length;
  return { sources, withContent };
}
