// What tree-sitter is given of a Terraform or Bicep text: its nesting capped, and long runs of comments left out.
// Both grammars take seconds on text nested tens of thousands deep (a Bicep `'${` nested 100,000 deep ran 2.5 s past its
// budget: the parser reports progress too seldom on such text to be stopped in time), and no real configuration
// nests more than a few dozen levels. What a bracket or interpolation opening deeper than the cap holds is blanked,
// length for length, and left out of the parse (a level that never closes, up to the next top-level block): every offset
// stays that of the real text, and everything up to the cap is read as written. The same cap and notice as for JSON
// (json-depth.ts).
// Both grammars also recover from an error slowly, a few microseconds for every character after it, comments and
// blanks included: a stray `]` before 5 MB of comment lines took 3.6 s. Comments are never read (directives are found
// in the text), so a run of them this long is left out of the parse as well; so is a Bicep `'''` string that never
// closes, up to the next statement (the grammar lexed it to the end of the text at every step of its recovery).
import { MAX_NESTING_DEPTH } from '../nesting-too-deep';

export type NestingSyntax = 'hcl' | 'bicep';

export interface TextRange {
  start: number;
  end: number;
}

export interface CappedText {
  /**
   * The text to read: as long as the real text, or shorter when a level past the cap never closes; what lies past the
   * cap is blanked (brackets keep their opener and closer).
   */
  text: string;
  /** The offset of the first bracket or interpolation that opened too deep, when there was one. */
  cutAt?: number;
  /**
   * The ranges of `text` to hand the parser (tree-sitter's included ranges) when some of it is left out: what was
   * blanked, long runs of comments, a `'''` string that never closes. Undefined when the whole text is to be parsed.
   */
  ranges?: TextRange[];
}

/** What is open at a point of the scan. */
type Frame = { kind: 'bracket'; close: number } | { kind: 'interpolation' } | { kind: 'string' } | { kind: 'heredoc'; marker: string };

/**
 * `text` with what every bracket (`(`, `[`, `{`) or template interpolation (`${`, and `%{` in HCL) that opens deeper
 * than `maxDepth` holds blanked: a bracket's inside by blanks, an interpolation by `_` (string text); line breaks kept.
 * Strings, heredocs, Bicep's `'''` strings and comments are skipped as the grammars read them; a closing bracket of
 * the wrong kind closes nothing.
 */
