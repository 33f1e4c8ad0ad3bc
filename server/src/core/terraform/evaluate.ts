// Static evaluation of Terraform expressions: literals, var.x (tfvars, module arguments, defaults), local.x,
// each.key/each.value, dynamic-block iterators and a few pure functions. Anything else is unknown, and an unknown
// value never produces a warning.
import type { Expr } from '../parse/hcl-ast';
import type { Span } from '../types';
import { UNKNOWN, type ListVal, type ObjectVal, type Val } from '../model';
import type { TfModule, TfModuleCall, TfSource } from './module';

/** One use of a module: as a root (no call) or through a `module` block of a parent instance. */
export interface ModuleInstance {
  module: TfModule;
  call?: { call: TfModuleCall; parent: ModuleInstance };
  /** A root's var files for one environment's run (the module's own, then the environment's file); else the module's. */
  varFiles?: TfSource[];
  /** The environment this instance (or the root it is called from) is evaluated for. */
  environment?: string;
  /** Told of each variable and local value when it is first evaluated (model-cache.ts moves their spans with edits). */
  onValue?: (val: Val) => void;
}

export interface Scope {
  instance: ModuleInstance;
  /** `each.key`/`each.value` of the enclosing resource, and dynamic-block iterators by name. */
  iterators: Map<string, { key: Val; value: Val }>;
  /**
   * Variable defaults count as unknown: only what the configuration sets (a literal, a var file, a module argument)
   * is known. A deploy condition is read so (DESIGN §2): false only through a default does not hide a resource.
   */
  strict?: boolean;
}

const MAX_DEPTH = 24;

/**
 * Values of `var.x` and `local.x` per module instance, by the depth they were asked at (a value cut short by
 * MAX_DEPTH depends on it): a local that every `for_each` of a module reads is evaluated once, not once per resource.
 */
const memo = new WeakMap<ModuleInstance, Map<string, Val | undefined>>();

function remembered(instance: ModuleInstance, key: string, compute: () => Val | undefined): Val | undefined {
  let values = memo.get(instance);
  if (!values) memo.set(instance, (values = new Map<string, Val | undefined>()));
  if (values.has(key)) return values.get(key);
  const val = compute();
  values.set(key, val);
  if (val) instance.onValue?.(val);
  return val;
}

export function rootScope(instance: ModuleInstance, strict?: boolean): Scope {
  return strict ? { instance, iterators: new Map(), strict } : { instance, iterators: new Map() };
}

export function withIterator(scope: Scope, name: string, key: Val, value: Val): Scope {
  const iterators = new Map(scope.iterators);
  iterators.set(name, { key, value });
  return { instance: scope.instance, iterators, strict: scope.strict };
}

export function evaluate(expr: Expr, file: string, scope: Scope, depth = 0): Val {
  if (depth > MAX_DEPTH) return UNKNOWN;
  const span = { file, start: expr.start, end: expr.end };
  switch (expr.kind) {
    case 'literal':
      return { kind: 'prim', value: expr.value, quoted: expr.quoted, span };
    case 'template': {
      let text = '';
      for (const part of expr.parts) {
        const v = typeof part === 'string' ? part : evaluate(part, file, scope, depth + 1);
        if (typeof v === 'string') text += v;
        else if (v.kind === 'prim' && v.value !== null && typeof v.value !== 'object') text += String(v.value);
        else return { kind: 'unknown', span, prefix: text || undefined };
      }
      return { kind: 'prim', value: text, quoted: true, span };
    }
    case 'object': {
      const entries = new Map<string, Val>();
      const keys = new Map<string, Span>();
      for (const item of expr.items) {
        if (item.key === undefined) continue;
        entries.set(item.key, evaluate(item.value, file, scope, depth + 1));
        keys.set(item.key, { file, start: item.keyStart, end: item.keyEnd });
      }
      return { kind: 'object', entries, span, keys };
    }
    case 'tuple':
      return { kind: 'list', items: expr.items.map((e) => evaluate(e, file, scope, depth + 1)), span };
    case 'conditional': {
      const c = evaluate(expr.condition, file, scope, depth + 1);
      if (c.kind === 'prim' && typeof c.value === 'boolean') return evaluate(c.value ? expr.then : expr.else, file, scope, depth + 1);
      const a = evaluate(expr.then, file, scope, depth + 1);
      const b = evaluate(expr.else, file, scope, depth + 1);
      // Both branches agree: the value is known whichever way the condition goes.
      return a.kind === 'prim' && b.kind === 'prim' && a.value === b.value ? a : { kind: 'unknown', span };
    }
    case 'call':
      return callFunction(expr.name, expr.args, file, scope, depth, span);
    case 'ref':
      return evaluateRef(expr, file, scope, depth);
    default:
      return { kind: 'unknown', span };
  }
}

