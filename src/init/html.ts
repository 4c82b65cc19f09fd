// What init reads from a page, collected in one pass of htmlparser2's tokenizer: linear in the page, so
// a hostile page of unclosed tags cannot make init spin (backtracking regexes over HTML were quadratic).
import { Parser } from 'htmlparser2';

/** Elements kept per kind; a page with more is not a page init needs to understand. */
const MAX_ELEMENTS = 2_000;

export interface PageScan {
  links: string[];
  scriptSrcs: string[];
  inlineScripts: string[];
  inputs: Record<string, string>[];
  buttons: Record<string, string>[];
  /** ids of <ul>/<ol> elements, in order. */
  listIds: string[];
}

export function scanHtml(html: string): PageScan {
  const scan: PageScan = { links: [], scriptSrcs: [], inlineScripts: [], inputs: [], buttons: [], listIds: [] };
  const push = <T>(list: T[], v: T) => {
    if (list.length < MAX_ELEMENTS) list.push(v);
  };
  let inline: string[] | undefined;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === 'a' && attribs.href !== undefined) push(scan.links, attribs.href);
        else if (name === 'script') {
          if (attribs.src !== undefined) push(scan.scriptSrcs, attribs.src);
          else inline = [];
        } else if (name === 'input') push(scan.inputs, attribs);
        else if (name === 'button') push(scan.buttons, attribs);
        else if ((name === 'ul' || name === 'ol') && attribs.id) push(scan.listIds, attribs.id);
      },
      ontext(text) {
        inline?.push(text);
      },
      onclosetag(name) {
        if (name === 'script' && inline) {
          push(scan.inlineScripts, inline.join(''));
          inline = undefined;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return scan;
}
