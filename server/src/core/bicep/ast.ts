// A Bicep file as plain objects: the named nodes of its tree-sitter tree (comments and MISSING nodes left out), so
// the tree can be deleted at once (the wasm heap never shrinks) and a file that did not change is not parsed again.
import { type BicepParser, type Tree } from '../parse/bicep-parser';
import { parseBudgetMs } from '../parse/parse-budget';
import { parserInput } from '../parse/parser-input';
import { readsResource, relevantRanges } from '../parse/bicep-relevant';

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
  /**
   * Where the file first nests deeper than the cap (parse/parser-input.ts), when it does: `text` is then the capped
   * text the nodes were read from (offsets unchanged), and what lies deeper is not read.
   */
  tooDeepAt?: number;
}

/** The reason a file could not be read, for the notice it gets. */
export type ParseOutcome = { ok: true; file: BicepFile } | { ok: false; reason: 'budget' };

const MAX_NODE_DEPTH = 200;

const cache = new Map<string, { text: string; outcome: ParseOutcome }>();

/** Parses `text` (cached by path and text) into plain nodes; a parse over the time budget gives `budget`. */
export function parseBicepFile(parser: BicepParser, path: string, realText: string): ParseOutcome {
  const hit = cache.get(path);
  if (hit && hit.text === realText) return hit.outcome;
  const { text, cutAt, ranges: capRanges } = parserInput(realText, 'bicep');
  const paramFile = /\.bicepparam$/i.test(path);
  // A template is parsed without the statements that cannot matter, unless that leaves errors a whole parse may not
  // have; one nested past the cap without what was blanked, whatever that leaves.
  const ranges = capRanges ?? (paramFile || !parser.parseRanges ? undefined : relevantRanges(text));
  const started = cpuMs();
  let tree = ranges && parser.parseRanges ? parser.parseRanges(text, ranges, undefined, paramFile) : parser.parse(text, paramFile);
  let partial = !!ranges;
  if (tree && partial && !capRanges && tree.rootNode.hasError) {
    tree.delete();
    // The whole parse gets what the partial one left of the budget: one file, one budget.
    const left = parseBudgetMs(text.length) - (cpuMs() - started);
    tree = left > 0 ? parser.parse(text, paramFile, left) : null;
    partial = false;
  }
  let outcome: ParseOutcome;
  if (!tree) outcome = { ok: false, reason: 'budget' };
  else {
    try {
      const root = toPlain(tree, text, paramFile || partial);
      outcome = { ok: true, file: { path, text, root, hasErrors: tree.rootNode.hasError, ...(cutAt === undefined ? {} : { tooDeepAt: cutAt }) } };
    } finally {
      tree.delete();
    }
  }
  cache.set(path, { text: realText, outcome });
  return outcome;
}

/** CPU time of the process in milliseconds, as the parse budgets count it. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Forgets cached files that are no longer among `paths`. */
export function pruneCache(paths: ReadonlySet<string>): void {
  for (const p of [...cache.keys()]) if (!paths.has(p)) cache.delete(p);
}

const DECLARED_NAME = /\b(?:var|param)\s+([A-Za-z_]\w*)/;
const IDENTIFIER = /[A-Za-z_]\w*/g;

/**
 * The named nodes of a tree as plain objects, walked with a cursor (asking each node object for its children costs as
 * much as the parse itself). Of a template, only what the model can read is walked whole: resources of the types it
 * reads, module calls, and the variables and parameters their text names (and those name, and so on); the rest keeps
 * its name. A parameters file, and a tree of the relevant statements alone, are read whole.
 */
function toPlain(tree: Tree, text: string, whole: boolean): BNode {
  const cursor = tree.walk();
  const visit = (depth: number, skim?: (child: BNode, count: number) => boolean): BNode => {
    const node: BNode = { type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, named: [] };
    if (depth < MAX_NODE_DEPTH && cursor.gotoFirstChild()) {
      do {
        if (!cursor.nodeIsNamed || cursor.nodeIsMissing) continue;
        const type = cursor.nodeType;
        if (type === 'comment' || type === 'diagnostic_comment') continue;
        const child = visit(depth + 1);
        node.named.push(child);
        if (skim?.(child, node.named.length)) break;
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return node;
  };
  try {
    const root: BNode = { type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, named: [] };
    if (!cursor.gotoFirstChild()) return root;
    const statements: Array<{ type: string; start: number; end: number }> = [];
    do {
      if (cursor.nodeIsNamed && !cursor.nodeIsMissing) statements.push({ type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex });
    } while (cursor.gotoNextSibling());
    const needed = whole ? undefined : neededNames(text, statements);
    cursor.gotoParent();
    cursor.gotoFirstChild();
    let i = 0;
    do {
      if (!cursor.nodeIsNamed || cursor.nodeIsMissing) continue;
      const s = statements[i++];
      if (s.type === 'comment' || s.type === 'diagnostic_comment') continue;
      let skim: ((child: BNode, count: number) => boolean) | undefined;
      if (needed && s.type === 'resource_declaration') {
        skim = (child, count) => count === 2 && child.type === 'string' && !readsResource(text.slice(child.start, child.end), text.slice(s.start, s.end));
      } else if (needed && (s.type === 'variable_declaration' || s.type === 'parameter_declaration')) {
        const name = DECLARED_NAME.exec(text.slice(s.start, s.end))?.[1];
        if (name !== undefined && !needed.has(name)) skim = (child) => child.type === 'identifier';
      }
      root.named.push(visit(1, skim));
    } while (cursor.gotoNextSibling());
    return root;
  } finally {
    cursor.delete();
  }
}

/** Names the model may evaluate: those written in the resources it reads and module calls, and what those name. */
function neededNames(text: string, statements: Array<{ type: string; start: number; end: number }>): Set<string> {
  const declared = new Map<string, string>();
  const pending: string[] = [];
  for (const s of statements) {
    const body = text.slice(s.start, s.end);
    if (s.type === 'variable_declaration' || s.type === 'parameter_declaration') {
      const name = DECLARED_NAME.exec(body)?.[1];
      if (name !== undefined) declared.set(name, body);
    } else if (s.type === 'module_declaration' || (s.type === 'resource_declaration' && readsResource(/'[^']*'/.exec(body)?.[0] ?? '', body))) {
      pending.push(body);
    } else if (s.type !== 'resource_declaration') pending.push(body);
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

export function textOf(file: BicepFile, node: BNode): string {
  return file.text.slice(node.start, node.end);
}
