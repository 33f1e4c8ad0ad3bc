// tree-sitter-hcl is quadratic in a long run of blanks between two tokens (`validate_certificate_chain = ` and forty
// thousand spaces before `false` takes over twenty seconds), though that is valid HCL. Such a run is handed to the
// parser as a block comment of the same length: offsets do not move, the tree reads the same values (comments are
// allowed wherever blanks are), and a comment is lexed in linear time. Runs inside strings, comments and heredocs are
// text, not blanks, and are left alone.

/** Runs shorter than this parse fast enough as they are. */
const LONG = 256;
/** A run of LONG blanks covers at least one character at every STRIDE-th offset: only those are looked at first. */
const STRIDE = LONG / 2;
const HEREDOC = /<<(-?)([A-Za-z_][\w-]*)[ \t]*\r?\n/y;

export function blankRunsAsComments(text: string): string {
  if (!hasLongRun(text)) return text;
  const out: string[] = [];
  let copied = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      let end = i + 1;
      while (end < n && (text.charCodeAt(end) === 32 || text.charCodeAt(end) === 9)) end++;
      if (end - i >= LONG) {
        // A blank on each side keeps the comment from joining a neighbouring `/` or `*`.
        out.push(text.slice(copied, i), ' /*', ' '.repeat(end - i - 6), '*/ ');
        copied = end;
      }
      i = end;
    } else if (c === 34) {
      i = stringEnd(text, i + 1);
    } else if (c === 35 || (c === 47 && text.charCodeAt(i + 1) === 47)) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === 60 && text.charCodeAt(i + 1) === 60) {
      HEREDOC.lastIndex = i;
      const m = HEREDOC.exec(text);
      i = m ? heredocEnd(text, HEREDOC.lastIndex, m[2]) : i + 2;
    } else i++;
  }
  if (copied === 0) return text;
  out.push(text.slice(copied));
  return out.join('');
}

function hasLongRun(text: string): boolean {
  for (let p = STRIDE - 1; p < text.length; p += STRIDE) {
    if (!isBlank(text.charCodeAt(p))) continue;
    let start = p;
    while (start > 0 && isBlank(text.charCodeAt(start - 1))) start--;
    let end = p + 1;
    while (end < text.length && end - start < LONG && isBlank(text.charCodeAt(end))) end++;
    if (end - start >= LONG) return true;
  }
  return false;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Just past a quoted string's closing quote, or its line's end when it has none. */
function stringEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 34) return i + 1;
    else if (c === 10) return i;
    else i++;
  }
  return i;
}

/** Just past a heredoc's closing marker (which may be indented), or the text's end when it never closes. */
function heredocEnd(text: string, bodyStart: number, marker: string): number {
  let at = bodyStart;
  while (at < text.length) {
    let eol = text.indexOf('\n', at);
    if (eol < 0) eol = text.length;
    const line = text.slice(at, eol).trim();
    if (line === marker) return eol;
    at = eol + 1;
  }
  return text.length;
}
