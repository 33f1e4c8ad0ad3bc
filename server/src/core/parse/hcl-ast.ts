// Turns a tree-sitter HCL tree into plain objects that outlive the tree (trees live in the wasm heap and must be
// deleted), and recovers blocks that follow a damaged one by re-parsing top-level chunks of the text.
import { ParseBudgetError } from './parse-budget';
import type { SyntaxNode, TerraformParser, Tree } from './terraform-parser';

export interface Located {
  start: number;
  end: number;
}

export interface HclBlock extends Located {
  type: string;
  typeEnd: number;
  labels: HclLabel[];
  /** Offset just after `{` and of `}` (or of the block's end when the brace is missing). */
  bodyStart: number;
  bodyEnd: number;
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclLabel extends Located {
  value: string;
}

export interface HclAttribute extends Located {
  name: string;
  nameEnd: number;
  expr: Expr;
}

export type Expr =
  | (Located & { kind: 'literal'; value: boolean | number | string | null; quoted: boolean })
  | (Located & { kind: 'template'; parts: Array<string | Expr> })
  // A path step is an attribute name, an index, an index expression, or '*' for a splat.
  | (Located & { kind: 'ref'; root: string; path: Array<string | number | Expr> })
  | (Located & { kind: 'object'; items: ObjectItem[] })
  | (Located & { kind: 'tuple'; items: Expr[] })
  | (Located & { kind: 'call'; name: string; args: Expr[] })
  | (Located & { kind: 'conditional'; condition: Expr; then: Expr; else: Expr })
  | (Located & { kind: 'other' });

export interface ObjectItem extends Located {
  /** The key when it is a plain name or a literal string; undefined for computed keys. */
  key: string | undefined;
  keyStart: number;
  keyEnd: number;
  value: Expr;
}

export interface HclFile {
  blocks: HclBlock[];
  attributes: HclAttribute[];
  /** Whether tree-sitter found errors anywhere (recovered blocks are included all the same). */
  hasErrors: boolean;
}

/**
 * Extracts a file; when the tree has errors, damaged regions are re-parsed chunk by chunk. `varFile` says the
 * file is a .tfvars file, whose top level is attributes: those lines then start chunks too.
 */
export function extractFile(tree: Tree, text: string, parser: TerraformParser, varFile = false): HclFile {
  const root = tree.rootNode;
  const body = root.namedChildren.find((c) => c?.type === 'body') ?? null;
  const file: HclFile = { blocks: [], attributes: [], hasErrors: root.hasError };
  if (!root.hasError) {
    if (body) readBody(body, text, file.blocks, file.attributes, 0, Infinity, 0, false, true);
    return file;
  }
  // Keep intact top-level blocks from the main tree; re-parse the text around damage in chunks.
  const damaged: Located[] = [];
  const visit = (n: SyntaxNode | null) => {
    if (!n) return;
    if (n.type === 'body') {
      for (const c of n.namedChildren) visit(c);
    } else if (n.type === 'block' && !n.hasError) {
      const b = readBlock(n, text, 0, false, true);
      if (b) file.blocks.push(b);
    } else if (n.type === 'attribute' && !n.hasError) {
      const a = readAttribute(n, text);
      if (a) file.attributes.push(a);
    } else if (n.type !== 'comment') {
      damaged.push({ start: n.startIndex, end: n.endIndex });
    }
  };
  for (const c of root.namedChildren) visit(c);
  const rows = new RowIndex(text);
  // Chunk starts are found once for the file: searching from each damaged region to the next start would read the
  // rest of the file once per region (seconds for thousands of small regions, as damaged text easily makes).
  const chunkStarts = matchOffsets(text, varFile ? ATTRIBUTE_OR_BLOCK_START : BLOCK_START);
  // Recovery is best effort, under a budget of its own on top of the parse's: the regions it has no time left for are
  // not read (each chunk's parse could otherwise spend a whole parse budget: seconds on a file cut into pieces).
  const deadline = cpuMs() + RECOVERY_BUDGET_MS;
  for (const region of mergeRegions(damaged, text)) {
    if (!recoverRegion(region, text, parser, file, chunkStarts, rows, deadline)) break;
  }
  file.blocks.sort((a, b) => a.start - b.start);
  file.attributes.sort((a, b) => a.start - b.start);
  return file;
}

const BLOCK_START = /^(?:resource|data|module|variable|locals|terraform|provider|output|moved|import|check|removed)\b/gm;

const ATTRIBUTE_OR_BLOCK_START = /^(?:(?:resource|data|module|variable|locals|terraform|provider|output)\b|[A-Za-z_][\w-]*[ \t]*=)/gm;

/**
 * Re-parses each chunk of a damaged region on its own. A region that is one chunk is left as the main parse
 * read it: parsing the same text again would only give the same damage at twice the cost. False when the recovery's
 * CPU deadline came first.
 */
function recoverRegion(
  region: Located,
  text: string,
  parser: TerraformParser,
  file: HclFile,
  chunkStarts: readonly number[],
  rows: RowIndex,
  deadline: number,
): boolean {
  const starts: number[] = [];
  for (let i = firstAtOrAfter(chunkStarts, region.start); i < chunkStarts.length && chunkStarts[i] < region.end; i++) starts.push(chunkStarts[i]);
  if (starts.length === 0 || starts[0] !== region.start) starts.unshift(region.start);
  if (starts.length < 2) return true;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    const end = i + 1 < starts.length ? starts[i + 1] : region.end;
    if (end <= start) continue;
    const left = deadline - cpuMs();
    let tree: Tree;
    try {
      if (left <= 0) return false;
      tree = parser.parseRanges(text, [{ start, end }], (o) => rows.rowOf(o), left);
    } catch (e) {
      if (e instanceof ParseBudgetError) return false;
      throw e;
    }
    try {
      const body = tree.rootNode.namedChildren.find((c) => c?.type === 'body');
      if (body) readBody(body, text, file.blocks, file.attributes, start, end);
    } finally {
      tree.delete();
    }
  }
  return true;
}

