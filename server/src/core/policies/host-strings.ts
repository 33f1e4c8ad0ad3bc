// The text a host language's string literal stands for, with the map back to the literal's characters: HCL quoted
// strings and heredocs (`<<-` strips the common indentation), HCL template files (`templatefile`), JSON strings and
// Bicep strings (`'''` multi-line ones have no escapes). Interpolations the host evaluates at deploy time (`${…}`,
// `%{…}`) are unknown stretches of the text.
import { OffsetMapBuilder, type OffsetMap } from './offset-map';

export interface MappedText {
  text: string;
  map: OffsetMap;
}

/** An HCL quoted string or heredoc written at `start..end` of `source`; undefined for any other expression. */
export function hclStringText(source: string, start: number, end: number): MappedText | undefined {
  if (source.charCodeAt(start) === QUOTE) return hclQuoted(source, start, end);
  if (source.startsWith('<<', start)) return hclHeredoc(source, start, end);
  return undefined;
}

/** A whole file read by `templatefile()` (or a `.tftpl` file): its `${…}` and `%{…}` are unknown. */
export function hclTemplateText(source: string): MappedText {
  const b = new OffsetMapBuilder();
  templateRun(source, 0, source.length, b, false);
  return b.build();
}

function hclQuoted(source: string, start: number, end: number): MappedText | undefined {
  const close = end - 1;
  if (close <= start || source.charCodeAt(close) !== QUOTE) return undefined;
  const b = new OffsetMapBuilder();
  templateRun(source, start + 1, close, b, true);
  return b.build();
}

/**
 * Template text from `from` to `to`: `$${` and `%%{` stand for `${` and `%{`; `${…}` and `%{…}` are unknown; in a
 * quoted string (`escapes`) backslash escapes too.
 */
function templateRun(source: string, from: number, to: number, b: OffsetMapBuilder, escapes: boolean): void {
  let run = from;
  let i = from;
  const flush = (at: number) => {
    b.copy(run, source.slice(run, at));
  };
  while (i < to) {
    const c = source.charCodeAt(i);
    if ((c === DOLLAR || c === PERCENT) && source.charCodeAt(i + 1) === c && source.charCodeAt(i + 2) === LBRACE) {
      flush(i);
      b.escape(i, i + 3, source.slice(i + 1, i + 3));
      i += 3;
      run = i;
    } else if ((c === DOLLAR || c === PERCENT) && source.charCodeAt(i + 1) === LBRACE) {
      flush(i);
      const close = interpolationEnd(source, i + 2, to, QUOTE);
      b.opaque(i, close);
      i = close;
      run = i;
    } else if (escapes && c === BACKSLASH && i + 1 < to) {
      flush(i);
      const e = hclEscape(source, i);
      b.escape(i, i + e.length, e.produced);
      i += e.length;
      run = i;
    } else i++;
  }
  flush(to);
}

function hclEscape(source: string, at: number): { length: number; produced: string } {
  const e = source[at + 1];
  if (e === 'u' || e === 'U') {
    const digits = e === 'u' ? 4 : 8;
    const hex = source.slice(at + 2, at + 2 + digits);
    if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === digits) {
      const code = parseInt(hex, 16);
      return { length: 2 + digits, produced: code <= 0x10ffff ? String.fromCodePoint(code) : '' };
    }
  }
  const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
  return { length: 2, produced: simple[e] ?? e };
}

/**
 * Just past the `}` closing an interpolation whose body starts at `from` (strings inside, quoted with `quote`: `"` in
 * HCL, `'` in Bicep, skipped), or `to`.
 */
function interpolationEnd(source: string, from: number, to: number, quote: number): number {
  let depth = 1;
  let i = from;
  while (i < to) {
    const c = source.charCodeAt(i);
    if (c === quote) {
      i++;
      while (i < to && source.charCodeAt(i) !== quote) i += source.charCodeAt(i) === BACKSLASH ? 2 : 1;
    } else if (c === LBRACE) depth++;
    else if (c === RBRACE && --depth === 0) return i + 1;
    i++;
  }
  return to;
}

const HEREDOC_HEAD = /<<(-?)([A-Za-z_][\w-]*)[ \t]*\r?\n/y;

