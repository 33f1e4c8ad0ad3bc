// Edits that rewrite a literal in place. They work for HCL, JSON and Bicep alike: the literal keeps its quotes
// (and the casing style of a string boolean such as "False") and only its content changes.
import type { PrimVal } from '../model';
import type { TextEdit } from '../types';

export function setBooleanLiteral(val: PrimVal, value: boolean, text: string | undefined): TextEdit {
  const { file, start, end } = val.span;
  const original = text?.slice(start, end) ?? '';
  let newText = String(value);
  if (val.quoted) {
    const quote = /^['"]/.test(original) ? original[0] : '"';
    const inner = original.slice(1, -1).trim();
    if (inner === inner.toUpperCase() && inner.length > 1) newText = newText.toUpperCase();
    else if (inner[0] && inner[0] === inner[0].toUpperCase()) newText = newText[0].toUpperCase() + newText.slice(1);
    newText = quote + newText + quote;
  }
  return { file, start, end, newText };
}
