// Maps a field path of the parsed profile back to a line and column in the YAML source.
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

function nodeAt(doc: Document, path: readonly PropertyKey[]): { node: Node | undefined; depth: number } {
  let node: unknown = doc.contents;
  let depth = 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      if (!node.items[key]) break;
      node = node.items[key];
    } else break;
    depth++;
  }
  return { node: node as Node | undefined, depth };
}

/** Position of the value at `path`, or of its nearest existing ancestor. */
export function positionOf(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): Position | undefined {
  const { node } = nodeAt(doc, path);
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = lc.linePos(offset);
  return { line, column: col };
}

/** Position of the key `key` inside the mapping at `path` (for unknown keys). */
export function keyPositionOf(doc: Document, lc: LineCounter, path: readonly PropertyKey[], key: string): Position | undefined {
  const { node, depth } = nodeAt(doc, path);
  if (depth === path.length && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    const offset = (pair?.key as Node | undefined)?.range?.[0];
    if (offset !== undefined) {
      const { line, col } = lc.linePos(offset);
      return { line, column: col };
    }
  }
  return positionOf(doc, lc, path);
}

/** True when the full path exists in the document (a value was given). */
export function hasPath(doc: Document, path: readonly PropertyKey[]): boolean {
  return nodeAt(doc, path).depth === path.length;
}
