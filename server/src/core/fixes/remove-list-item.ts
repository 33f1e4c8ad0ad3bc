// Removing an object from the list that holds it (an entry of a service's `certificates`, APIM004's fix), in each
// syntax: an HCL or Bicep object item, or a JSON array element with its comma.
import { findNodeAtOffset } from 'jsonc-parser';
import { removePropertyNode } from '../arm/edits';
import { parseJsonTree } from '../json-depth';
import type { Span, TextEdit } from '../types';
import { removeItem } from './hcl';

/** HCL and Bicep: the `{ ... }` the span covers, with its line when it stands alone on it. */
export function removeObjectItem(file: string, text: string, span: Span): TextEdit[] | undefined {
  return /^\{[\s\S]*\}$/.test(text.slice(span.start, span.end)) ? [removeItem(file, text, span.start, span.end)] : undefined;
}

/** JSON: the object the span starts, when it is an element of an array. */
export function removeJsonArrayElement(file: string, text: string, span: Span): TextEdit[] | undefined {
  const root = parseJsonTree(text, [], { allowTrailingComma: true }).root;
  const node = root && findNodeAtOffset(root, span.start, false);
  return node?.type === 'object' && node.offset === span.start && node.parent?.type === 'array' ? removePropertyNode(file, text, node) : undefined;
}
