// Edit builders for Terraform text: remove whole lines, insert lines at the end of a block's body, replace a span.
// Each keeps the file's indentation unit and line breaks, so a fix reads as if the user had typed it.
import type { BlockSpan } from '../model';
import { LineIndex, lineBreakOf } from '../text';
import type { TextEdit } from '../types';

/** The leading whitespace of the line that holds `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The indentation step the file uses (two spaces when it cannot tell, as `terraform fmt` writes). */
export function indentUnit(text: string): string {
  let smallest = Infinity;
  for (const m of text.matchAll(/^([ \t]+)\S/gm)) {
    if (m[1].startsWith('\t')) return '\t';
    smallest = Math.min(smallest, m[1].length);
  }
  return smallest === Infinity || smallest < 2 ? '  ' : ' '.repeat(smallest);
}

/**
 * Removes the lines that `[start, end)` touches, with their line break. When the removal would leave a blank line
 * directly after another blank line (or after an opening brace), that blank line goes too.
 */
export function removeLines(file: string, text: string, start: number, end: number): TextEdit {
  const index = new LineIndex(text);
  const first = index.positionAt(start).line;
  const last = index.positionAt(Math.max(start, end - 1)).line;
  let from = index.lineStart(first);
  let to = last + 1 < index.lineCount ? index.lineStart(last + 1) : text.length;
  const blank = (line: number) => line >= 0 && line < index.lineCount && text.slice(index.lineStart(line), index.lineEnd(line)).trim() === '';
  const before = first - 1;
  const after = last + 1;
  const opensBlock = before >= 0 && text.slice(index.lineStart(before), index.lineEnd(before)).trimEnd().endsWith('{');
  if (blank(after) && (blank(before) || opensBlock)) to = after + 1 < index.lineCount ? index.lineStart(after + 1) : text.length;
  else if (blank(before) && !blank(after) && after < index.lineCount && text.slice(index.lineStart(after), index.lineEnd(after)).trim() === '}') {
    from = index.lineStart(before);
  }
  return { file, start: from, end: to, newText: '' };
}

/**
 * Inserts lines at the end of a block's body, before its closing brace, indented one step deeper than the block.
 * `lines` are given without the block's own indentation; nested indentation inside them uses two spaces and is
 * converted to the file's unit.
 */
export function appendToBlock(file: string, text: string, block: BlockSpan, lines: string[]): TextEdit {
  const eol = lineBreakOf(text);
  const unit = indentUnit(text);
  const base = indentAt(text, block.start) + unit;
  const body = lines.map((l) => {
    const m = /^((?: {2})*)([\s\S]*)$/.exec(l)!;
    return l.trim() === '' ? '' : base + unit.repeat(m[1].length / 2) + m[2];
  });
  // Insert at the start of the closing brace's line when the brace sits on a line of its own.
  const closeLineStart = text.lastIndexOf('\n', block.bodyEnd - 1) + 1;
  if (text.slice(closeLineStart, block.bodyEnd).trim() === '') {
    const prev = text.slice(0, closeLineStart).replace(/\r?\n$/, '');
    const needsGap = !prev.trimEnd().endsWith('{') && prev.slice(prev.lastIndexOf('\n') + 1).trim() !== '';
    return { file, start: closeLineStart, end: closeLineStart, newText: (needsGap ? eol : '') + body.join(eol) + eol };
  }
  return { file, start: block.bodyEnd, end: block.bodyEnd, newText: eol + body.join(eol) + eol + indentAt(text, block.start) };
}

/**
 * Whether a block ends with its own closing brace. One read back from damaged text (a `}` missing) ends where
 * recovery stopped, which is no place to insert lines: they would land outside it, and the finding would stay.
 */
export function isClosedBlock(text: string, block: BlockSpan): boolean {
  return text[block.bodyEnd] === '}';
}

export function replace(file: string, start: number, end: number, newText: string): TextEdit {
  return { file, start, end, newText };
}

/** A string literal in HCL syntax: quotes, backslashes, control characters and template markers escaped. */
export function hclString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, '%%{');
  return `"${escaped}"`;
}

/**
 * Removes one attribute or object item spanning `[start, end)`. Alone on its line (a trailing comma or comment may
 * follow) it goes with its line, as `removeLines` does; written inline among others (`{ a = 1, b = 2 }`) it goes
 * with the comma that separates it from its neighbour, so the rest stays valid.
 */
