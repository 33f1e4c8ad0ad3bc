// Static evaluation of Bicep expressions: literals, interpolated strings, params (from the call, a .bicepparam or
// parameters JSON file, else the default), vars, loop variables, member and index access, `??`, `?:`, `!`, `==`,
// `&&`, object spreads, `[for ...]` and a few pure functions. Anything else is unknown, and unknown never warns.
import { UNKNOWN, type ObjectVal, type Val } from '../model';
import type { Span } from '../types';
import { textOf, type BicepFile, type BNode } from './ast';

export interface Unit {
  file: BicepFile;
  params: Map<string, BNode>;
  vars: Map<string, BNode>;
}

export interface Scope {
  unit: Unit;
  /** Values given to params from outside (module call, .bicepparam, parameters JSON). */
  given: Map<string, Val>;
  /** Loop variables in scope. */
  locals: Map<string, Val>;
  /**
   * Param defaults count as unknown: only what the configuration sets (a literal, a parameters file, a module call's
   * params read the same way) is known. A deploy condition is read so (DESIGN §2).
   */
  strict?: boolean;
  /** The values a module call gives, read strictly (its `given` read defaults of the caller's params). */
  strictGiven?: Map<string, Val>;
}

const MAX_DEPTH = 32;

/** Objects with a spread the linter could not read: a key they lack may still be set. */
const partial = new WeakSet<ObjectVal>();

/** The object has a spread the linter could not read. */
export function isPartial(val: Val | undefined): boolean {
  return val?.kind === 'object' && partial.has(val);
}

export function unitOf(file: BicepFile): Unit {
  const params = new Map<string, BNode>();
  const vars = new Map<string, BNode>();
  for (const s of file.root.named) {
    const name = s.named[0];
    if (!name || name.type !== 'identifier') continue;
    if (s.type === 'parameter_declaration') params.set(textOf(file, name), s);
    else if (s.type === 'variable_declaration') vars.set(textOf(file, name), s);
  }
  return { file, params, vars };
}

export function withLocal(scope: Scope, name: string, val: Val): Scope {
  const locals = new Map(scope.locals);
  locals.set(name, val);
  return { ...scope, locals };
}

/** `key` of an object value; unknown when the object is unknown or has a spread that may set the key. */
export function get(val: Val | undefined, key: string): Val | undefined {
  if (!val) return undefined;
  if (val.kind === 'unknown') return { kind: 'unknown', span: val.span };
  if (val.kind !== 'object') return undefined;
  const hit = val.entries.get(key);
  if (hit || !partial.has(val)) return hit;
  return { kind: 'unknown', span: val.span };
}

export function evaluate(node: BNode, scope: Scope, depth = 0): Val {
  const file = scope.unit.file;
  const span: Span = { file: file.path, start: node.start, end: node.end };
  if (depth > MAX_DEPTH) return { kind: 'unknown', span };
  const ev = (n: BNode | undefined) => (n ? evaluate(n, scope, depth + 1) : UNKNOWN);
  switch (node.type) {
    case 'string':
      return stringValue(node, scope, depth, span);
    case 'boolean':
      return { kind: 'prim', value: textOf(file, node) === 'true', quoted: false, span };
    case 'number':
      return { kind: 'prim', value: Number(textOf(file, node)), quoted: false, span };
    case 'null':
      return { kind: 'prim', value: null, quoted: false, span };
    case 'object':
      return objectValue(node, scope, depth, span);
    case 'array':
      return { kind: 'list', items: node.named.map(ev), span };
    case 'for_statement':
      return forValue(node, scope, depth, span);
    case 'parenthesized_expression':
      return ev(node.named[0]);
    case 'identifier':
      return identifierValue(textOf(file, node), scope, depth, span);
    case 'member_expression': {
      const base = ev(node.named[0]);
      const prop = node.named[1];
      if (base.kind === 'unknown' || !prop) return { kind: 'unknown', span };
      return get(base, textOf(file, prop)) ?? { kind: 'unknown', span };
    }
    case 'subscript_expression': {
      const base = ev(node.named[0]);
      const index = ev(node.named[1]);
      if (index.kind !== 'prim') return { kind: 'unknown', span };
      if (base.kind === 'list' && typeof index.value === 'number') return base.items[index.value] ?? { kind: 'unknown', span };
      if (base.kind === 'object' && typeof index.value === 'string') return get(base, index.value) ?? { kind: 'unknown', span };
      return { kind: 'unknown', span };
    }
    case 'ternary_expression': {
      const c = ev(node.named[0]);
      if (c.kind === 'prim' && typeof c.value === 'boolean') return ev(c.value ? node.named[1] : node.named[2]);
      const a = ev(node.named[1]);
      const b = ev(node.named[2]);
      // Both branches agree: the value is known whichever way the condition goes.
      return a.kind === 'prim' && b.kind === 'prim' && a.value === b.value ? a : { kind: 'unknown', span };
    }
    case 'binary_expression':
      return binaryValue(node, scope, depth, span);
    case 'unary_expression': {
      const op = file.text.slice(node.start, node.named[0]?.start ?? node.end).trim();
      const v = ev(node.named[0]);
      if (op === '!' && v.kind === 'prim' && typeof v.value === 'boolean') return { kind: 'prim', value: !v.value, quoted: false, span };
      if (op === '-' && v.kind === 'prim' && typeof v.value === 'number') return { kind: 'prim', value: -v.value, quoted: false, span };
      return { kind: 'unknown', span };
    }
    case 'call_expression':
      return callValue(node, scope, depth, span);
    default:
      return { kind: 'unknown', span };
  }
}