const BLANK = /^\s*$/;

/** CPU milliseconds the recovery of one file's damaged regions may take. */
const RECOVERY_BUDGET_MS = 250;

/** CPU time of the process in milliseconds, as the parse budgets count it. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Where each match of a global pattern starts, in order. */
function matchOffsets(text: string, pattern: RegExp): number[] {
  const out: number[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    out.push(m.index);
    if (m[0].length === 0) pattern.lastIndex++;
  }
  return out;
}

/** The index of the first offset at or after `offset` in a sorted list (its length when there is none). */
function firstAtOrAfter(offsets: readonly number[], offset: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class RowIndex {
  private readonly breaks: number[] = [];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.breaks.push(i);
  }
  rowOf(offset: number): number {
    let lo = 0;
    let hi = this.breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.breaks[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Damaged regions joined where they overlap or only blanks separate them: tree-sitter may leave a damaged top level as
 * thousands of small pieces, and a block cut into pieces is only found again when its pieces are one region.
 */
function mergeRegions(regions: Located[], text: string): Located[] {
  const sorted = regions.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: Located[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && (r.start <= last.end || BLANK.test(text.slice(last.end, r.start)))) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/**
 * Reads a body's blocks and attributes. `clean` says the tree has no errors here, so a child whose text starts with
 * `name =` is an attribute; `contentEnd` is where the body's content ends (before its `}`), when the caller knows.
 */
function readBody(
  body: SyntaxNode,
  text: string,
  blocks: HclBlock[],
  attributes: HclAttribute[],
  min = 0,
  max = Infinity,
  depth = 0,
  skim = false,
  clean = false,
  contentEnd?: number,
): void {
  const bounded = min > 0 || max !== Infinity;
  const children = body.namedChildren;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (!c || (bounded && (c.startIndex < min || c.endIndex > max))) continue;
    if (clean) {
      // An attribute ends before the next child (or the body's end): when what lies between is one simple value,
      // the text settles the attribute and neither its type nor its end is asked of the tree.
      const next = i + 1 < children.length ? children[i + 1]?.startIndex : undefined;
      const a = readSimpleAttribute(text, c.startIndex, next ?? contentEnd ?? body.endIndex, skim);
      if (a) {
        attributes.push(a);
        continue;
      }
    }
    const type = c.type;
    if (type === 'block') {
      const b = readBlock(c, text, depth, skim, clean);
      if (b) blocks.push(b);
    } else if (type === 'attribute') {
      const a = readAttribute(c, text, skim);
      if (a) attributes.push(a);
    }
  }
}

/**
 * Top-level blocks that can matter: their bodies are read. Other blocks (an `azurerm_storage_account`, an
 * `output`) keep only their header, which keeps a lint close to the cost of the parse itself.
 */
const RELEVANT_BLOCK_TYPES = new Set(['variable', 'locals', 'module', 'terraform']);
const RELEVANT_RESOURCE = /^(azurerm_api_management|azapi_)/;

function isRelevantBlock(type: string, labels: HclLabel[]): boolean {
  if (RELEVANT_BLOCK_TYPES.has(type)) return true;
  return type === 'resource' && labels.length > 0 && RELEVANT_RESOURCE.test(labels[0].value);
}

/**
 * Inside a relevant resource, only these attributes' values and these nested blocks' bodies are read: the ones
 * terraform/resources.ts and extract.ts look at. Other attributes keep their name and span (so edits can still
 * find them) with an opaque value. Reading every value costs as much as a third of the parse; this keeps a full
 * lint within its budget of 1.25 parses. A reader that needs another attribute must add it here.
 */
const MODEL_ATTRIBUTES = new Set([
  'name',
  'url',
  'api_management_name',
  'resource_group_name',
  'parent_id',
  'resource_id',
  'type',
  'body',
  'for_each',
  'count',
  'depends_on',
  'sku_name',
  'store_name',
  'replace_triggered_by',
  'iterator',
  'validate_certificate_chain',
  'validate_certificate_name',
  // Policies and APIs (terraform/policies.ts).
  'xml_content',
  'api_name',
  'operation_id',
  'product_id',
  'api_management_id',
  'service_url',
]);
const MODEL_SWITCH = /^(backend_|enable_backend_|enable_triple_des|tls_.*_ciphers_enabled$|triple_des)/;
const MODEL_BLOCKS = new Set(['tls', 'dynamic', 'content', 'security', 'certificate', 'lifecycle']);

function isModelAttribute(name: string): boolean {
  return MODEL_ATTRIBUTES.has(name) || MODEL_SWITCH.test(name);
}

/** Blocks nested deeper than this keep only their header: real configuration nests a few levels, the stack is finite. */
const MAX_BLOCK_DEPTH = 32;

function readBlock(node: SyntaxNode, text: string, depth = 1, skim = false, clean = false): HclBlock | undefined {
  const fast = readBlockFromText(node, text, depth, skim, clean);
  if (fast) return fast;
  const first = node.namedChild(0);
  if (!first || first.type !== 'identifier') return undefined;
  const block: HclBlock = {
    type: first.text,
    start: node.startIndex,
    end: node.endIndex,
    typeEnd: first.endIndex,
    labels: [],
    bodyStart: node.endIndex,
    bodyEnd: node.endIndex,
    attributes: [],
    blocks: [],
  };
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i);
    if (!c) continue;
    switch (c.type) {
      case 'string_lit':
        block.labels.push({ value: stringLitValue(c), start: c.startIndex, end: c.endIndex });
        break;
      case 'identifier':
        if (c.startIndex !== first.startIndex) block.labels.push({ value: c.text, start: c.startIndex, end: c.endIndex });
        break;
      case 'block_start':
        block.bodyStart = c.endIndex;
        break;
      case 'block_end':
        block.bodyEnd = c.startIndex;
        break;
      case 'body':
        if (readsBody(block, depth, skim))
          readBody(c, text, block.blocks, block.attributes, 0, Infinity, depth + 1, skim || (depth === 0 && block.type === 'resource'), clean);
        break;
    }
  }
  return block;
}

const NAME = /[A-Za-z_][\w-]*/y;
const EQUALS = /[ \t]*=[ \t]*/y;

/**
 * `name = value` from the text alone, when the value is simple (see simpleExpr) and is all that stands before
 * `limit` (the next child's start or the body's end) but whitespace; else undefined. Only for trees without errors.
 */
function readSimpleAttribute(text: string, start: number, limit: number, skim: boolean): HclAttribute | undefined {
  NAME.lastIndex = start;
  const m = NAME.exec(text);
  if (!m) return undefined;
  EQUALS.lastIndex = start + m[0].length;
  if (!EQUALS.test(text)) return undefined;
  const exprStart = EQUALS.lastIndex;
  let end = limit;
  while (end > exprStart && isSpace(text.charCodeAt(end - 1))) end--;
  const simple = simpleExpr(text, exprStart, end);
  if (!simple) return undefined;
  const expr: Expr = skim && !isModelAttribute(m[0]) ? { kind: 'other', start: exprStart, end } : simple;
  return { name: m[0], start, end, nameEnd: start + m[0].length, expr };
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function readAttribute(node: SyntaxNode, text: string, skim = false): HclAttribute | undefined {
  const value = (name: string, exprNode: SyntaxNode): Expr => (skim && !isModelAttribute(name) ? other(exprNode) : readExpr(exprNode, text));
  // The usual `name = expression`: the name from the text, the expression as the last named child.
  const start = node.startIndex;
  NAME.lastIndex = start;
  const m = NAME.exec(text);
  if (m) {
    // Cheapest of all: a simple value (or one the model does not read) taken from the text, so that no child node
    // is materialized. Anything the text alone cannot settle goes through the tree below.
    EQUALS.lastIndex = start + m[0].length;
    const eq = EQUALS.exec(text);
    if (eq) {
      const exprStart = EQUALS.lastIndex;
      const end = node.endIndex;
      const attr = { name: m[0], start, end, nameEnd: start + m[0].length };
      if (skim && !isModelAttribute(m[0])) return { ...attr, expr: { kind: 'other', start: exprStart, end } };
      const simple = simpleExpr(text, exprStart, end);
      if (simple) return { ...attr, expr: simple };
    }
    const named = node.namedChildren;
    const last = named[named.length - 1];
    if (named.length === 2 && last && last.type === 'expression' && named[0]!.startIndex === start) {
      return { name: m[0], start, end: node.endIndex, nameEnd: start + m[0].length, expr: value(m[0], last) };
    }
  }
  const name = node.namedChild(0);
  const exprNode = node.namedChildren.find((c) => c?.type === 'expression');
  if (!name || name.type !== 'identifier' || !exprNode) return undefined;
  return { name: name.text, start: node.startIndex, end: node.endIndex, nameEnd: name.endIndex, expr: value(name.text, exprNode) };
}

function other(n: SyntaxNode): Expr {
  return { kind: 'other', start: n.startIndex, end: n.endIndex };
}

/** Deeper nesting than this is read as an opaque value: no real configuration nests so deep, and the stack is finite. */
const MAX_EXPR_DEPTH = 64;

export function readExpr(node: SyntaxNode, text: string, depth = 0): Expr {
  if (depth > MAX_EXPR_DEPTH) return other(node);
  const type = node.type;
  if (type === 'expression') {
    // Most values are a plain literal or a dotted reference: read those from the text, without walking the
    // nodes below (each node access crosses into wasm; walking every node costs a third of the parse).
    const fast = simpleExpr(text, node.startIndex, node.endIndex);
    if (fast) return fast;
  }
  if (type === 'expression' || type === 'literal_value' || type === 'collection_value') {
    // `expression` wraps either one child, or a variable_expr followed by get_attr/index/splat traversals.
    const first = node.namedChild(0);
    if (!first) return other(node);
    if (first.type === 'variable_expr') return readTraversal(node, first, text, depth + 1);
    if (node.namedChildCount === 1) return readExpr(first, text, depth + 1);
    return other(node);
  }
  switch (node.type) {
    case 'bool_lit':
      return { kind: 'literal', value: node.text === 'true', quoted: false, start: node.startIndex, end: node.endIndex };
    case 'null_lit':
      return { kind: 'literal', value: null, quoted: false, start: node.startIndex, end: node.endIndex };
    case 'numeric_lit':
      return { kind: 'literal', value: Number(node.text), quoted: false, start: node.startIndex, end: node.endIndex };
    case 'string_lit':
      return { kind: 'literal', value: stringLitValue(node), quoted: true, start: node.startIndex, end: node.endIndex };
    case 'template_expr': {
      const inner = node.namedChild(0);
      return inner && inner.type === 'quoted_template' ? readTemplate(inner, text, depth + 1) : other(node);
    }
    case 'object':
      return readObject(node, text, depth + 1);
    case 'tuple':
      return {
        kind: 'tuple',
        start: node.startIndex,
        end: node.endIndex,
        items: node.namedChildren.filter((c) => c?.type === 'expression').map((c) => readExpr(c!, text, depth + 1)),
      };
    case 'function_call': {
      const name = node.namedChild(0);
      const args = node.namedChildren.find((c) => c?.type === 'function_arguments');
      return {
        kind: 'call',
        name: name?.text ?? '',
        start: node.startIndex,
        end: node.endIndex,
        args: args ? args.namedChildren.filter((c) => c?.type === 'expression').map((c) => readExpr(c!, text, depth + 1)) : [],
      };
    }
    case 'conditional': {
      const parts = node.namedChildren.filter((c) => c?.type === 'expression');
      if (parts.length !== 3) return other(node);
      return {
        kind: 'conditional',
        start: node.startIndex,
        end: node.endIndex,
        condition: readExpr(parts[0]!, text, depth + 1),
        then: readExpr(parts[1]!, text, depth + 1),
        else: readExpr(parts[2]!, text, depth + 1),
      };
    }
    default:
      return other(node);
  }
}

function readTraversal(node: SyntaxNode, variable: SyntaxNode, text: string, depth: number): Expr {
  // namedChild(i) walks the siblings from the first: a reference of thousands of steps would cost their square.
  if (node.namedChildCount > MAX_EXPR_DEPTH) return other(node);
  const path: Array<string | number | Expr> = [];
  for (let i = 1; i < node.namedChildCount; i++) {
    const step = node.namedChild(i);
    if (!step) continue;
    if (step.type === 'get_attr') {
      path.push(step.namedChild(0)?.text ?? '');
    } else if (step.type === 'index') {
      const inner = step.namedChild(0);
      const keyExpr = inner?.type === 'new_index' ? inner.namedChild(0) : inner?.type === 'legacy_index' ? inner : null;
      if (inner?.type === 'legacy_index') path.push(Number(inner.text.replace(/^\./, '')));
      else if (keyExpr) {
        const key = readExpr(keyExpr, text, depth + 1);
        path.push(key.kind === 'literal' && (typeof key.value === 'string' || typeof key.value === 'number') ? key.value : key);
      } else path.push('*');
    } else if (step.type === 'splat') {
      path.push('*');
    } else {
      return other(node);
    }
  }
  return { kind: 'ref', root: variable.text, path, start: node.startIndex, end: node.endIndex };
}

function readTemplate(node: SyntaxNode, text: string, depth: number): Expr {
  const parts: Array<string | Expr> = [];
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'template_literal') parts.push(c.text);
    else if (c.type === 'template_interpolation') {
      const e = c.namedChildren.find((x) => x?.type === 'expression');
      parts.push(e ? readExpr(e, text, depth + 1) : other(c));
    } else if (c.type === 'template_directive') parts.push(other(c));
  }
  if (parts.every((p) => typeof p === 'string')) {
    return { kind: 'literal', value: parts.join(''), quoted: true, start: node.startIndex, end: node.endIndex };
  }
  return { kind: 'template', parts, start: node.startIndex, end: node.endIndex };
}

