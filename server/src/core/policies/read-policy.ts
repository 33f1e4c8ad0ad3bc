// Reads an APIM policy document for the backend traffic it sends: `<set-backend-service base-url="…"/>` and
// `backend-id="…"`, and the `<set-url>` of `<send-request>` and `<send-one-way-request>`. APIM rewrites policy
// expressions (`@(…)`, `@{…}`) and named values (`{{name}}`) before it parses the XML, and an expression may hold
// quotes and angle brackets that XML forbids there; so they are blanked out first (same length, offsets unchanged) and
// read as unknown values. The XML is parsed by saxes, a strict parser that reports exact offsets: a document that is
// not well-formed yields nothing rather than a guess.
import { SaxesParser } from 'saxes';

/** One value the document gives a policy setting, at its offsets in the text read. */
export interface PolicyValue {
  /** The element and attribute (or `set-url` text) it is written in, e.g. `set-backend-service base-url`. */
  setting: string;
  start: number;
  end: number;
  /** The value with XML references decoded; for an unknown value, the known text before the first unknown part. */
  value: string;
  /** Part of it is an expression, a named value or a stretch the host could not know. */
  unknown: boolean;
}

export interface PolicyRead {
  backendIds: PolicyValue[];
  urls: PolicyValue[];
}

/**
 * The backend settings of a policy document; undefined when it is not well-formed XML once expressions are blanked
 * (or an expression never closes). `unknownRanges` are stretches the caller knows to be unknown (interpolations of
 * the host language), already blanked in `text`.
 */
export function readPolicy(text: string, unknownRanges: ReadonlyArray<{ start: number; end: number }> = []): PolicyRead | undefined {
  const expressions = expressionRanges(text);
  if (!expressions) return undefined;
  const unknown = [...unknownRanges, ...expressions.ranges].sort((a, b) => a.start - b.start);
  const masked = expressions.masked;
  const out: PolicyRead = { backendIds: [], urls: [] };
  const parser = new SaxesParser({ position: true });
  let attributes: Array<{ name: string; start: number; end: number; value: string }> = [];
  const stack: string[] = [];
  let urlStart = -1;
  const value = (setting: string, start: number, end: number, decoded: string): PolicyValue => {
    const first = unknown.find((r) => r.start < end && r.end > start);
    if (!first && start === end) return { setting, start, end, value: decoded, unknown: false };
    if (!first) return { setting, start, end, value: decoded, unknown: false };
    // The known head of the value (what stands before the first unknown part), decoded as the whole value is.
    return { setting, start, end, value: decodeReferences(masked.slice(start, Math.max(start, first.start))), unknown: true };
  };
  parser.on('attribute', (a) => {
    // The parser stands just past the value's closing quote; the value cannot hold that quote, so the one before it opens it.
    const end = parser.position - 1;
    const quote = masked[end];
    const start = masked.lastIndexOf(quote, end - 1) + 1;
    attributes.push({ name: a.name, start, end, value: a.value });
  });
  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1];
    if (tag.name === 'set-backend-service') {
      for (const a of attributes) {
        if (a.name === 'base-url') out.urls.push(value('set-backend-service base-url', a.start, a.end, a.value));
        else if (a.name === 'backend-id') out.backendIds.push(value('set-backend-service backend-id', a.start, a.end, a.value));
      }
    }
    urlStart = tag.name === 'set-url' && (parent === 'send-request' || parent === 'send-one-way-request') && !tag.isSelfClosing ? parser.position : -1;
    attributes = [];
    if (!tag.isSelfClosing) stack.push(tag.name);
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) stack.pop();
    if (tag.name !== 'set-url' || urlStart < 0) return;
    // The parser stands just past the closing tag's `>`; its `</` is the last one before that.
    const close = masked.lastIndexOf('</', parser.position - 1);
    let start = urlStart;
    let end = close;
    urlStart = -1;
    while (start < end && isSpace(masked.charCodeAt(start))) start++;
    while (end > start && isSpace(masked.charCodeAt(end - 1))) end--;
    const raw = masked.slice(start, end);
    // Markup inside (a comment, CDATA) makes the URL more than its text says: unknown.
    if (raw.includes('<')) out.urls.push({ setting: `${stack[stack.length - 1]} set-url`, start, end, value: '', unknown: true });
    else out.urls.push(value(`${stack[stack.length - 1]} set-url`, start, end, decodeReferences(raw)));
  });
  // Without an error handler saxes throws at the first error: XML that is not well-formed yields nothing, and the parse
  // stops there (with a handler it goes on, building an Error at every later character of a broken prolog: 1.3 s for a
  // 3 MB file).
  try {
    parser.write(masked).close();
  } catch {
    return undefined;
  }
  return out;
}