/** A param's value: given from outside, else its default, else null for a nullable param, else unknown. */
export function paramValue(name: string, scope: Scope, depth = 0): Val | undefined {
  const decl = scope.unit.params.get(name);
  const given = (scope.strict ? (scope.strictGiven ?? scope.given) : scope.given).get(name);
  if (given) return given;
  if (!decl) return undefined;
  const span = { file: scope.unit.file.path, start: decl.start, end: decl.end };
  if (scope.strict) return { kind: 'unknown', span };
  const root: Scope = { ...scope, locals: new Map() };
  const def = decl.named[2];
  if (def) return evaluate(def, root, depth + 1);
  const type = decl.named[1];
  return type?.type === 'nullable_type' || (type && textOf(scope.unit.file, type).trim().endsWith('?'))
    ? { kind: 'prim', value: null, quoted: false, span }
    : { kind: 'unknown', span };
}

function identifierValue(name: string, scope: Scope, depth: number, span: Span): Val {
  const local = scope.locals.get(name);
  if (local) return local;
  const param = paramValue(name, scope, depth);
  if (param) return param;
  const v = scope.unit.vars.get(name);
  if (v) {
    const expr = v.named[v.named.length - 1];
    if (expr && expr !== v.named[0]) return evaluate(expr, { ...scope, locals: new Map() }, depth + 1);
  }
  return { kind: 'unknown', span };
}

function stringValue(node: BNode, scope: Scope, depth: number, span: Span): Val {
  const text = scope.unit.file.text;
  const raw = text.slice(node.start, node.end);
  if (raw.startsWith("'''")) return { kind: 'prim', value: raw.slice(3, -3).replace(/^\r?\n/, ''), quoted: true, span };
  let value = '';
  let at = node.start + 1;
  for (const part of node.named) {
    value += text.slice(at, part.start);
    at = part.end;
    if (part.type === 'string_content') value += text.slice(part.start, part.end);
    else if (part.type === 'escape_sequence') value += unescape(text.slice(part.start, part.end));
    else if (part.type === 'interpolation') {
      const v = part.named[0] ? evaluate(part.named[0], scope, depth + 1) : UNKNOWN;
      if (v.kind === 'prim' && v.value !== null) value += String(v.value);
      else return { kind: 'unknown', span, prefix: value || undefined };
    }
  }
  value += text.slice(at, Math.max(at, node.end - 1));
  return { kind: 'prim', value, quoted: true, span };
}

function unescape(seq: string): string {
  const m = /^\\u\{([0-9a-fA-F]+)\}$/.exec(seq);
  if (m) return String.fromCodePoint(parseInt(m[1], 16));
  return { n: '\n', r: '\r', t: '\t' }[seq[1]] ?? seq.slice(1);
}