function readObject(node: SyntaxNode, text: string, depth: number): Expr {
  const items: ObjectItem[] = [];
  const children = node.namedChildren;
  // Without errors inside, an element written `key = value` with a simple value is read from the text: it ends
  // before the next child (another element, a comment or the closing brace), less whitespace and a comma.
  const clean = !node.hasError;
  for (let i = 0; i < children.length; i++) {
    const elem = children[i];
    if (!elem) continue;
    if (clean && i + 1 < children.length) {
      const item = readSimpleObjectItem(text, elem.startIndex, children[i + 1]!.startIndex);
      if (item) {
        items.push(item);
        continue;
      }
    }
    if (elem.type !== 'object_elem') continue;
    const keyNode = elem.childForFieldName('key');
    const valNode = elem.childForFieldName('val');
    if (!keyNode || !valNode) continue;
    const keyExpr = readExpr(keyNode, text, depth + 1);
    items.push({
      key: objectKey(keyExpr),
      keyStart: keyNode.startIndex,
      keyEnd: keyNode.endIndex,
      value: readExpr(valNode, text, depth + 1),
      start: elem.startIndex,
      end: elem.endIndex,
    });
  }
  return { kind: 'object', items, start: node.startIndex, end: node.endIndex };
}

/** The key when it is a plain name or a literal string; undefined for computed keys. */
function objectKey(keyExpr: Expr): string | undefined {
  if (keyExpr.kind === 'literal' && typeof keyExpr.value === 'string') return keyExpr.value;
  if (keyExpr.kind === 'ref' && keyExpr.path.length === 0) return keyExpr.root;
  return undefined;
}

