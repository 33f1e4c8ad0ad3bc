// ARM template values: JSON nodes into the model's values, and a small evaluator of the deterministic template
// functions real templates use to pass TLS settings around (`[if(not(empty(parameters('tls'))), ...)]`). Anything
// the evaluator does not know is unknown, and unknown never produces a finding.
import type { Node } from 'jsonc-parser';
import { MAX_NESTING_DEPTH } from '../nesting-too-deep';
import { type ListVal, type ObjectVal, type PrimVal, type UnknownVal, type Val } from '../model';
import type { Span } from '../types';

/** What `parameters('x')` and `variables('x')` mean where an expression is evaluated. */
export interface ArmScope {
  file: string;
  parameter(name: string): Val;
  variable(name: string): Val;
}

/** The value a JSON node writes, with expression strings evaluated in `scope` (none in a parameters file). */
export function nodeVal(node: Node, file: string, scope: ArmScope | undefined, depth = 0): Val {
  const span: Span = { file, start: node.offset, end: node.offset + node.length };
  // The tree is capped (json-depth.ts); this keeps the walk bounded for any tree it is handed.
  if (depth > MAX_NESTING_DEPTH) return { kind: 'unknown', span };
  switch (node.type) {
    case 'object': {
      const entries = new Map<string, Val>();
      const keys = new Map<string, Span>();
      for (const p of node.children ?? []) {
        const [k, v] = p.children ?? [];
        if (!k || !v || typeof k.value !== 'string') continue;
        entries.set(k.value, nodeVal(v, file, scope, depth + 1));
        keys.set(k.value, { file, start: k.offset, end: k.offset + k.length });
      }
      return { kind: 'object', entries, span, keys };
    }
    case 'array':
      return { kind: 'list', items: (node.children ?? []).map((c) => nodeVal(c, file, scope, depth + 1)), span };
    case 'string': {
      const s = node.value as string;
      if (scope && isExpression(s)) return evaluateString(s, span, scope);
      return { kind: 'prim', value: scope && s.startsWith('[[') ? s.slice(1) : s, span, quoted: true };
    }
    case 'number':
    case 'boolean':
    case 'null':
      return { kind: 'prim', value: (node.value as boolean | number | null | undefined) ?? null, span, quoted: false };
    default:
      return { kind: 'unknown', span };
  }
}

/** `[...]` is an expression; `[[...` is a literal string that starts with `[`. */
export function isExpression(s: string): boolean {
  return s.length >= 2 && s[0] === '[' && s[1] !== '[' && s.trimEnd().endsWith(']');
}

/**
 * Evaluates an expression string whose JSON literal spans `span`; computed results take that span. A parameter
 * whose default reads another parameter evaluates that one inside this call: past MAX_EVALUATION_NESTING such
 * steps the value is unknown, so a chain of thousands cannot exhaust the stack.
 */
export function evaluateString(s: string, span: Span, scope: ArmScope): Val {
  if (nesting >= MAX_EVALUATION_NESTING) return { kind: 'unknown', span };
  const ast = parseExpression(s.trim().slice(1, -1));
  if (!ast) return { kind: 'unknown', span };
  nesting++;
  try {
    return new Evaluator(scope, span).eval(ast);
  } finally {
    nesting--;
  }
}

/** Expression strings being evaluated, one inside another (through parameters and variables). */
let nesting = 0;
const MAX_EVALUATION_NESTING = 32;

/** Calls, indexes and parentheses nested deeper than this make an expression unreadable (so its value unknown). */
export const MAX_EXPRESSION_DEPTH = 64;

export type Expr =
  | { k: 'str'; v: string; text: string }
  | { k: 'num'; v: number; text: string }
  | { k: 'call'; name: string; args: Expr[]; text: string }
  | { k: 'prop'; obj: Expr; name: string; text: string }
  | { k: 'index'; obj: Expr; index: Expr; text: string };