function objectValue(node: BNode, scope: Scope, depth: number, span: Span): ObjectVal {
  const file = scope.unit.file;
  const entries = new Map<string, Val>();
  const out: ObjectVal = { kind: 'object', entries, span };
  for (const prop of node.named) {
    if (prop.type !== 'object_property' || prop.named.length < 2) continue;
    const [keyNode, valueNode] = prop.named;
    // `...x` was rewritten to `_: x` before parsing (see prepareBicepText).
    if (file.text.startsWith('...', keyNode.start)) {
      const v = evaluate(valueNode, scope, depth + 1);
      if (v.kind === 'object') {
        for (const [k, e] of v.entries) entries.set(k, e);
        if (partial.has(v)) partial.add(out);
      } else partial.add(out);
      continue;
    }
    const key = keyNode.type === 'string' ? evaluate(keyNode, scope, depth + 1) : undefined;
    const name = key ? (key.kind === 'prim' ? String(key.value) : undefined) : textOf(file, keyNode);
    if (name === undefined) {
      partial.add(out);
      continue;
    }
    entries.set(name, evaluate(valueNode, scope, depth + 1));
    (out.keys ??= new Map()).set(name, { file: file.path, start: keyNode.start, end: keyNode.end });
  }
  return out;
}

/** `[for x in list: body]` and `[for (x, i) in list: if (c) body]`; the parts of a loop as the grammar gives them. */
export function loopParts(node: BNode, file: BicepFile): { item?: string; index?: string; collection?: BNode; body?: BNode } {
  const [vars, collection, body] = node.named;
  if (!vars) return {};
  if (vars.type === 'for_loop_parameters') {
    const [item, index] = vars.named;
    return { item: item && textOf(file, item), index: index && textOf(file, index), collection, body };
  }
  return { item: textOf(file, vars), collection, body };
}

/** Each element of a loop: its scope, or none when the list is unknown (then one scope with the item unknown). */
export function loopScopes(node: BNode, scope: Scope, depth = 0): { scopes: Array<{ scope: Scope; key?: string }>; known: boolean; body?: BNode } {
  const { item, index, collection, body } = loopParts(node, scope.unit.file);
  const coll = collection ? evaluate(collection, scope, depth + 1) : UNKNOWN;
  const bind = (s: Scope, v: Val, i: Val) => {
    let out = item ? withLocal(s, item, v) : s;
    if (index) out = withLocal(out, index, i);
    return out;
  };
  if (coll.kind === 'list') {
    return {
      known: true,
      body,
      scopes: coll.items.map((v, i) => ({ key: String(i), scope: bind(scope, v, { kind: 'prim', value: i, quoted: false, span: v.span ?? coll.span }) })),
    };
  }
  const unknown: Val = { kind: 'unknown', span: coll.span };
  return { known: false, body, scopes: [{ scope: bind(scope, unknown, unknown) }] };
}

function forValue(node: BNode, scope: Scope, depth: number, span: Span): Val {
  const { scopes, known, body } = loopScopes(node, scope, depth);
  if (!known || !body) return { kind: 'unknown', span };
  const items: Val[] = [];
  for (const { scope: s } of scopes) {
    let b: BNode | undefined = body;
    if (b.type === 'if_statement') {
      const c = b.named[0] ? evaluate(b.named[0], s, depth + 1) : UNKNOWN;
      if (c.kind === 'prim' && c.value === false) continue;
      if (c.kind !== 'prim' || c.value !== true) return { kind: 'unknown', span };
      b = b.named[1];
    }
    items.push(b ? evaluate(b, s, depth + 1) : UNKNOWN);
  }
  return { kind: 'list', items, span };
}

