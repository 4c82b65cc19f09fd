// The keys a zod object schema accepts at a path, for did-you-mean suggestions.
import type { z } from 'zod';

function unwrap(schema: any): any {
  for (let i = 0; i < 10 && schema; i++) {
    const def = schema._zod?.def;
    if (!def) return schema;
    if (
      def.type === 'optional' ||
      def.type === 'default' ||
      def.type === 'nullable' ||
      def.type === 'prefault' ||
      def.type === 'readonly' ||
      def.type === 'catch'
    )
      schema = def.innerType;
    // z.preprocess is a pipe from a transform into the real schema; other pipes validate their input first.
    else if (def.type === 'pipe') schema = def.in?._zod?.def?.type === 'transform' ? def.out : def.in;
    else return schema;
  }
  return schema;
}

export function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): unknown {
  let s: any = unwrap(root);
  for (const key of path) {
    const def = s?._zod?.def;
    if (!def) return undefined;
    if (def.type === 'object') s = unwrap(def.shape[key as string]);
    else if (def.type === 'array') s = unwrap(def.element);
    else if (def.type === 'record') s = unwrap(def.valueType);
    else return undefined;
  }
  return s;
}

export function knownKeys(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const s: any = schemaAt(root, path);
  const def = s?._zod?.def;
  return def?.type === 'object' ? Object.keys(def.shape) : [];
}