export function parserInput(text: string, syntax: NestingSyntax, maxDepth = MAX_NESTING_DEPTH): CappedText {
  // Each level takes at least one character: a shorter text cannot go past the cap.
  if (text.length <= maxDepth) return { text };
  const hcl = syntax === 'hcl';
  const quote = hcl ? DOUBLE_QUOTE : SINGLE_QUOTE;
  const plain = hcl ? HCL_PLAIN : BICEP_PLAIN;
  const stack: Frame[] = [];
  let depth = 0;
  // [start, end, closed]: a cut that never closed ends at the next top-level header.
  const cuts: Array<[number, number, boolean]> = [];
  // Left out of the parse as they are: long runs of comments, a `'''` string that never closes.
  const leftOut: TextRange[] = [];
  // While a cut is open: where it starts and how many frames were open below it.
  let cutStart = -1;
  let cutBelow = 0;
  const n = text.length;
  const open = (frame: Frame, at: number) => {
    stack.push(frame);
    if (frame.kind === 'bracket' || frame.kind === 'interpolation') {
      depth++;
      if (depth === maxDepth + 1 && cutStart < 0) {
        cutStart = at;
        cutBelow = stack.length - 1;
      }
    }
  };
  const close = (end: number) => {
    const frame = stack.pop();
    if (frame && (frame.kind === 'bracket' || frame.kind === 'interpolation')) depth--;
    if (cutStart >= 0 && stack.length === cutBelow) {
      cuts.push([cutStart, end, true]);
      cutStart = -1;
    }
  };
  let i = 0;
  for (;;) {
    if (i >= n) {
      // A level past the cap that never closed: what follows up to the next line that starts a top-level block (a
      // resource, a variable...) is inside it as the grammar reads it; the scan starts again from there, and the
      // parser's recovery takes up that block. Without such a line, the text ends where the level opened.
      if (cutStart < 0) break;
      HEADER[syntax].lastIndex = cutStart;
      const header = HEADER[syntax].exec(text);
      if (!header) break;
      cuts.push([cutStart, header.index, false]);
      cutStart = -1;
      stack.length = 0;
      depth = 0;
      i = header.index;
    }
    const top = stack[stack.length - 1];
    if (!top || top.kind === 'bracket' || top.kind === 'interpolation') {
      // Code: runs that cannot open or close anything are skipped by one sticky match.
      plain.lastIndex = i;
      plain.test(text);
      i = plain.lastIndex;
      if (i >= n) continue;
      const c = text.charCodeAt(i);
      const next = text.charCodeAt(i + 1);
      if (c === quote) {
        if (!hcl && next === SINGLE_QUOTE && text.charCodeAt(i + 2) === SINGLE_QUOTE) {
          const end = text.indexOf("'''", i + 3);
          if (end >= 0) i = end + 3;
          else {
            // A multi-line string that never closes: the grammar lexes it to the end of the text again at every step of
            // its recovery (5 MB took 6 s). Its line is left out up to the next top-level statement, where the parse
            // goes on (a statement left without its value would take that one in).
            HEADER.bicep.lastIndex = i + 3;
            const header = HEADER.bicep.exec(text);
            const stop = header ? header.index : n;
            leftOut.push({ start: text.lastIndexOf('\n', i) + 1, end: stop });
            i = stop;
          }
        } else {
          open({ kind: 'string' }, i);
          i++;
        }
      } else if ((hcl && c === HASH) || (c === SLASH && (next === SLASH || next === STAR))) {
        const end = commentsEnd(text, i, hcl);
        if (end - i >= LONG_COMMENTS) leftOut.push({ start: i, end });
        i = end;
      } else if (c === LESS && next === LESS) {
        HEREDOC.lastIndex = i;
        const m = hcl ? HEREDOC.exec(text) : null;
        if (m) {
          open({ kind: 'heredoc', marker: m[2] }, i);
          i = HEREDOC.lastIndex;
        } else i += 2;
      } else if (c === OPEN_PAREN || c === OPEN_BRACKET || c === OPEN_BRACE) {
        open({ kind: 'bracket', close: c === OPEN_PAREN ? CLOSE_PAREN : c === OPEN_BRACKET ? CLOSE_BRACKET : CLOSE_BRACE }, i);
        i++;
      } else {
        // A closing bracket: it closes the innermost level when it is that level's kind.
        const closesTop = top && (top.kind === 'bracket' ? top.close === c : c === CLOSE_BRACE);
        i++;
        if (closesTop) close(i);
      }
    } else if (top.kind === 'string') {
      STRING_TEXT[syntax].lastIndex = i;
      STRING_TEXT[syntax].test(text);
      i = STRING_TEXT[syntax].lastIndex;
      if (i >= n) continue;
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) i += 2;
      else if (c === quote) close(++i);
      else if (c === LF) close(i);
      else i = templateStep(text, i, hcl, open);
    } else {
      // A heredoc's body: each line is its closing marker or template text.
      const eol = text.indexOf('\n', i);
      const lineEnd = eol < 0 ? n : eol;
      if (isLineStart(text, i) && text.slice(i, lineEnd).trim() === top.marker) {
        close(lineEnd);
        i = lineEnd;
        continue;
      }
      const at = text.slice(i, lineEnd).search(TEMPLATE_MARK);
      if (at < 0) i = lineEnd + 1;
      else i = templateStep(text, i + at, hcl, open);
    }
  }
  if (cuts.length === 0 && cutStart < 0) return leftOut.length === 0 ? { text } : { text, ranges: complement(leftOut, n) };
  const parts: string[] = [];
  const skipped: TextRange[] = [];
  let last = 0;
  for (const [start, end, closed] of cuts) {
    // A bracket keeps its opener and closer (`[]`, `{}`: still a value); an interpolation goes whole (`'${''}'`).
    const bracket = text.charCodeAt(start) !== DOLLAR && text.charCodeAt(start) !== PERCENT;
    const from = bracket ? start + 1 : start;
    const to = bracket && closed ? end - 1 : end;
    parts.push(text.slice(last, from), text.slice(from, to).replace(/[^\r\n]/g, bracket ? ' ' : '_'));
    if (to > from) skipped.push({ start: from, end: to });
    last = to;
  }
  // A level that never closes: the text ends where it opened.
  parts.push(cutStart >= 0 ? text.slice(last, cutStart) : text.slice(last));
  const capped = parts.join('');
  // What lies inside a blanked level is blanked with it; the rest is left out as it is.
  for (const c of leftOut) if (c.start < capped.length) skipped.push({ start: c.start, end: Math.min(c.end, capped.length) });
  skipped.sort((a, b) => a.start - b.start);
  return { text: capped, cutAt: cuts.length > 0 ? cuts[0][0] : cutStart, ranges: complement(skipped, capped.length) };
}

