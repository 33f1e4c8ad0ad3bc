// Edits of ARM template JSON that keep the user's comments and layout (jsonc-parser's `modify` drops comments
// next to what it removes, so removals are done here by hand).
import { findNodeAtOffset, type Node } from 'jsonc-parser';
import { parseJsonTree } from '../json-depth';
import type { Misplaced } from '../model';
import { indentAt, indentUnit } from '../fixes/hcl';
import { relativeLines, renameKey } from '../fixes/move-member';
import { lineBreakOf } from '../text';
import type { Span, TextEdit } from '../types';

/**
 * Removes the property `"key": value` whose value starts at `valueStart`, with the comma that separates it from its
 * neighbours. None when the value there is not the value of a property named `key` (case-insensitive).
 */
export function removeJsonProperty(file: string, text: string, valueStart: number, key: string): TextEdit[] | undefined {
  // Offsets are the real text's; the text itself (not the capped one) decides what the edit removes.
  const root = parseJsonTree(text, [], { allowTrailingComma: true }).root;
  const value = root && findNodeAtOffset(root, valueStart, false);
  let prop: Node | undefined = value;
  while (prop && prop.type !== 'property') prop = prop.parent;
  if (!prop || prop.children?.[1]?.offset !== valueStart) return undefined;
  if (String(prop.children[0].value).toLowerCase() !== key.toLowerCase()) return undefined;
  return removePropertyNode(file, text, prop);
}

/** Removes a property node from its object: its own line(s) when it stands alone on them, else inline. */
export function removePropertyNode(file: string, text: string, prop: Node): TextEdit[] {
  const siblings = prop.parent?.children ?? [prop];
  const i = siblings.indexOf(prop);
  const prev = i > 0 ? siblings[i - 1] : undefined;
  const next = siblings[i + 1];
  const start = prop.offset;
  const end = prop.offset + prop.length;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const afterEnd = skipTrivia(text, end);
  const hasComma = text[afterEnd] === ',';
  const tail = hasComma ? afterEnd + 1 : end;
  const eolAt = text.indexOf('\n', tail);
  const restOfLine = text.slice(tail, eolAt < 0 ? text.length : eolAt);
  const ownLine = text.slice(lineStart, start).trim() === '' && /^[ \t]*(\/\/.*|\/\*.*\*\/[ \t]*)?\r?$/.test(restOfLine);
  if (ownLine) {
    const edits: TextEdit[] = [{ file, start: lineStart, end: eolAt < 0 ? text.length : eolAt + 1, newText: '' }];
    // The last property goes: the comma after the one before it must go too (JSON allows no trailing comma).
    if (!next && !hasComma && prev) {
      const comma = skipTrivia(text, prev.offset + prev.length);
      if (text[comma] === ',') edits.unshift({ file, start: comma, end: comma + 1, newText: '' });
    }
    return edits;
  }
  if (next) return [{ file, start, end: next.offset, newText: '' }];
  if (prev) return [{ file, start: prev.offset + prev.length, end: hasComma ? afterEnd + 1 : end, newText: '' }];
  return [{ file, start, end: hasComma ? afterEnd + 1 : end, newText: '' }];
}

/** The offset of the next character that is not whitespace or a comment. */
function skipTrivia(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
    else if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else break;
  }
  return i;
}

/**
 * Moves a property into the object where the API reads it (APIM017), with the commas JSON needs, or renames its key.
 * The property must stand on lines of its own; undefined when it does not, or the text is not what the model read.
 */
export function moveJsonMember(file: string, text: string, move: NonNullable<Misplaced['move']>): TextEdit[] | undefined {
  if (move.rename) return [renameKey(file, text, move.key, move.rename)];
  const root = parseJsonTree(text, [], { allowTrailingComma: true }).root;
  const member = root && propertyAt(root, move.member);
  const removed = root && propertyAt(root, move.emptiesParent ?? move.member);
  const into = root && findNodeAtOffset(root, move.into.span.start, false);
  if (!member || !removed || into?.type !== 'object' || into.offset !== move.into.span.start) return undefined;
  const lineStart = text.lastIndexOf('\n', member.offset - 1) + 1;
  if (text.slice(lineStart, member.offset).trim() !== '') return undefined;
  if (removed.offset <= into.offset && into.offset + into.length <= removed.offset + removed.length) return undefined;
  const eol = lineBreakOf(text);
  const unit = indentUnit(text);
  const first = into.children?.[0];
  const indent = first ? indentAt(text, first.offset) : indentAt(text, into.offset) + unit;
  const lines = relativeLines(text, member.offset, member.offset + member.length).map((l, i) => {
    if (i === 0) return indent + l;
    const steps = /^ */.exec(l)![0].length / 2;
    return l === '' ? '' : indent + unit.repeat(steps) + l.trimStart();
  });
  const remaining = (into.children ?? []).filter((c) => c !== removed).length;
  const insert: TextEdit = { file, start: into.offset + 1, end: into.offset + 1, newText: eol + lines.join(eol) + (remaining > 0 ? ',' : '') };
  return [insert, ...removePropertyNode(file, text, removed)];
}

/** The property node whose key starts at `span.start`. */
function propertyAt(root: Node, span: Span): Node | undefined {
  let node = findNodeAtOffset(root, span.start, false);
  while (node && node.type !== 'property') node = node.parent;
  return node?.children?.[0]?.offset === span.start ? node : undefined;
}