/** Parses the inside of `[...]`; undefined when it is not an expression this parser reads (or nests too deep). */
export function parseExpression(src: string): Expr | undefined {
  let i = 0;
  let depth = 0;
  // Sticky patterns match at `i` without copying the rest of the text for every token.
  const match = (re: RegExp) => {
    re.lastIndex = i;
    return re.exec(src);
  };
  const ws = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const primary = (): Expr | undefined => {
    ws();
    const start = i;
    if (src[i] === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) return undefined;
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src[i++];
      }
      return { k: 'str', v, text: src.slice(start, i) };
    }
    const num = match(NUMBER);
    if (num) {
      i += num[0].length;
      return { k: 'num', v: Number(num[0]), text: num[0] };
    }
    const id = match(FUNCTION_NAME);
    if (!id) return undefined;
    i += id[0].length;
    ws();
    i++; // (
    const args: Expr[] = [];
    ws();
    if (src[i] === ')') i++;
    else {
      for (;;) {
        const a = expr();
        if (!a) return undefined;
        args.push(a);
        ws();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === ')') {
          i++;
          break;
        }
        return undefined;
      }
    }
    return { k: 'call', name: id[0].toLowerCase(), args, text: src.slice(start, i) };
  };
  const expr = (): Expr | undefined => {
    // Every nested call and every `.x` or `[i]` step deepens the tree the evaluator walks recursively: together
    // they may not go deeper than MAX_EXPRESSION_DEPTH, whatever the input.
    const entered = depth;
    try {
      if (++depth > MAX_EXPRESSION_DEPTH) return undefined;
      ws();
      const start = i;
      let e = primary();
      while (e) {
        ws();
        if (src[i] !== '.' && src[i] !== '[') break;
        if (++depth > MAX_EXPRESSION_DEPTH) return undefined;
        if (src[i] === '.') {
          i++;
          const m = match(PROPERTY_NAME);
          if (!m) return undefined;
          i += m[0].length;
          e = { k: 'prop', obj: e, name: m[1], text: src.slice(start, i) };
        } else {
          i++;
          const index = expr();
          ws();
          if (!index || src[i] !== ']') return undefined;
          i++;
          e = { k: 'index', obj: e, index, text: src.slice(start, i) };
        }
      }
      return e;
    } finally {
      depth = entered;
    }
  };
  const out = expr();
  ws();
  return out && i === src.length ? out : undefined;
}