function binaryValue(node: BNode, scope: Scope, depth: number, span: Span): Val {
  const [l, r] = node.named;
  if (!l || !r) return { kind: 'unknown', span };
  const op = scope.unit.file.text.slice(l.end, r.start).trim();
  const left = evaluate(l, scope, depth + 1);
  if (op === '??') {
    return left.kind === 'unknown' || (left.kind === 'prim' && left.value === null) ? evaluate(r, scope, depth + 1) : left;
  }
  const right = evaluate(r, scope, depth + 1);
  const bool = (value: boolean): Val => ({ kind: 'prim', value, quoted: false, span });
  if (left.kind !== 'prim' || right.kind !== 'prim') return { kind: 'unknown', span };
  const a = left.value;
  const b = right.value;
  switch (op) {
    case '==':
      return bool(a === b);
    case '!=':
      return bool(a !== b);
    case '=~':
      return typeof a === 'string' && typeof b === 'string' ? bool(a.toLowerCase() === b.toLowerCase()) : bool(a === b);
    case '!~':
      return typeof a === 'string' && typeof b === 'string' ? bool(a.toLowerCase() !== b.toLowerCase()) : bool(a !== b);
    case '&&':
      return typeof a === 'boolean' && typeof b === 'boolean' ? bool(a && b) : { kind: 'unknown', span };
    case '||':
      return typeof a === 'boolean' && typeof b === 'boolean' ? bool(a || b) : { kind: 'unknown', span };
    default:
      return { kind: 'unknown', span };
  }
}

function callValue(node: BNode, scope: Scope, depth: number, span: Span): Val {
  const file = scope.unit.file;
  const fn = node.named[0];
  const argsNode = node.named.find((n) => n.type === 'arguments');
  if (!fn || !argsNode) return { kind: 'unknown', span };
  // `sys.empty(...)` is `empty(...)`; any other namespace (`az.`) is not evaluated.
  const name = textOf(file, fn).replace(/^sys\./, '');
  const args = argsNode.named;
  const arg = (i: number) => (args[i] ? evaluate(args[i], scope, depth + 1) : UNKNOWN);
  const unknown: Val = { kind: 'unknown', span };
  switch (name) {
    case 'bool': {
      const v = arg(0);
      if (v.kind !== 'prim') return unknown;
      if (typeof v.value === 'boolean') return v;
      // The literal the user edits is the argument: keep its span and quotes.
      if (typeof v.value === 'string' && /^(true|false)$/i.test(v.value.trim())) return v;
      return unknown;
    }
    case 'string':
      return arg(0);
    case 'toLower':
    case 'toUpper': {
      const v = arg(0);
      if (v.kind !== 'prim' || typeof v.value !== 'string') return unknown;
      return { ...v, value: name === 'toLower' ? v.value.toLowerCase() : v.value.toUpperCase() };
    }
    case 'empty': {
      const v = arg(0);
      if (v.kind === 'prim') return { kind: 'prim', value: v.value === null || v.value === '', quoted: false, span };
      if (v.kind === 'object') return partial.has(v) ? unknown : { kind: 'prim', value: v.entries.size === 0, quoted: false, span };
      if (v.kind === 'list') return { kind: 'prim', value: v.items.length === 0, quoted: false, span };
      return unknown;
    }
    case 'coalesce': {
      for (let i = 0; i < args.length; i++) {
        const v = arg(i);
        if (v.kind === 'unknown') return unknown;
        if (!(v.kind === 'prim' && v.value === null)) return v;
      }
      return unknown;
    }
    case 'union': {
      const entries = new Map<string, Val>();
      for (let i = 0; i < args.length; i++) {
        const v = arg(i);
        if (v.kind !== 'object' || partial.has(v)) return unknown;
        for (const [k, e] of v.entries) entries.set(k, e);
      }
      return { kind: 'object', entries, span };
    }
    case 'concat': {
      const items: Val[] = [];
      for (let i = 0; i < args.length; i++) {
        const v = arg(i);
        if (v.kind !== 'list') return unknown;
        items.push(...v.items);
      }
      return { kind: 'list', items, span };
    }
    case 'range': {
      const a = arg(0);
      const n = arg(1);
      if (a.kind !== 'prim' || n.kind !== 'prim' || typeof a.value !== 'number' || typeof n.value !== 'number' || n.value > 1000) return unknown;
      const start = a.value;
      return { kind: 'list', items: Array.from({ length: Math.max(0, n.value) }, (_, i) => ({ kind: 'prim', value: start + i, quoted: false, span })), span };
    }
    default:
      return unknown;
  }
}