/**
 * The policy expressions and named values of a text, and the text with each expression blanked (so that its quotes
 * and brackets cannot break the XML). Undefined when an expression never closes: APIM would reject the document too.
 */
export function expressionRanges(text: string): { masked: string; ranges: Array<{ start: number; end: number }> } | undefined {
  const ranges: Array<{ start: number; end: number }> = [];
  let masked = '';
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LT && text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      i = close < 0 ? n : close + 3;
      continue;
    }
    if (c === LT && text.startsWith('<![CDATA[', i)) {
      const close = text.indexOf(']]>', i + 9);
      i = close < 0 ? n : close + 3;
      continue;
    }
    if (c === LBRACE && text.charCodeAt(i + 1) === LBRACE) {
      const close = text.indexOf('}}', i + 2);
      if (close > 0 && !/[\r\n<>"]/.test(text.slice(i + 2, close))) {
        ranges.push({ start: i, end: close + 2 });
        i = close + 2;
        continue;
      }
    }
    if (c === AT && (text.charCodeAt(i + 1) === LPAREN || text.charCodeAt(i + 1) === LBRACE)) {
      const end = expressionEnd(text, i + 1);
      if (end < 0) return undefined;
      ranges.push({ start: i, end });
      masked += text.slice(copied, i) + '_'.repeat(end - i);
      copied = end;
      i = end;
      continue;
    }
    i++;
  }
  return { masked: copied === 0 ? text : masked + text.slice(copied), ranges };
}

const LT = 60;
const AT = 64;
const LPAREN = 40;
const LBRACE = 123;

/** Just past the bracket that closes the one at `open` (`(` or `{`), skipping C# strings, characters and comments. */
function expressionEnd(text: string, open: number): number {
  const closer = text[open] === '(' ? ')' : '}';
  const opener = text[open];
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      // A verbatim string (@"…") doubles its quotes; a regular one escapes with a backslash.
      const verbatim = text[i - 1] === '@' || (text[i - 1] === '$' && text[i - 2] === '@') || (text[i - 1] === '@' && text[i - 2] === '$');
      i = stringEnd(text, i + 1, verbatim);
      if (i < 0) return -1;
      continue;
    }
    if (c === "'") {
      i = charEnd(text, i + 1);
      if (i < 0) return -1;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const eol = text.indexOf('\n', i);
      if (eol < 0) return -1;
      i = eol + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return -1;
      i = close + 2;
      continue;
    }
    if (c === opener) depth++;
    else if (c === closer && --depth === 0) return i + 1;
    i++;
  }
  return -1;
}

function stringEnd(text: string, from: number, verbatim: boolean): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (!verbatim && c === '\\') i += 2;
    else if (c === '"') {
      if (verbatim && text[i + 1] === '"') i += 2;
      else return i + 1;
    } else if (!verbatim && c === '\n') return -1;
    else i++;
  }
  return -1;
}

function charEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && i < from + 12) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === "'") return i + 1;
    else i++;
  }
  return -1;
}

/** XML's five named references and character references, decoded. */
export function decodeReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(
    /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g,
    (_, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
      if (name) return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name]!;
      const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : '';
    },
  );
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
