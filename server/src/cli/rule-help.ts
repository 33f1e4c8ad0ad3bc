// A documentation page turned into what SARIF viewers show for a rule: the first paragraph as its full description,
// and the whole page as help, in Markdown (GitHub code scanning) and as plain text (viewers without Markdown).
// Links are made absolute, because a viewer shows the help far from the docs folder its relative links point into.
import MarkdownIt from 'markdown-it';
import { DOCS_BASE } from '../core/types';

export interface RuleHelp {
  fullDescription: string;
  text: string;
  markdown: string;
}

type Token = ReturnType<MarkdownIt['parse']>[number];

const md = new MarkdownIt();

/** `page` is the page's path below docs/ without `.md` (`rules/APIM001`); `source` its Markdown. */
export function ruleHelp(page: string, source: string): RuleHelp {
  const pageUrl = `${DOCS_BASE}${page}.md`;
  const tokens = md.parse(source, {});
  const absolute = (href: string) => (/^[a-z][a-z0-9+.-]*:/i.test(href) ? href : new URL(href, pageUrl).href);
  return {
    fullDescription: firstParagraph(tokens, absolute),
    text: plainText(tokens, absolute).trim(),
    markdown: absoluteLinks(source, tokens, absolute).trim(),
  };
}

/** The first paragraph that describes the rule: after the title and the `**Default severity:**` line. */
function firstParagraph(tokens: Token[], absolute: (href: string) => string): string {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type !== 'paragraph_open' || tokens[i].level !== 0) continue;
    const text = inlineText(tokens[i + 1].children ?? [], absolute).trim();
    if (text && !/^Default severity:/.test(text)) return text.replace(/\s*\n\s*/g, ' ');
  }
  return '';
}

/** The page as plain text: paragraphs and headings separated by blank lines, list items with `-`, code indented. */
function plainText(tokens: Token[], absolute: (href: string) => string): string {
  let out = '';
  const lists: Array<{ ordered: boolean; n: number }> = [];
  let itemPrefix = '';
  let cells: string[] | undefined;
  const indent = () => '  '.repeat(Math.max(0, lists.length - 1));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    switch (t.type) {
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({ ordered: t.type === 'ordered_list_open', n: Number(t.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        if (!lists.length) out += '\n';
        break;
      case 'list_item_open': {
        const list = lists[lists.length - 1];
        itemPrefix = `${indent()}${list.ordered ? `${list.n++}.` : '-'} `;
        break;
      }
      case 'tr_open':
        cells = [];
        break;
      case 'tr_close':
        out += `${(cells ?? []).join(' | ')}\n`;
        cells = undefined;
        break;
      case 'table_close':
        out += '\n';
        break;
      case 'inline': {
        const text = inlineText(t.children ?? [], absolute);
        if (cells) {
          cells.push(text);
        } else if (lists.length) {
          // A list item's first paragraph follows its marker; later ones are indented under it.
          out += (itemPrefix || `${indent()}  `) + text.replace(/\n/g, `\n${indent()}  `) + '\n';
          itemPrefix = '';
        } else {
          out += `${text}\n`;
        }
        break;
      }
      case 'paragraph_close':
      case 'heading_close':
        if (!lists.length) out += '\n';
        break;
      case 'fence':
      case 'code_block':
        out += t.content.replace(/\n$/, '').replace(/^/gm, `${indent()}    `) + '\n\n';
        break;
      case 'hr':
        out += '---\n\n';
        break;
    }
  }
  return out.replace(/\n{3,}/g, '\n\n');
}

function inlineText(children: Token[], absolute: (href: string) => string): string {
  let out = '';
  const links: Array<{ href: string; start: number }> = [];
  for (const c of children) {
    switch (c.type) {
      case 'text':
      case 'code_inline':
        out += c.content;
        break;
      case 'softbreak':
        out += '\n';
        break;
      case 'hardbreak':
        out += '\n';
        break;
      case 'image':
        out += c.content;
        break;
      case 'link_open':
        links.push({ href: c.attrGet('href') ?? '', start: out.length });
        break;
      case 'link_close': {
        const link = links.pop();
        // A bare URL shows itself; any other link shows its words with the address after them.
        if (link && link.href && out.slice(link.start) !== link.href) out += ` (${absolute(link.href)})`;
        break;
      }
    }
  }
  return out;
}

/** The Markdown with every relative link target (`APIM002.md`, `../suppression.md#x`) replaced by its absolute URL. */
function absoluteLinks(source: string, tokens: Token[], absolute: (href: string) => string): string {
  const targets = new Set<string>();
  const visit = (list: Token[]) => {
    for (const t of list) {
      if (t.type === 'link_open' || t.type === 'image') {
        const href = t.attrGet(t.type === 'image' ? 'src' : 'href');
        if (href && absolute(href) !== href) targets.add(href);
      }
      if (t.children) visit(t.children);
    }
  };
  visit(tokens);
  let out = source;
  // The parser says which targets are links; the text is changed only where such a target closes a `](`.
  for (const href of targets) out = out.split(`](${href})`).join(`](${absolute(href)})`);
  return out;
}