/**
 * The end of the run of comments that starts at `from`: comments separated by nothing but blanks and line breaks,
 * up to the end of the last (a line comment's line break is not part of it). An unclosed block comment runs to the
 * end of the text.
 */
function commentsEnd(text: string, from: number, hcl: boolean): number {
  let end = from;
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if ((hcl && c === HASH) || (c === SLASH && next === SLASH)) {
      const eol = text.indexOf('\n', i);
      end = eol < 0 ? text.length : eol;
      // A line comment's \r is the line break's.
      if (eol > 0 && text.charCodeAt(eol - 1) === CR) end--;
    } else if (c === SLASH && next === STAR) {
      const close = text.indexOf('*/', i + 2);
      end = close < 0 ? text.length : close + 2;
    } else return end;
    BLANKS.lastIndex = end;
    BLANKS.test(text);
    i = BLANKS.lastIndex;
    if (i >= text.length) return end;
  }
}

/** The parts of `[0, length)` outside `skipped` (sorted by start; they may overlap). */
function complement(skipped: readonly TextRange[], length: number): TextRange[] {
  const kept: TextRange[] = [];
  let at = 0;
  for (const s of skipped) {
    if (s.start > at) kept.push({ start: at, end: s.start });
    at = Math.max(at, s.end);
  }
  if (at < length || kept.length === 0) kept.push({ start: at, end: length });
  return kept;
}

/**
 * At a `$`, `%` (HCL) or other character of template text: opens the interpolation that starts there, steps over
 * an escaped one (`$${`, `%%{`), or steps over the character. Returns where the scan goes on.
 */
function templateStep(text: string, i: number, hcl: boolean, open: (frame: Frame, at: number) => void): number {
  const c = text.charCodeAt(i);
  const next = text.charCodeAt(i + 1);
  if ((c === DOLLAR || (hcl && c === PERCENT)) && next === c && text.charCodeAt(i + 2) === OPEN_BRACE) return i + 3;
  if ((c === DOLLAR || (hcl && c === PERCENT)) && next === OPEN_BRACE) {
    open({ kind: 'interpolation' }, i);
    return i + 2;
  }
  return i + 1;
}

function isLineStart(text: string, i: number): boolean {
  return i === 0 || text.charCodeAt(i - 1) === LF;
}

/** Characters of code that open or close nothing: everything but quotes, comment starts, brackets and `<`. */
const HCL_PLAIN = /[^"#/<()[\]{}]*/y;
const BICEP_PLAIN = /[^'/()[\]{}]*/y;
/** Characters of a quoted string that end, escape or interpolate nothing. */
const STRING_TEXT: Record<NestingSyntax, RegExp> = { hcl: /[^"\\\n$%]*/y, bicep: /[^'\\\n$]*/y };
/** Where template text may open an interpolation (or escape one: `$${`). */
const TEMPLATE_MARK = /[$%]/;
const BLANKS = /[ \t\r\n]*/y;
/** A line that starts a top-level block or statement. */
const HEADER: Record<NestingSyntax, RegExp> = {
  hcl: /^(?:resource|data|module|variable|locals|terraform|provider|output|moved|import|check|removed)\b/gm,
  bicep: /^(?:resource|module|param|var|output|type|func|import|extension|targetScope|metadata|using)\b/gm,
};
/** Runs of comments this long (UTF-16 units) are left out of the parse; real files' comment blocks are far shorter. */
const LONG_COMMENTS = 32 * 1024;
const HEREDOC = /<<(-?)([A-Za-z_][\w-]*)[ \t]*\r?\n/y;

const LF = 0x0a;
const CR = 0x0d;
const DOUBLE_QUOTE = 0x22;
const HASH = 0x23;
const DOLLAR = 0x24;
const PERCENT = 0x25;
const SINGLE_QUOTE = 0x27;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const STAR = 0x2a;
const SLASH = 0x2f;
const LESS = 0x3c;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
