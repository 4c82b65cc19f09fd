// A small XML tree and serializer, escaping as Playwright's JUnit reporter does:
// attributes escape & " ' < >; text goes in CDATA with "]]>" split; control characters (ANSI escapes
// included) are made visible by the one escaping home, escape.ts.
import { inert } from './escape.js';

export interface XmlNode {
  name: string;
  attributes?: Record<string, string | number | undefined>;
  children?: XmlNode[];
  text?: string;
}

/** Text safe for XML 1.0 and for any consumer that shows it. */
export function cleanText(s: string): string {
  return inert(s);
}

export function escapeAttribute(s: string): string {
  return cleanText(s)
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

export function cdata(s: string): string {
  return `<![CDATA[${cleanText(s).split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

export function serializeXml(node: XmlNode, indent = ''): string {
  const attrs = Object.entries(node.attributes ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttribute(String(v))}"`)
    .join('');
  if (!node.children?.length && node.text === undefined) return `${indent}<${node.name}${attrs}/>`;
  if (!node.children?.length) return `${indent}<${node.name}${attrs}>${cdata(node.text ?? '')}</${node.name}>`;
  const inner = node.children.map((c) => serializeXml(c, indent + '  ')).join('\n');
  return `${indent}<${node.name}${attrs}>\n${inner}\n${indent}</${node.name}>`;
}