const OBJECT_KEY = /[A-Za-z_][\w-]*|"[^"\\$%\r\n]*"/y;
const OBJECT_SEPARATOR = /[ \t]*[=:][ \t]*/y;

/** `key = value` (or `key: value`) from the text alone, when both are simple; else undefined. */
function readSimpleObjectItem(text: string, start: number, limit: number): ObjectItem | undefined {
  OBJECT_KEY.lastIndex = start;
  const k = OBJECT_KEY.exec(text);
  if (!k) return undefined;
  const keyEnd = start + k[0].length;
  OBJECT_SEPARATOR.lastIndex = keyEnd;
  if (!OBJECT_SEPARATOR.test(text)) return undefined;
  const valueStart = OBJECT_SEPARATOR.lastIndex;
  let end = limit;
  while (end > valueStart && isSpace(text.charCodeAt(end - 1))) end--;
  if (text.charCodeAt(end - 1) === 44) {
    end--;
    while (end > valueStart && isSpace(text.charCodeAt(end - 1))) end--;
  }
  const keyExpr = simpleExpr(text, start, keyEnd);
  const value = simpleExpr(text, valueStart, end);
  if (!keyExpr || !value) return undefined;
  return { key: objectKey(keyExpr), keyStart: start, keyEnd, value, start, end };
}

