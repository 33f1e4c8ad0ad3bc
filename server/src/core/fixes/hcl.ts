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
  const m = /\n(\t+|[ ]{2,})\S/.exec(text);
  if (!m) return '  ';
  return m[1][0] === '\t' ? '\t' : m[1].length % 2 === 0 ? '  ' : m[1];
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
    const m = /^((?: {2})*)(.*)$/.exec(l)!;
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

export function replace(file: string, start: number, end: number, newText: string): TextEdit {
  return { file, start, end, newText };
}

/** A string literal in HCL syntax. */
export function hclString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '$${').replace(/%\{/g, '%%{')}"`;
}
