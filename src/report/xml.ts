// A small XML tree and serializer, escaping as Playwright's JUnit reporter does:
// attributes escape & " ' < >; text goes in CDATA with "]]>" split; control and ANSI characters stripped.

export interface XmlNode {
  name: string;
  attributes?: Record<string, string | number | undefined>;
  children?: XmlNode[];
  text?: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g;

export function cleanText(s: string): string {
  return s.replace(ANSI, '').replace(INVALID_XML, '');
}

export function escapeAttribute(s: string): string {
  return cleanText(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
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