function evaluateRef(expr: Extract<Expr, { kind: 'ref' }>, file: string, scope: Scope, depth: number): Val {
  const [first, ...rest] = expr.path;
  let base: Val | undefined;
  let path = rest;
  const iterator = scope.iterators.get(expr.root);
  if (iterator && (first === 'key' || first === 'value')) {
    base = first === 'key' ? iterator.key : iterator.value;
  } else if (expr.root === 'var' && typeof first === 'string') {
    const mode = scope.strict ? '!' : '';
    base = remembered(scope.instance, `${mode}var.${first}@${depth + 1}`, () => variableValue(scope.instance, first, depth + 1, scope.strict));
  } else if (expr.root === 'local' && typeof first === 'string') {
    const local = scope.instance.module.locals.get(first);
    const mode = scope.strict ? '!' : '';
    base =
      local &&
      remembered(scope.instance, `${mode}local.${first}@${depth + 1}`, () =>
        evaluate(local.attr.expr, local.path, rootScope(scope.instance, scope.strict), depth + 1),
      );
  } else {
    path = [];
  }
  if (!base) return { kind: 'unknown', span: { file, start: expr.start, end: expr.end } };
  let current: Val = base;
  for (const step of path) {
    if (current.kind === 'unknown') return current;
    let key: string | number | undefined;
    if (typeof step === 'string' || typeof step === 'number') key = step === '*' ? undefined : step;
    else {
      const k = evaluate(step, file, scope, depth + 1);
      if (k.kind === 'prim' && (typeof k.value === 'string' || typeof k.value === 'number')) key = k.value;
    }
    const next: Val | undefined = key === undefined ? undefined : index(current, key);
    if (!next) return { kind: 'unknown', span: { file, start: expr.start, end: expr.end } };
    current = next;
  }
  return current;
}

function index(val: Val, key: string | number): Val | undefined {
  if (val.kind === 'object') return val.entries.get(String(key));
  if (val.kind === 'list' && typeof key === 'number') return val.items[key];
  return undefined;
}

/**
 * var.x: a module argument of the calling instance, else the highest-precedence var file (the instance's own list
 * when it is one environment's run), else the default; `strict` leaves the default unknown.
 */
export function variableValue(instance: ModuleInstance, name: string, depth = 0, strict?: boolean): Val | undefined {
  const decl = instance.module.variables.get(name);
  if (!decl) return undefined;
  if (instance.call) {
    const arg = instance.call.call.block.attributes.find((a) => a.name === name);
    if (arg) return evaluate(arg.expr, instance.call.call.path, rootScope(instance.call.parent, strict), depth + 1);
  } else {
    const files = instance.varFiles ?? instance.module.varFiles;
    for (let i = files.length - 1; i >= 0; i--) {
      const attr = files[i].file.attributes.find((a) => a.name === name);
      if (attr) return evaluate(attr.expr, files[i].path, rootScope(instance, strict), depth + 1);
    }
  }
  const def = decl.block.attributes.find((a) => a.name === 'default');
  return def && !strict ? evaluate(def.expr, decl.path, rootScope(instance), depth + 1) : { kind: 'unknown' };
}

function callFunction(name: string, args: Expr[], file: string, scope: Scope, depth: number, span: Span): Val {
  const arg = (i: number) => (args[i] ? evaluate(args[i], file, scope, depth + 1) : UNKNOWN);
  switch (name) {
    // Conversions keep the argument's span: the literal the user edits is the argument.
    case 'tobool':
    case 'tostring':
    case 'tonumber':
    case 'jsonencode':
    case 'sensitive':
    case 'nonsensitive':
    case 'tomap':
    case 'tolist':
    case 'toset':
      return arg(0);
    case 'lower':
    case 'upper': {
      const v = arg(0);
      if (v.kind !== 'prim' || typeof v.value !== 'string') return { kind: 'unknown', span };
      return { ...v, value: name === 'lower' ? v.value.toLowerCase() : v.value.toUpperCase() };
    }
    case 'lookup': {
      const map = arg(0);
      const key = arg(1);
      if (map.kind !== 'object' || key.kind !== 'prim') return { kind: 'unknown', span };
      return map.entries.get(String(key.value)) ?? (args[2] ? arg(2) : { kind: 'unknown', span });
    }
    case 'merge': {
      const entries = new Map<string, Val>();
      for (let i = 0; i < args.length; i++) {
        const v = arg(i);
        if (v.kind !== 'object') return { kind: 'unknown', span };
        for (const [k, e] of v.entries) entries.set(k, e);
      }
      return { kind: 'object', entries, span } satisfies ObjectVal;
    }
    case 'try':
    case 'coalesce': {
      for (let i = 0; i < args.length; i++) {
        const v = arg(i);
        if (v.kind === 'unknown') return { kind: 'unknown', span };
        if (name === 'try' || (v.kind === 'prim' && v.value !== null && v.value !== '') || v.kind !== 'prim') return v;
      }
      return { kind: 'unknown', span };
    }
    case 'concat': {
      const items: Val[] = [];
      for (let i = 0; i < args.length; i++) {
        const v = arg(i);
        if (v.kind !== 'list') return { kind: 'unknown', span };
        items.push(...v.items);
      }
      return { kind: 'list', items, span } satisfies ListVal;
    }
    default:
      return { kind: 'unknown', span };
  }
}
