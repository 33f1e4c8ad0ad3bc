// Members of object literals in the syntaxes that write one member per line (HCL `key = value`, Bicep `key: value`):
// moving a member to the object where the API reads it (APIM017), and writing a member a registry module implies
// when it is omitted (the AVM `tls` default). Each keeps the file's indentation step and line breaks.
import type { Misplaced } from '../model';
import type { Span, TextEdit } from '../types';
import { appendToBody, indentAt, indentUnit, removeItem } from './hcl';

type Move = NonNullable<Misplaced['move']>;

/** The edit builders of one syntax, told how it separates a key from its value (` = ` or `: `). */
export function memberEdits(separator: string): {
  moveMember(file: string, text: string, move: Move): TextEdit[] | undefined;
  writeMember(file: string, text: string, entry: Span, key: string, values: ReadonlyArray<readonly [string, boolean]>): TextEdit[] | undefined;
} {
  return {
    moveMember(file, text, move) {
      if (move.rename) return [renameKey(file, text, move.key, move.rename)];
      const { member } = move;
      if (!standsAlone(text, member.start, member.end)) return undefined;
      const target = objectBlock(move.into.span);
      if (!isMultiline(text, target)) return undefined;
      const removed = move.emptiesParent ?? member;
      // The member must not hold the object it moves into (tls at the root moving into properties is fine).
      if (removed.start <= target.start && target.end <= removed.end) return undefined;
      return [appendToBody(file, text, target, relativeLines(text, member.start, member.end)), removeItem(file, text, removed.start, removed.end)];
    },
    writeMember(file, text, entry, key, values) {
      const target = objectBlock(entry);
      if (!isMultiline(text, target)) return undefined;
      const lines = [`${key}${separator}{`, ...values.map(([k, v]) => `  ${k}${separator}${v}`), '}'];
      return [appendToBody(file, text, target, lines)];
    },
  };
}

/** Replaces a key, keeping the quotes it is written with. */
export function renameKey(file: string, text: string, key: Span, name: string): TextEdit {
  const written = text.slice(key.start, key.end);
  const quote = /^["']/.exec(written)?.[0] ?? '';
  return { file, start: key.start, end: key.end, newText: `${quote}${name}${quote}` };
}

/** An object literal's span as a block: the inside of its braces is its body. */
export function objectBlock(span: Span): Span & { bodyStart: number; bodyEnd: number } {
  return { ...span, bodyStart: span.start + 1, bodyEnd: span.end - 1 };
}

function isMultiline(text: string, block: { bodyStart: number; bodyEnd: number }): boolean {
  return /[\r\n]/.test(text.slice(block.bodyStart, block.bodyEnd));
}

/** The member starts its line and nothing but a comma or a comment follows it on its last line. */
function standsAlone(text: string, start: number, end: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const nl = text.indexOf('\n', end);
  return text.slice(lineStart, start).trim() === '' && /^[ \t]*,?[ \t]*(?:(?:#|\/\/).*)?\r?$/.test(text.slice(end, nl < 0 ? text.length : nl));
}

/**
 * The member's lines with the nesting below its first line written in two-space steps (what appendToBody expects),
 * whatever step the file uses.
 */
export function relativeLines(text: string, start: number, end: number): string[] {
  const base = indentAt(text, start);
  const unit = indentUnit(text);
  return text
    .slice(start, end)
    .split(/\r?\n/)
    .map((line, i) => {
      if (i === 0 || line.trim() === '') return line.trim();
      const rest = line.startsWith(base) ? line.slice(base.length) : line.trimStart();
      const indent = /^[ \t]*/.exec(rest)![0];
      const steps = unit === '\t' ? indent.split('\t').length - 1 : Math.round(indent.length / unit.length);
      return '  '.repeat(steps) + rest.slice(indent.length);
    });
}
