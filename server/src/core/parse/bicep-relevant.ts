// A Bicep template is parsed without the top-level statements that can never matter to a lint: resources of types the
// model does not read (a storage account, an API), outputs, user types and functions, and variables and parameters
// that nothing read names. Where statements start is found by a lexical scan that knows strings (with `${...}` inside),
// multi-line strings and comments, so a keyword inside one never cuts the file; when the scan cannot tell, the caller
// parses everything. This is what keeps a Bicep lint within the cost of a bare parse (DESIGN §7).

/** The top-level resources whose types the model reads (services, backends, workspaces, policies); the rest are skipped. */
export const READ_RESOURCE = /^'Microsoft\.ApiManagement\/service(@|\/backends@|\/workspaces|\/(?:apis\/(?:operations\/)?|products\/)?policies@)/i;
const API_RESOURCE = /^'Microsoft\.ApiManagement\/service\/apis(\/operations)?@/i;
/** An API (or operation) that may matter: a serviceUrl that is not plain https, or a policy nested in it. */
const API_MAY_MATTER = /\bserviceUrl\s*:(?!\s*'https:\/\/)|'policies'/i;

/**
 * Whether a resource statement of this type (the quoted string) and text is one the model reads: services, backends,
 * workspaces and policies always; an API only when it may hold what a rule reads (most APIs say `serviceUrl:
 * 'https://…'` and nothing else of interest, and a large template has hundreds of them).
 */
export function readsResource(type: string, statement: string): boolean {
  return READ_RESOURCE.test(type) || (API_RESOURCE.test(type) && API_MAY_MATTER.test(statement));
}

const KEYWORD = /(resource|module|param|var|output|type|func|import|targetScope|metadata|extension|using|provider|assert)\b/y;
const DECLARED_NAME = /\b(?:var|param)\s+([A-Za-z_]\w*)/;
const RESOURCE_TYPE = /\bresource\s+[A-Za-z_]\w*\s+('[^'\r\n]*')/;
const IDENTIFIER = /[A-Za-z_]\w*/g;

export interface Statement {
  /** Where the statement starts (its first decorator, if any) and where the next one starts. */
  start: number;
  end: number;
  keyword: string;
}

/**
 * The ranges of `text` worth parsing, each a run of whole statements; undefined when everything is worth parsing or the
 * scan cannot tell where statements start.
 */
export function relevantRanges(text: string): Array<{ start: number; end: number }> | undefined {
  const statements = topLevelStatements(text);
  if (!statements) return undefined;
  const needed = neededNames(text, statements);
  const ranges: Array<{ start: number; end: number }> = [];
  let skipped = false;
  for (const s of statements) {
    if (!isRelevant(text, s, needed)) {
      skipped = true;
      continue;
    }
    const last = ranges[ranges.length - 1];
    if (last && last.end === s.start) last.end = s.end;
    else ranges.push({ start: s.start, end: s.end });
  }
  return skipped ? ranges : undefined;
}

function isRelevant(text: string, s: Statement, needed: Set<string>): boolean {
  const body = text.slice(s.start, s.end);
  switch (s.keyword) {
    case 'resource':
      return readsResource(RESOURCE_TYPE.exec(body)?.[1] ?? '', body);
    case 'param':
    case 'var': {
      const name = DECLARED_NAME.exec(body)?.[1];
      return name === undefined || needed.has(name);
    }
    case 'output':
    case 'type':
    case 'func':
    case 'metadata':
      return false;
    default:
      return true;
  }
}

/** Names the model may evaluate: those written in the resources it reads and module calls, and what those name. */
function neededNames(text: string, statements: Statement[]): Set<string> {
  const declared = new Map<string, string>();
  const pending: string[] = [];
  for (const s of statements) {
    const body = text.slice(s.start, s.end);
    if (s.keyword === 'var' || s.keyword === 'param') {
      const name = DECLARED_NAME.exec(body)?.[1];
      if (name !== undefined) declared.set(name, body);
    } else if (s.keyword === 'module' || (s.keyword === 'resource' && readsResource(RESOURCE_TYPE.exec(body)?.[1] ?? '', body))) {
      pending.push(body);
    }
  }
  const needed = new Set<string>();
  while (pending.length) {
    for (const m of pending.pop()!.match(IDENTIFIER) ?? []) {
      if (needed.has(m)) continue;
      needed.add(m);
      const body = declared.get(m);
      if (body !== undefined) pending.push(body);
    }
  }
  return needed;
}

/**
 * Statements that start at column 0, outside brackets, strings and comments, with the decorators above them. Undefined
 * when the top level is unclear: unbalanced brackets, an unterminated string or comment, or text before the first
 * statement that is not blank or a comment.
 */
export function topLevelStatements(text: string): Statement[] | undefined {
  const out: Statement[] = [];
  const n = text.length;
  let depth = 0;
  let decorator = -1;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    const atLineStart = lineStart;
    lineStart = false;
    if (atLineStart && depth === 0) {
      if (c === 64 /* @ */) {
        if (decorator < 0) decorator = i;
      } else if (isLetter(c)) {
        KEYWORD.lastIndex = i;
        const m = KEYWORD.exec(text);
        if (!m) return undefined;
        if (out.length) out[out.length - 1].end = decorator >= 0 ? decorator : i;
        out.push({ start: decorator >= 0 ? decorator : i, end: n, keyword: m[1] });
        decorator = -1;
      } else if (c === 32 || c === 9) {
        // An indented line at the top level holds only a comment, or the scan cannot tell what it continues.
        let j = i;
        while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
        const next = text.charCodeAt(j);
        if (j < n && next !== 10 && next !== 13 && next !== 47) return undefined;
      } else if (c !== 10 && c !== 13 && c !== 47) {
        return undefined;
      }
    }
    if (c === 10) {
      lineStart = true;
      i++;
    } else if (c === 40 || c === 91 || c === 123) {
      depth++;
      i++;
    } else if (c === 41 || c === 93 || c === 125) {
      if (--depth < 0) return undefined;
      i++;
    } else if (c === 39 /* ' */) {
      const end = text.startsWith("'''", i) ? multiLineStringEnd(text, i + 3) : stringEnd(text, i + 1);
      if (end < 0) return undefined;
      i = end;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return undefined;
      // A comment that ends on another line leaves the scan inside that line.
      i = close + 2;
    } else i++;
  }
  if (depth !== 0 || decorator >= 0) return undefined;
  if (out.length && out[0].start > 0 && /\S/.test(text.slice(0, out[0].start).replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ''))) return undefined;
  return out;
}

/**
 * Just past a single-quoted string's closing quote, skipping escapes and `${...}` (which may hold strings); -1 if open.
 * Strings and interpolations nested in each other are kept on a stack: `'${'${'…` nested thousands deep would
 * otherwise recurse once per level and overflow the call stack.
 */
function stringEnd(text: string, from: number): number {
  // Each entry is a string (IN_STRING) or an interpolation (its count of open braces, at least 1).
  const open: number[] = [IN_STRING];
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10) return -1;
    const top = open.length - 1;
    if (open[top] === IN_STRING) {
      if (c === 92 /* \ */) {
        i += 2;
        continue;
      }
      if (c === 39) {
        open.pop();
        if (open.length === 0) return i + 1;
      } else if (c === 36 && text.charCodeAt(i + 1) === 123) {
        open.push(1);
        i++;
      }
    } else if (c === 39) open.push(IN_STRING);
    else if (c === 123) open[top]++;
    else if (c === 125 && --open[top] === 0) open.pop();
    i++;
  }
  return -1;
}

const IN_STRING = 0;

function multiLineStringEnd(text: string, from: number): number {
  const close = text.indexOf("'''", from);
  return close < 0 ? -1 : close + 3;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}