/** A heredoc: its body lines up to the closing marker, for `<<-` each stripped of the indentation all lines share. */
function hclHeredoc(source: string, start: number, end: number): MappedText | undefined {
  HEREDOC_HEAD.lastIndex = start;
  const head = HEREDOC_HEAD.exec(source);
  if (!head) return undefined;
  const strip = head[1] === '-';
  const marker = head[2];
  const lines: Array<{ start: number; end: number }> = [];
  let at = HEREDOC_HEAD.lastIndex;
  for (;;) {
    if (at >= end) return undefined;
    let eol = source.indexOf('\n', at);
    if (eol < 0 || eol > end) eol = end;
    const content = source.slice(at, eol).replace(/\r$/, '');
    if (content.trim() === marker) break;
    lines.push({ start: at, end: eol < end ? eol + 1 : eol });
    at = eol + 1;
  }
  let indent = 0;
  if (strip) {
    indent = Infinity;
    for (const l of lines) {
      const text = source.slice(l.start, l.end);
      if (text.trim() === '') continue;
      indent = Math.min(indent, /^[ \t]*/.exec(text)![0].length);
    }
    if (indent === Infinity) indent = 0;
  }
  const b = new OffsetMapBuilder();
  for (const l of lines) {
    let s = l.start;
    for (let k = 0; k < indent && s < l.end && (source.charCodeAt(s) === 32 || source.charCodeAt(s) === 9); k++) s++;
    templateRun(source, s, l.end, b, false);
  }
  return b.build();
}

/** A JSON string literal written at `start..end` (quotes included), with JSON's escapes. */
export function jsonStringText(source: string, start: number, end: number): MappedText | undefined {
  if (source.charCodeAt(start) !== QUOTE || source.charCodeAt(end - 1) !== QUOTE || end - start < 2) return undefined;
  const b = new OffsetMapBuilder();
  let run = start + 1;
  let i = run;
  const close = end - 1;
  while (i < close) {
    if (source.charCodeAt(i) !== BACKSLASH) {
      i++;
      continue;
    }
    b.copy(run, source.slice(run, i));
    const e = source[i + 1];
    if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
      b.escape(i, i + 6, String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16)));
      i += 6;
    } else {
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
      b.escape(i, i + 2, simple[e] ?? e);
      i += 2;
    }
    run = i;
  }
  b.copy(run, source.slice(run, close));
  return b.build();
}

/**
 * A Bicep string literal at `start..end`: `'''…'''` holds its characters as they are (less a line break right after
 * the opening quotes); `'…'` has backslash escapes and `${…}` interpolations.
 */
export function bicepStringText(source: string, start: number, end: number): MappedText | undefined {
  const b = new OffsetMapBuilder();
  if (source.startsWith("'''", start)) {
    if (end - start < 6 || !source.startsWith("'''", end - 3)) return undefined;
    let from = start + 3;
    if (source.startsWith('\r\n', from)) from += 2;
    else if (source.charCodeAt(from) === 10) from++;
    b.copy(from, source.slice(from, end - 3));
    return b.build();
  }
  if (source.charCodeAt(start) !== APOSTROPHE || source.charCodeAt(end - 1) !== APOSTROPHE || end - start < 2) return undefined;
  let run = start + 1;
  let i = run;
  const close = end - 1;
  while (i < close) {
    const c = source.charCodeAt(i);
    if (c === BACKSLASH) {
      b.copy(run, source.slice(run, i));
      const m = /^\\u\{([0-9a-fA-F]+)\}/.exec(source.slice(i, i + 12));
      if (m) {
        const code = parseInt(m[1], 16);
        b.escape(i, i + m[0].length, code <= 0x10ffff ? String.fromCodePoint(code) : '');
        i += m[0].length;
      } else {
        const e = source[i + 1];
        b.escape(i, i + 2, ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e);
        i += 2;
      }
      run = i;
    } else if (c === DOLLAR && source.charCodeAt(i + 1) === LBRACE) {
      b.copy(run, source.slice(run, i));
      const stop = interpolationEnd(source, i + 2, close, APOSTROPHE);
      b.opaque(i, stop);
      i = stop;
      run = i;
    } else i++;
  }
  b.copy(run, source.slice(run, close));
  return b.build();
}

const QUOTE = 34;
const APOSTROPHE = 39;
const BACKSLASH = 92;
const DOLLAR = 36;
const PERCENT = 37;
const LBRACE = 123;
const RBRACE = 125;