export function removeItem(file: string, text: string, start: number, end: number): TextEdit {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const nl = text.indexOf('\n', end);
  const before = text.slice(lineStart, start);
  const after = text.slice(end, nl < 0 ? text.length : nl);
  if (before.trim() === '' && /^[ \t]*,?[ \t]*(?:(?:#|\/\/).*)?\r?$/.test(after)) return removeLines(file, text, start, end);
  const following = /^[ \t]*,[ \t]*/.exec(after);
  if (following) return { file, start, end: end + following[0].length, newText: '' };
  const preceding = /[ \t]*,[ \t]*$/.exec(before);
  if (preceding) return { file, start: start - preceding[0].length, end, newText: '' };
  // The only item of a one-line block or object: `tls { a = false }` becomes `tls {}`.
  const space = /[ \t]*$/.exec(before)![0];
  const closing = /^[ \t]*(?=[}\]])/.exec(after);
  if (closing && before.trimEnd().endsWith('{')) return { file, start: start - space.length, end: end + closing[0].length, newText: '' };
  return { file, start: start - space.length, end, newText: space ? ' ' : '' };
}

/**
 * Adds lines at the end of a block's body like `appendToBlock`, indented by the step the block's own body uses
 * (so a file indented by four spaces stays so), with a blank line before them only when `blankLineBefore` says so
 * (a nested block gets one, an attribute joins those already there). A one-line block (`lifecycle { a = true }`)
 * is opened up first: HCL allows a single argument only in that form.
 */
export function appendToBody(file: string, text: string, block: BlockSpan, lines: string[], blankLineBefore = false): TextEdit {
  const eol = lineBreakOf(text);
  const unit = indentStep(text, block);
  const outer = indentAt(text, block.start);
  const base = outer + unit;
  const body = lines.map((l) => {
    const m = /^((?: {2})*)([\s\S]*)$/.exec(l)!;
    return l.trim() === '' ? '' : base + unit.repeat(m[1].length / 2) + m[2];
  });
  const inner = text.slice(block.bodyStart, block.bodyEnd);
  if (!/[\r\n]/.test(inner)) {
    const existing = inner.trim() ? [base + inner.trim()] : [];
    return { file, start: block.bodyStart, end: block.bodyEnd, newText: eol + [...existing, ...body].join(eol) + eol + outer };
  }
  const closeLineStart = text.lastIndexOf('\n', block.bodyEnd - 1) + 1;
  if (text.slice(closeLineStart, block.bodyEnd).trim() === '') {
    const prev = text.slice(0, closeLineStart).replace(/\r?\n$/, '');
    const gap = blankLineBefore && !prev.trimEnd().endsWith('{') && prev.slice(prev.lastIndexOf('\n') + 1).trim() !== '';
    return { file, start: closeLineStart, end: closeLineStart, newText: (gap ? eol : '') + body.join(eol) + eol };
  }
  return { file, start: block.bodyEnd, end: block.bodyEnd, newText: eol + body.join(eol) + eol + outer };
}

/**
 * The indentation step inside a block: how much deeper its first body line sits than the block itself (comment
 * lines aside, which are often not indented). The file's unit when the body has no such line.
 */
export function indentStep(text: string, block: BlockSpan): string {
  const outer = indentAt(text, block.start);
  for (const line of text.slice(block.bodyStart, block.bodyEnd).split(/\r?\n/).slice(1)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('//')) continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (indent.length > outer.length && indent.startsWith(outer)) return indent.slice(outer.length);
    break;
  }
  return indentUnit(text);
}

/**
 * Adds an item at the end of a list literal (`[a, b]`), after its last item: on a line of its own, indented like
 * that item, when the list is written one item per line; inline otherwise.
 */
export function appendToList(file: string, text: string, list: { start: number; end: number }, item: string): TextEdit {
  const close = list.end - 1;
  const inner = text.slice(list.start + 1, close);
  if (inner.trim() === '') return { file, start: list.start + 1, end: close, newText: item };
  let last = close - 1;
  while (last > list.start && /\s/.test(text[last])) last--;
  const comma = text[last] === ',';
  const multiline = /[\r\n]/.test(text.slice(last, close));
  if (!multiline) return { file, start: last + 1, end: last + 1, newText: comma ? ` ${item}` : `, ${item}` };
  const eol = lineBreakOf(text);
  return { file, start: last + 1, end: last + 1, newText: `${comma ? '' : ','}${eol}${indentAt(text, last)}${item}${comma ? ',' : ''}` };
}
