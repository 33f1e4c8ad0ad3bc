// JSON parsed with its nesting capped. jsonc-parser's parseTree (and every walk over its tree) recurses once per
// level, so a file with thousands of nested brackets would end the process with a stack overflow. Values nested
// deeper than the cap are blanked, length for length, before the text reaches the parser: every offset of the
// tree stays that of the real text, and everything up to the cap is read as written.
import { parseTree, type Node, type ParseError, type ParseOptions } from 'jsonc-parser';
import { MAX_NESTING_DEPTH } from './nesting-too-deep';

export interface JsonTree {
  root: Node | undefined;
  /** The offset of the first value that was nested too deep to be read, when there was one. */
  cutAt?: number;
}

/** jsonc-parser's parseTree over `text` with the values nested deeper than `maxDepth` read as `0`. */
export function parseJsonTree(text: string, errors: ParseError[] = [], options?: ParseOptions, maxDepth = MAX_NESTING_DEPTH): JsonTree {
  const capped = capJsonDepth(text, maxDepth);
  return { root: parseTree(capped.text, errors, options), cutAt: capped.cutAt };
}

/**
 * `text` with every object or array that opens deeper than `maxDepth` replaced by `0` and spaces (line breaks
 * kept); one without its closing bracket is blanked to the end of the text. Strings and comments are skipped as
 * jsonc-parser's scanner reads them, and a closing bracket of the wrong kind closes nothing (the parser skips it
 * too), so the parser never nests deeper than the depth counted here.
 */
export function capJsonDepth(text: string, maxDepth = MAX_NESTING_DEPTH): { text: string; cutAt?: number } {
  const cuts: Array<[number, number]> = [];
  const open: number[] = [];
  let cutStart = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    // Runs of characters that cannot open a string, a comment or a level are skipped by one sticky match.
    PLAIN.lastIndex = i;
    PLAIN.test(text);
    i = PLAIN.lastIndex;
    if (i >= n) break;
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // A string ends at its closing quote or at a line break; a backslash escapes whatever follows it.
      STRING_BODY.lastIndex = i + 1;
      STRING_BODY.test(text);
      i = STRING_BODY.lastIndex;
      if (i < n && text.charCodeAt(i) !== QUOTE) i--;
    } else if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      while (i + 1 < n && text.charCodeAt(i + 1) !== LF && text.charCodeAt(i + 1) !== CR) i++;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      open.push(c);
      if (open.length === maxDepth + 1) cutStart = i;
    } else if ((c === CLOSE_BRACE && open[open.length - 1] === OPEN_BRACE) || (c === CLOSE_BRACKET && open[open.length - 1] === OPEN_BRACKET)) {
      if (open.length === maxDepth + 1) cuts.push([cutStart, i + 1]);
      open.pop();
    }
  }
  if (open.length > maxDepth) cuts.push([cutStart, n]);
  if (cuts.length === 0) return { text };
  const parts: string[] = [];
  let last = 0;
  for (const [start, end] of cuts) {
    parts.push(text.slice(last, start), '0', text.slice(start + 1, end).replace(/[^\r\n]/g, ' '));
    last = end;
  }
  parts.push(text.slice(last));
  return { text: parts.join(''), cutAt: cuts[0][0] };
}

const PLAIN = /[^"/{}[\]]*/y;
const STRING_BODY = /(?:[^"\\\r\n]|\\[\s\S])*/y;
const QUOTE = 0x22;
const SLASH = 0x2f;
const STAR = 0x2a;
const LF = 0x0a;
const CR = 0x0d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