/** The value of a quoted string without interpolation; escapes are decoded as HCL does. */
function stringLitValue(node: SyntaxNode): string {
  let out = '';
  for (const c of node.namedChildren) {
    if (c?.type === 'template_literal') out += c.text;
  }
  return out.replace(/\\(["\\nrt]|u[0-9a-fA-F]{4})/g, (_, e: string) =>
    e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e.length > 1 ? String.fromCharCode(parseInt(e.slice(1), 16)) : e,
  );
}

const HEADER = /([A-Za-z_][\w-]*)((?:[ \t]+(?:"[^"\\$%\r\n]*"|[A-Za-z_][\w-]*))*)[ \t]*\{/y;
const LABEL = /"([^"]*)"|[A-Za-z_][\w-]*/g;

/** readBlock for the usual `type "label" name {` header, read from the text; undefined for anything else. */
function readsBody(block: HclBlock, depth: number, skim: boolean): boolean {
  if (depth >= MAX_BLOCK_DEPTH) return false;
  if (depth === 0) return isRelevantBlock(block.type, block.labels);
  return !skim || MODEL_BLOCKS.has(block.type);
}

function readBlockFromText(node: SyntaxNode, text: string, depth: number, skim: boolean, clean: boolean): HclBlock | undefined {
  const start = node.startIndex;
  const end = node.endIndex;
  HEADER.lastIndex = start;
  const m = HEADER.exec(text);
  if (!m || text.charCodeAt(end - 1) !== 125 || (!clean && node.hasError)) return undefined;
  const typeEnd = start + m[1].length;
  const labels: HclLabel[] = [];
  LABEL.lastIndex = 0;
  for (let l = LABEL.exec(m[2]); l; l = LABEL.exec(m[2])) {
    const at = typeEnd + l.index;
    labels.push({ value: l[1] ?? l[0], start: at, end: at + l[0].length });
  }
  const block: HclBlock = { type: m[1], start, end, typeEnd, labels, bodyStart: HEADER.lastIndex, bodyEnd: end - 1, attributes: [], blocks: [] };
  if (readsBody(block, depth, skim)) {
    // The body is the last named child but one (before block_end): fetch just that node.
    const count = node.namedChildCount;
    const likely = count >= 2 ? node.namedChild(count - 2) : null;
    if (likely?.type === 'body') {
      readBody(likely, text, block.blocks, block.attributes, 0, Infinity, depth + 1, skim || (depth === 0 && block.type === 'resource'), clean, end - 1);
      return block;
    }
    const named = node.namedChildren;
    for (let i = named.length - 2; i > 0; i--) {
      const c = named[i];
      if (c?.type === 'body') {
        readBody(c, text, block.blocks, block.attributes, 0, Infinity, depth + 1, skim || (depth === 0 && block.type === 'resource'), clean, end - 1);
        break;
      }
      if (c?.type === 'block_start') break;
    }
  }
  return block;
}

const NUMBER = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const DOTTED = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
const PLAIN_STRING = /^"[^"\\$%\r\n]*"$/;

/** The Expr readExpr would build, for literals and dotted references, from the text alone; else undefined. */
function simpleExpr(text: string, start: number, end: number): Expr | undefined {
  if (end - start > 200) return undefined;
  const s = text.slice(start, end);
  if (s === 'true' || s === 'false') return { kind: 'literal', value: s === 'true', quoted: false, start, end };
  if (s === 'null') return { kind: 'literal', value: null, quoted: false, start, end };
  if (NUMBER.test(s)) return { kind: 'literal', value: Number(s), quoted: false, start, end };
  if (PLAIN_STRING.test(s)) return { kind: 'literal', value: s.slice(1, -1), quoted: true, start, end };
  if (DOTTED.test(s)) {
    const [root, ...path] = s.split('.');
    return { kind: 'ref', root, path, start, end };
  }
  return undefined;
}
