// Parses a closed Terraform file for extraction, leaving out top-level blocks that can never matter to a lint (another
// provider's resource, an output, a provider block...). Where those blocks start is found by a lexical scan of the
// text, so that a header-like line inside a comment or a heredoc never cuts the file.
import type { TerraformParser, Tree } from './terraform-parser';

/** A line that starts a top-level block, when it is at column 0 outside comments, strings, heredocs and brackets. */
const BLOCK_START = /(?:resource|data|module|variable|locals|terraform|provider|output|moved|import|check|removed)\b/y;

/** A top-level block header that can never matter: another provider's resource or data source, an output... */
const IRRELEVANT_HEADER = /(?:(?:resource|data)[ \t]+"(?!azurerm_api_management|azapi_)[^"\r\n]*"|(?:output|provider|moved|import|check|removed)\b)/y;

/**
 * Parses the file without its irrelevant top-level blocks (tree-sitter's included ranges keep offsets absolute).
 * The whole text is parsed when the scan cannot tell the top level for certain, when nothing can be left out, or
 * when the partial tree has errors (the full parse and its recovery then decide what is read).
 */
export function parseForExtraction(parser: TerraformParser, text: string): Tree {
  const starts = topLevelBlockStarts(text);
  if (!starts || starts.length === 0) return parser.parse(text);
  const keep: Array<{ start: number; end: number }> = [];
  const take = (start: number, end: number) => {
    const last = keep[keep.length - 1];
    if (last && last.end === start) last.end = end;
    else keep.push({ start, end });
  };
  if (starts[0].offset > 0) take(0, starts[0].offset);
  let skipped = false;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i].offset;
    const end = i + 1 < starts.length ? starts[i + 1].offset : text.length;
    IRRELEVANT_HEADER.lastIndex = start;
    if (IRRELEVANT_HEADER.test(text)) skipped = true;
    else take(start, end);
  }
  if (!skipped) return parser.parse(text);
  if (keep.length === 0) return parser.parse('');
  // Every range starts at a block start and ends at the next one or at the end of the text: the scan knows their rows.
  const rows = new Map<number, number>(starts.map((s) => [s.offset, s.row]));
  rows.set(0, 0);
  if (!rows.has(text.length)) rows.set(text.length, lineCountBefore(text, text.length));
  const tree = parser.parseRanges(text, keep, (o) => rows.get(o) ?? lineCountBefore(text, o));
  if (!tree.rootNode.hasError) return tree;
  tree.delete();
  return parser.parse(text);
}

export interface BlockStart {
  offset: number;
  /** 0-based line, as tree-sitter counts rows (split at \n). */
  row: number;
}

const NEWLINE = 10;
const QUOTE = 34;
const HASH = 35;
const SLASH = 47;
const STAR = 42;
const BACKSLASH = 92;
const LESS = 60;
const HEREDOC = /<<(-?)([A-Za-z_][\w-]*)[ \t]*\r?\n/y;

/** What a character means to the scan; most characters mean nothing, and a table lookup settles that fastest. */
const PLAIN = 0;
const OPENS = 1;
const CLOSES = 2;
const SPECIAL = 3;
const CHAR_CLASS = new Uint8Array(128);
for (const c of '{[(') CHAR_CLASS[c.charCodeAt(0)] = OPENS;
for (const c of '}])') CHAR_CLASS[c.charCodeAt(0)] = CLOSES;
for (const c of '\n"#/<') CHAR_CLASS[c.charCodeAt(0)] = SPECIAL;
/** First letters of the BLOCK_START keywords: most lines start with a space and skip the regex. */
const KEYWORD_INITIAL = new Uint8Array(128);
for (const c of 'cdilmoprtv') KEYWORD_INITIAL[c.charCodeAt(0)] = 1;

/**
 * The block headers at column 0 and bracket depth 0, outside comments, quoted strings and heredocs. Undefined when
 * the top level is unclear: unbalanced brackets, an unterminated comment or heredoc, or a header-like line inside
 * brackets (damage, or unusual layout) — the caller then parses everything.
 */
export function topLevelBlockStarts(text: string): BlockStart[] | undefined {
  const starts: BlockStart[] = [];
  const n = text.length;
  let depth = 0;
  let row = 0;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (lineStart) {
      lineStart = false;
      if (c < 128 && KEYWORD_INITIAL[c]) {
        BLOCK_START.lastIndex = i;
        if (BLOCK_START.test(text)) {
          if (depth !== 0) return undefined;
          starts.push({ offset: i, row });
        }
      }
    }
    const kind = c < 128 ? CHAR_CLASS[c] : PLAIN;
    if (kind === PLAIN) {
      i++;
    } else if (kind === OPENS) {
      depth++;
      i++;
    } else if (kind === CLOSES) {
      if (--depth < 0) return undefined;
      i++;
    } else if (c === NEWLINE) {
      row++;
      i++;
      lineStart = true;
    } else if (c === QUOTE) {
      // A quoted string ends at its closing quote or, unterminated, at the end of the line. Quotes nested in an
      // interpolation pair up on their line, so the brackets between them are never counted either way.
      i++;
      while (i < n) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH && text.charCodeAt(i + 1) !== NEWLINE) i += 2;
        else if (s === QUOTE) {
          i++;
          break;
        } else if (s === NEWLINE) break;
        else i++;
      }
    } else if (c === HASH || (c === SLASH && text.charCodeAt(i + 1) === SLASH)) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return undefined;
      row += newlinesBetween(text, i, close);
      i = close + 2;
    } else if (c === LESS && text.charCodeAt(i + 1) === LESS) {
      HEREDOC.lastIndex = i;
      const m = HEREDOC.exec(text);
      if (!m) {
        i += 2;
        continue;
      }
      const end = heredocEnd(text, HEREDOC.lastIndex, m[2]);
      if (end < 0) return undefined;
      row += newlinesBetween(text, i, end);
      i = end;
    } else {
      i++;
    }
  }
  return depth === 0 ? starts : undefined;
}

/** The offset just after a heredoc's closing marker (which may be indented); -1 when the heredoc never closes. */
function heredocEnd(text: string, bodyStart: number, marker: string): number {
  let at = bodyStart;
  while (at < text.length) {
    let eol = text.indexOf('\n', at);
    if (eol < 0) eol = text.length;
    let s = at;
    while (s < eol && (text.charCodeAt(s) === 32 || text.charCodeAt(s) === 9)) s++;
    let e = eol;
    while (e > s && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9 || text.charCodeAt(e - 1) === 13)) e--;
    if (e - s === marker.length && text.startsWith(marker, s)) return e;
    at = eol + 1;
  }
  return -1;
}

function newlinesBetween(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function lineCountBefore(text: string, offset: number): number {
  return newlinesBetween(text, 0, offset);
}
