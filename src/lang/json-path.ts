// Paths into a JSON document, one grammar for the whole profile: where the auth gate finds the access
// token (`accessToken`, `data.tokens.access`, `tokens[0].value`) and what a probe condition reads
// (`body.checks.db`, `body[0].status`). Parsed once at profile load, so a bad path is a profile error.
//
// path    := ( segment | index ) ( "." segment | index )*
// index   := "[" digits "]"
// segment := a name without ".", "[" or "]"  (a leading "$." or "body." is accepted and ignored)

export type JsonPath = { source: string; segments: (string | number)[] };

export class JsonPathError extends Error {}

export function parseJsonPath(source: string): JsonPath {
  let text = source.trim();
  if (text.startsWith('$.')) text = text.slice(2);
  else if (text.startsWith('body.')) text = text.slice(5);
  if (!text)
    throw new JsonPathError(`expected a JSON path like "accessToken" or "data.tokens.access", got ${JSON.stringify(source)}`);
  const segments: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\./y;
  let expectName = true;
  while (re.lastIndex < text.length) {
    const at = re.lastIndex;
    const m = re.exec(text);
    if (!m)
      throw new JsonPathError(
        `unexpected ${JSON.stringify(text[at])} at position ${at + 1} in JSON path ${JSON.stringify(source)}`,
      );
    if (m[1] !== undefined) {
      if (!expectName)
        throw new JsonPathError(`expected "." or "[" before ${JSON.stringify(m[1])} in JSON path ${JSON.stringify(source)}`);
      segments.push(m[1]);
      expectName = false;
    } else if (m[2] !== undefined) {
      // An index may open the path (the document is an array) or follow a name or another index, never a ".".
      if (expectName && segments.length > 0)
        throw new JsonPathError(`an index needs something to index in JSON path ${JSON.stringify(source)}`);
      segments.push(Number(m[2]));
      expectName = false;
    } else {
      if (expectName) throw new JsonPathError(`empty segment in JSON path ${JSON.stringify(source)}`);
      expectName = true;
    }
  }
  if (expectName) throw new JsonPathError(`JSON path ${JSON.stringify(source)} ends with "."`);
  return { source: source.trim(), segments };
}

/** The value at the path; found is false when any step is missing (JSON has no undefined). */
export function lookup(root: unknown, path: JsonPath | (string | number)[]): { found: true; value: unknown } | { found: false } {
  let v: unknown = root;
  for (const s of Array.isArray(path) ? path : path.segments) {
    if (v === null || typeof v !== 'object') return { found: false };
    // Own properties only: a path never reaches the prototype ("constructor", "__proto__").
    if (typeof s === 'number' ? !Array.isArray(v) || s >= v.length : !Object.hasOwn(v, s)) return { found: false };
    v = (v as Record<string | number, unknown>)[s];
  }
  return { found: true, value: v };
}

/** The value at the path, or undefined when any step is missing. */
export function valueAt(root: unknown, path: JsonPath): unknown {
  const r = lookup(root, path);
  return r.found ? r.value : undefined;
}
