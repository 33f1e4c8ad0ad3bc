// A template's outline from jsonc-parser's scanner (five to eight times cheaper than building the tree): where its
// parameters, variables and each resource are. Only the resources that can hold what the model reads (a service, a
// backend, a nested deployment, or children of those) are then parsed into trees, so a large template costs little more
// than reading it once. Anything the outline cannot be sure of gives undefined, and the whole template is parsed.
import { createScanner, parseTree, ScanError, SyntaxKind, type JSONScanner, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { MAX_NESTING_DEPTH } from '../nesting-too-deep';

/** jsonc-parser's node, built here by hand (its type is read-only for callers of its parser). */
type Node = { -readonly [K in keyof JsonNode]: K extends 'parent' ? Node | undefined : K extends 'children' ? Node[] | undefined : JsonNode[K] };

/**
 * Resources whose text mentions none of these cannot be, or contain, a service, a backend, a policy, an API whose
 * serviceUrl may be plain http, or a nested deployment (most APIs of a large template say `https://` and are skipped).
 */
const RELEVANT = /ApiManagement\/service"|backends|deployments|policies"|"serviceUrl"\s*:\s*"(?!https:\/\/)/i;

/**
 * The template as a tree holding only what the model reads: its `parameters`, `variables` and relevant `resources`,
 * every node at the offsets it has in `text`. Undefined when the text is not a plain template object.
 */
export function relevantTemplate(text: string): JsonNode | undefined {
  const scanner = createScanner(text, true);
  if (scanner.scan() !== SyntaxKind.OpenBraceToken) return undefined;
  const root: Node = { type: 'object', offset: scanner.getTokenOffset(), length: 0, children: [] };
  for (;;) {
    let token = scanner.scan();
    if (token === SyntaxKind.CommaToken) token = scanner.scan();
    if (token === SyntaxKind.CloseBraceToken) {
      root.length = scanner.getTokenOffset() + 1 - root.offset;
      return root;
    }
    if (token !== SyntaxKind.StringLiteral) return undefined;
    const key = scanner.getTokenValue();
    const keyNode: Node = { type: 'string', value: key, offset: scanner.getTokenOffset(), length: scanner.getTokenLength() };
    if (scanner.scan() !== SyntaxKind.ColonToken) return undefined;
    const colonOffset = scanner.getTokenOffset();
    const first = scanner.scan();
    const start = scanner.getTokenOffset();
    const lower = key.toLowerCase();
    let value: Node | undefined;
    if (lower === 'resources') value = resources(text, scanner, first);
    else {
      const end = skipValue(scanner, first);
      if (end === undefined) return undefined;
      if (lower === 'parameters' || lower === 'variables') value = parseAt(text, start, end);
    }
    if (!value && (lower === 'resources' || lower === 'parameters' || lower === 'variables')) return undefined;
    if (!value) continue;
    const property: Node = {
      type: 'property',
      offset: keyNode.offset,
      length: value.offset + value.length - keyNode.offset,
      colonOffset,
      parent: root,
      children: [],
    };
    keyNode.parent = property;
    value.parent = property;
    property.children!.push(keyNode, value);
    root.children!.push(property);
  }
}

/** The `resources` array (or object of symbolic names), holding the relevant resources only. */
function resources(text: string, scanner: JSONScanner, first: SyntaxKind): Node | undefined {
  const isArray = first === SyntaxKind.OpenBracketToken;
  if (!isArray && first !== SyntaxKind.OpenBraceToken) return undefined;
  const node: Node = { type: isArray ? 'array' : 'object', offset: scanner.getTokenOffset(), length: 0, children: [] };
  const close = isArray ? SyntaxKind.CloseBracketToken : SyntaxKind.CloseBraceToken;
  for (;;) {
    let token = scanner.scan();
    if (token === SyntaxKind.CommaToken) token = scanner.scan();
    if (token === close) {
      node.length = scanner.getTokenOffset() + 1 - node.offset;
      return node;
    }
    let keyNode: Node | undefined;
    if (!isArray) {
      if (token !== SyntaxKind.StringLiteral) return undefined;
      keyNode = { type: 'string', value: scanner.getTokenValue(), offset: scanner.getTokenOffset(), length: scanner.getTokenLength() };
      if (scanner.scan() !== SyntaxKind.ColonToken) return undefined;
      token = scanner.scan();
    }
    const start = scanner.getTokenOffset();
    const end = skipValue(scanner, token);
    if (end === undefined) return undefined;
    if (token !== SyntaxKind.OpenBraceToken || !RELEVANT.test(text.slice(start, end))) continue;
    const value = parseAt(text, start, end);
    if (!value) return undefined;
    if (keyNode) {
      const property: Node = { type: 'property', offset: keyNode.offset, length: end - keyNode.offset, parent: node, children: [keyNode, value] };
      keyNode.parent = property;
      value.parent = property;
      node.children!.push(property);
    } else {
      value.parent = node;
      node.children!.push(value);
    }
  }
}

/**
 * Skips the value that starts with `first`; the offset just past it, or undefined if the text breaks off or nests
 * deeper than the JSON cap allows below the two levels above it (parseTree recurses per level: such a template is
 * parsed whole, with its depth capped).
 */
function skipValue(scanner: JSONScanner, first: SyntaxKind): number | undefined {
  if (first !== SyntaxKind.OpenBraceToken && first !== SyntaxKind.OpenBracketToken) {
    const simple =
      first === SyntaxKind.StringLiteral ||
      first === SyntaxKind.NumericLiteral ||
      first === SyntaxKind.TrueKeyword ||
      first === SyntaxKind.FalseKeyword ||
      first === SyntaxKind.NullKeyword;
    return simple && scanner.getTokenError() === ScanError.None ? scanner.getTokenOffset() + scanner.getTokenLength() : undefined;
  }
  let depth = 1;
  for (;;) {
    const token = scanner.scan();
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      if (++depth > MAX_NESTING_DEPTH - 2) return undefined;
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      if (--depth === 0) return scanner.getTokenOffset() + 1;
    } else if (token === SyntaxKind.EOF || token === SyntaxKind.Unknown || scanner.getTokenError() !== ScanError.None) return undefined;
  }
}

/** The tree of the value between two offsets, at the offsets it has in the whole text; undefined if it has errors. */
function parseAt(text: string, start: number, end: number): Node | undefined {
  const errors: ParseError[] = [];
  const node = parseTree(text.slice(start, end), errors, { allowTrailingComma: true, disallowComments: false });
  if (!node || errors.length) return undefined;
  if (start !== 0) move(node, start);
  return node;
}

function move(node: Node, delta: number): void {
  node.offset += delta;
  if (node.colonOffset !== undefined) node.colonOffset += delta;
  if (node.children) for (const c of node.children) move(c, delta);
}