const NUMBER = /-?\d+(\.\d+)?/y;
const FUNCTION_NAME = /[A-Za-z_$][\w$.]*?(?=\s*\()/y;
const PROPERTY_NAME = /\s*([A-Za-z_$][\w$]*)/y;

class Evaluator {
  constructor(
    private readonly scope: ArmScope,
    private readonly here: Span,
  ) {}

  eval(e: Expr): Val {
    switch (e.k) {
      case 'str':
        return this.prim(e.v);
      case 'num':
        return this.prim(e.v);
      case 'prop': {
        const obj = this.eval(e.obj);
        if (obj.kind === 'object') return obj.entries.get(e.name) ?? this.unknown();
        return this.unknown();
      }
      case 'index': {
        const obj = this.eval(e.obj);
        const idx = this.eval(e.index);
        if (obj.kind === 'list' && idx.kind === 'prim' && typeof idx.value === 'number') return obj.items[idx.value] ?? this.unknown();
        if (obj.kind === 'object' && idx.kind === 'prim' && typeof idx.value === 'string') return obj.entries.get(idx.value) ?? this.unknown();
        return this.unknown();
      }
      case 'call':
        return this.call(e.name, e.args);
    }
  }

  private call(name: string, args: Expr[]): Val {
    const arg = (n: number) => (args[n] ? this.eval(args[n]) : this.unknown());
    switch (name) {
      case 'parameters':
      case 'variables': {
        const key = arg(0);
        if (key.kind !== 'prim' || typeof key.value !== 'string') return this.unknown();
        return name === 'parameters' ? this.scope.parameter(key.value) : this.scope.variable(key.value);
      }
      case 'if': {
        const c = truth(arg(0));
        if (c === true) return arg(1);
        if (c === false) return arg(2);
        const a = arg(1);
        const b = arg(2);
        // Both branches agreeing on a primitive is as good as knowing the condition.
        return a.kind === 'prim' && b.kind === 'prim' && a.value === b.value ? a : this.unknown();
      }
      case 'not': {
        const v = truth(arg(0));
        return v === undefined ? this.unknown() : this.prim(!v);
      }
      case 'and':
      case 'or': {
        const vals = args.map((a) => truth(this.eval(a)));
        const decisive = name === 'and' ? false : true;
        if (vals.includes(decisive)) return this.prim(decisive);
        return vals.includes(undefined) ? this.unknown() : this.prim(!decisive);
      }
      case 'empty': {
        const v = arg(0);
        if (v.kind === 'prim') return this.prim(v.value === null || v.value === '');
        if (v.kind === 'object') return this.prim(v.entries.size === 0);
        if (v.kind === 'list') return this.prim(v.items.length === 0);
        return this.unknown();
      }
      case 'equals': {
        const a = arg(0);
        const b = arg(1);
        return a.kind === 'prim' && b.kind === 'prim' ? this.prim(a.value === b.value) : this.unknown();
      }
      case 'coalesce': {
        for (const a of args) {
          const v = this.eval(a);
          if (v.kind === 'unknown') return this.unknown();
          if (!(v.kind === 'prim' && v.value === null)) return v;
        }
        return this.prim(null);
      }
      case 'createobject': {
        const entries = new Map<string, Val>();
        for (let n = 0; n + 1 < args.length; n += 2) {
          const k = this.eval(args[n]);
          if (k.kind !== 'prim' || typeof k.value !== 'string') return this.unknown();
          entries.set(k.value, this.eval(args[n + 1]));
        }
        return { kind: 'object', entries, span: this.here } satisfies ObjectVal;
      }
      case 'createarray':
        return { kind: 'list', items: args.map((a) => this.eval(a)), span: this.here } satisfies ListVal;
      case 'null':
        return this.prim(null);
      case 'true':
        return this.prim(true);
      case 'false':
        return this.prim(false);
      case 'json': {
        const v = arg(0);
        if (v.kind !== 'prim' || typeof v.value !== 'string') return this.unknown();
        try {
          return this.fromJs(JSON.parse(v.value));
        } catch {
          return this.unknown();
        }
      }
      case 'bool': {
        const v = arg(0);
        if (v.kind !== 'prim') return this.unknown();
        if (typeof v.value === 'boolean') return v;
        const s = typeof v.value === 'string' ? v.value.trim().toLowerCase() : undefined;
        // The value stays where it is written, so a fix edits the string the user typed.
        if (s === 'true' || s === 'false') return { ...v, value: s === 'true' };
        if (typeof v.value === 'number') return this.prim(v.value !== 0);
        return this.unknown();
      }
      case 'string': {
        const v = arg(0);
        return v.kind === 'prim' && v.value !== null ? this.prim(String(v.value)) : this.unknown();
      }
      case 'tolower':
      case 'toupper': {
        const v = arg(0);
        if (v.kind !== 'prim' || typeof v.value !== 'string') return this.unknown();
        return this.prim(name === 'tolower' ? v.value.toLowerCase() : v.value.toUpperCase());
      }
      case 'concat': {
        const vals = args.map((a) => this.eval(a));
        if (vals.length && vals.every((v) => v.kind === 'list')) {
          return { kind: 'list', items: vals.flatMap((v) => v.items), span: this.here };
        }
        return this.joined(vals);
      }
      case 'format': {
        const f = arg(0);
        if (f.kind !== 'prim' || typeof f.value !== 'string') return this.unknown();
        const parts: Val[] = [];
        const re = /\{(\d+)(:[^}]*)?\}/g;
        let last = 0;
        for (let m = re.exec(f.value); m; m = re.exec(f.value)) {
          parts.push(this.prim(f.value.slice(last, m.index)));
          parts.push(m[2] ? this.unknown() : args[Number(m[1]) + 1] ? this.eval(args[Number(m[1]) + 1]) : this.unknown());
          last = m.index + m[0].length;
        }
        parts.push(this.prim(f.value.slice(last)));
        return this.joined(parts);
      }
      default:
        return this.unknown();
    }
  }

  /** Strings joined; when a part is unknown, the known text before it is kept as the unknown's prefix. */
  private joined(parts: Val[]): Val {
    let text = '';
    for (const p of parts) {
      if (p.kind === 'prim' && (typeof p.value === 'string' || typeof p.value === 'number' || typeof p.value === 'boolean')) text += String(p.value);
      else return { kind: 'unknown', span: this.here, prefix: text };
    }
    return this.prim(text);
  }

  /** A value `json('...')` parsed (JSON.parse does not recurse; this walk does, so it stops at the JSON cap). */
  private fromJs(v: unknown, depth = 0): Val {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return this.prim(v);
    if (depth >= MAX_NESTING_DEPTH) return this.unknown();
    if (Array.isArray(v)) return { kind: 'list', items: v.map((x) => this.fromJs(x, depth + 1)), span: this.here };
    if (typeof v === 'object') return { kind: 'object', entries: new Map(Object.entries(v).map(([k, x]) => [k, this.fromJs(x, depth + 1)])), span: this.here };
    return this.unknown();
  }

  private prim(value: PrimVal['value']): PrimVal {
    // A computed value is written as the whole expression string: a string result keeps the quotes when edited,
    // anything else replaces the expression with a JSON literal.
    return { kind: 'prim', value, span: this.here, quoted: typeof value === 'string' };
  }

  private unknown(): UnknownVal {
    return { kind: 'unknown', span: this.here };
  }
}

/** A condition's truth: JSON booleans and the strings "true"/"false". */
function truth(v: Val): boolean | undefined {
  if (v.kind !== 'prim') return undefined;
  if (typeof v.value === 'boolean') return v.value;
  if (typeof v.value === 'string' && /^(true|false)$/i.test(v.value.trim())) return v.value.trim().toLowerCase() === 'true';
  return undefined;
}
