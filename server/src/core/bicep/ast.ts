// A Bicep file as plain objects: the named nodes of its tree-sitter tree (comments and MISSING nodes left out), so
// the tree can be deleted at once (the wasm heap never shrinks) and a file that did not change is not parsed again.
import type { BicepParser, SyntaxNode } from '../parse/bicep-parser';

export interface BNode {
  type: string;
  start: number;
  end: number;
  named: BNode[];
}

export interface BicepFile {
  path: string;
  text: string;
  root: BNode;
  hasErrors: boolean;
}

/** The reason a file could not be read, for the notice it gets. */
export type ParseOutcome = { ok: true; file: BicepFile } | { ok: false; reason: 'budget' };

const MAX_NODE_DEPTH = 200;

const cache = new Map<string, { text: string; outcome: ParseOutcome }>();

/** Parses `text` (cached by path and text) into plain nodes; a parse over the time budget gives `budget`. */
export function parseBicepFile(parser: BicepParser, path: string, text: string): ParseOutcome {
  const hit = cache.get(path);
  if (hit && hit.text === text) return hit.outcome;
  const tree = parser.parse(text, /\.bicepparam$/i.test(path));
  let outcome: ParseOutcome;
  if (!tree) outcome = { ok: false, reason: 'budget' };
  else {
    try {
      outcome = { ok: true, file: { path, text, root: toPlain(tree.rootNode, 0), hasErrors: tree.rootNode.hasError } };
    } finally {
      tree.delete();
    }
  }
  cache.set(path, { text, outcome });
  return outcome;
}

/** Forgets cached files that are no longer among `paths`. */
export function pruneCache(paths: ReadonlySet<string>): void {
  for (const p of [...cache.keys()]) if (!paths.has(p)) cache.delete(p);
}

function toPlain(node: SyntaxNode, depth: number): BNode {
  const named: BNode[] = [];
  if (depth < MAX_NODE_DEPTH) {
    for (const c of node.namedChildren) {
      if (!c || c.isMissing || c.type === 'comment' || c.type === 'diagnostic_comment') continue;
      named.push(toPlain(c, depth + 1));
    }
  }
  return { type: node.type, start: node.startIndex, end: node.endIndex, named };
}

export function textOf(file: BicepFile, node: BNode): string {
  return file.text.slice(node.start, node.end);
}
