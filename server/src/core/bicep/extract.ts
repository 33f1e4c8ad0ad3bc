// Bicep files into the format-neutral model: backend resources (`.../backends@v`, `.../workspaces/backends@v`, and
// `resource b 'backends'` nested in a service), services (`Microsoft.ApiManagement/service@v`) and the links between
// them (`parent:` or nesting), one instance per loop element and condition, with params given by a `.bicepparam`
// file, a parameters JSON file beside the template, or the `params` of a local module call one level up.
import type { Node as JsonNode } from 'jsonc-parser';
import { parseJsonTree } from '../json-depth';
import { NESTING_TOO_DEEP_CODE, tooDeepNotice } from '../nesting-too-deep';
import { POLICY, type SourceText } from '../formats';
import type { EmbeddedText, FormatResult } from '../source-format';
import { asString, type ApiVersion, type Backend, type BlockSpan, type Bound, type Model, type PolicyOwner, type Service, type Val } from '../model';
import { bicepStringText, type MappedText } from '../policies/host-strings';
import { OffsetMap } from '../policies/offset-map';
import type { BicepParser } from '../parse/bicep-parser';
import { PARSE_BUDGET_CODE } from '../parse/parse-budget';
import { avmBicepServiceVersion } from '../registry-modules';
import { apiVersionOf, caStoreOf, gatewaySwitchesOf, isPool, misplacedTls, pinsOf } from '../resource-body';
import type { Finding, Span } from '../types';
import { parseBicepFile, pruneCache, textOf, type BicepFile, type BNode } from './ast';
import { avmServiceCall } from './avm-service';
import { evaluate, get, isPartial, loopScopes, unitOf, type Scope, type Unit } from './evaluate';

export type { BicepParser } from '../parse/bicep-parser';

export const BICEP_PARSE_BUDGET_CODE = PARSE_BUDGET_CODE;

const BACKEND_TYPE = /^Microsoft\.ApiManagement\/service\/(workspaces\/)?backends$/i;
const SERVICE_TYPE = /^Microsoft\.ApiManagement\/service$/i;
/** Policies of an API, an operation, a product or the service (in a workspace too), and APIs. */
const POLICY_TYPE = /^Microsoft\.ApiManagement\/service\/(?:workspaces\/)?(?:(apis)\/(?:(operations)\/)?|(products)\/)?policies$/i;
const API_TYPE = /^Microsoft\.ApiManagement\/service\/(?:workspaces\/)?apis$/i;

/**
 * Extracts every .bicep file among `files` with its .bicepparam and parameters JSON files (other files are ignored);
 * with `only`, just the units (a template, its param files and the local modules it calls) touching those paths.
 * `others` gives the workspace's files of other formats that a template may read (its parameters JSON).
 */
export function extractBicepModel(
  parser: BicepParser,
  files: readonly SourceText[],
  only?: ReadonlySet<string>,
  others: (path: string) => SourceText | undefined = () => undefined,
  loadText: (path: string) => string | undefined = () => undefined,
): FormatResult {
  const model: Model = { backends: [], services: [], overlays: [], dependsOn: [] };
  const embedded: EmbeddedText[] = [];
  const notices: Finding[] = [];
  const covered = new Set<string>();
  const own = new Map(files.map((f) => [f.path, f]));
  const byPath = { get: (p: string) => own.get(p) ?? others(p), has: (p: string) => own.has(p) || others(p) !== undefined };
  pruneCache(new Set(files.filter((f) => /\.(bicep|bicepparam)$/i.test(f.path)).map((f) => f.path)));

  const parsed = new Map<string, BicepFile | null>();
  const load = (path: string): BicepFile | undefined => {
    if (parsed.has(path)) return parsed.get(path) ?? undefined;
    const src = byPath.get(path);
    let file: BicepFile | null = null;
    if (src) {
      const outcome = parseBicepFile(parser, path, src.text);
      if (outcome.ok) file = outcome.file;
      else notices.push(budgetNotice(path));
      if (file?.tooDeepAt !== undefined) notices.push(tooDeepNotice(path, file.tooDeepAt));
    }
    parsed.set(path, file);
    return file ?? undefined;
  };

  const templates = files.filter((f) => /\.bicep$/i.test(f.path));
  // A template is relevant when it can declare a backend or a service, or calls a module that can.
  const relevant = (f: SourceText) => /ApiManagement|\bmodule\b/.test(f.text);
  const called = new Map<string, string[]>();
  for (const t of templates) {
    if (!relevant(t) || !/\bmodule\b/.test(t.text)) continue;
    const file = load(t.path);
    if (!file) continue;
    for (const s of file.root.named) {
      if (s.type !== 'module_declaration') continue;
      const target = modulePath(file, s);
      if (target && byPath.has(target) && target !== t.path) called.set(target, [...(called.get(target) ?? []), t.path]);
    }
  }
  const paramFiles = files.filter((f) => /\.bicepparam$/i.test(f.path));

  for (const t of templates) {
    if (called.has(t.path) || !relevant(t)) continue;
    const unitFiles = new Set([t.path]);
    const usingThis = paramFiles.filter((p) => usingTarget(p) === t.path);
    for (const p of usingThis) unitFiles.add(p.path);
    const jsonFiles = parametersJsonFor(t.path, byPath);
    for (const j of jsonFiles) unitFiles.add(j.path);
    const file = load(t.path);
    const modules = file ? file.root.named.filter((s) => s.type === 'module_declaration').map((s) => modulePath(file, s)) : [];
    for (const m of modules) if (m && byPath.has(m)) unitFiles.add(m);
    if (only && ![...unitFiles].some((p) => only.has(p))) continue;
    for (const p of unitFiles) covered.add(p);
    if (!file) continue;
    const unit = unitOf(file);
    const givens: Array<Map<string, Val>> = [];
    for (const p of usingThis) {
      const pf = load(p.path);
      if (pf) givens.push(bicepparamValues(pf));
    }
    for (const j of jsonFiles) givens.push(jsonParameterValues(j, notices));
    if (givens.length === 0) givens.push(new Map());
    for (const given of givens) {
      extractUnit({ unit, given, locals: new Map() }, '', { model, embedded, loadText }, (path) => load(path));
    }
  }
  return { model, files: [...covered], notices, embedded };
}

/** What one unit's extraction adds to: the model, the policy texts found, and how to read a `loadTextContent` file. */
interface Output {
  model: Model;
  embedded: EmbeddedText[];
  loadText: (path: string) => string | undefined;
}

function budgetNotice(path: string): Finding {
  return {
    file: path,
    start: 0,
    end: 0,
    ruleId: BICEP_PARSE_BUDGET_CODE,
    severity: 'info',
    message: 'apim-tls-lint skipped this Bicep file: parsing it took longer than its time budget (the Bicep grammar is slow on some inputs).',
    related: [],
    fixes: [],
  };
}

/** The resolved path of a local module (`module m './x.bicep'`), undefined for registry or template-spec modules. */
function modulePath(file: BicepFile, decl: BNode): string | undefined {
  const pathNode = decl.named[1];
  if (!pathNode || pathNode.type !== 'string' || pathNode.named.some((n) => n.type === 'interpolation')) return undefined;
  const rel = textOf(file, pathNode).slice(1, -1);
  if (/^[a-z]+:/i.test(rel)) return undefined;
  return joinPath(dirOf(file.path), rel);
}

function usingTarget(src: SourceText): string | undefined {
  const m = /^\s*using\s+'([^']+)'/m.exec(src.text);
  return m && !/^[a-z]+:/i.test(m[1]) ? joinPath(dirOf(src.path), m[1]) : undefined;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function joinPath(dir: string, rel: string): string {
  const parts = (dir ? dir.split('/') : []).concat(rel.split('/'));
  const out: string[] = [];
  for (const p of parts) {
    if (p === '.' || (p === '' && out.length > 0)) continue;
    if (p === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(p);
  }
  return out.join('/');
}

/** `<name>.parameters.json` or `parameters.json` beside the template. */
function parametersJsonFor(path: string, byPath: { get(path: string): SourceText | undefined }): SourceText[] {
  const dir = dirOf(path);
  const base = path.slice(dir ? dir.length + 1 : 0).replace(/\.bicep$/i, '');
  const prefix = dir ? `${dir}/` : '';
  return [`${prefix}${base}.parameters.json`, `${prefix}parameters.json`].map((p) => byPath.get(p)).filter((s): s is SourceText => !!s);
}

/** The `param x = v` assignments of a .bicepparam file (parsed as vars: see prepareBicepText). */
function bicepparamValues(file: BicepFile): Map<string, Val> {
  const unit = unitOf(file);
  const scope: Scope = { unit, given: new Map(), locals: new Map() };
  const out = new Map<string, Val>();
  for (const [name, decl] of unit.vars) {
    // Only the assignments that were written `param`, not the file's own vars.
    if (!file.text.startsWith('param', decl.start)) continue;
    const expr = decl.named[decl.named.length - 1];
    if (expr && expr !== decl.named[0]) out.set(name, evaluate(expr, scope));
  }
  return out;
}

function jsonParameterValues(src: SourceText, notices: Finding[]): Map<string, Val> {
  const out = new Map<string, Val>();
  const { root, cutAt } = parseJsonTree(src.text, [], { allowTrailingComma: true });
  if (cutAt !== undefined && !notices.some((n) => n.file === src.path && n.ruleId === NESTING_TOO_DEEP_CODE)) notices.push(tooDeepNotice(src.path, cutAt));
  const params = root && jsonMember(root, 'parameters');
  if (!params || params.type !== 'object') return out;
  for (const prop of params.children ?? []) {
    const [k, v] = prop.children ?? [];
    const value = v && jsonMember(v, 'value');
    if (k && value) out.set(String(k.value), jsonVal(value, src.path));
  }
  return out;
}

function jsonMember(node: JsonNode, key: string): JsonNode | undefined {
  if (node.type !== 'object') return undefined;
  const prop = node.children?.find((p) => p.children?.[0]?.value === key);
  return prop?.children?.[1];
}

function jsonVal(node: JsonNode, file: string, depth = 0): Val {
  const span = { file, start: node.offset, end: node.offset + node.length };
  if (depth > 32) return { kind: 'unknown', span };
  switch (node.type) {
    case 'object': {
      const entries = new Map<string, Val>();
      for (const p of node.children ?? []) {
        const [k, v] = p.children ?? [];
        if (k && v) entries.set(String(k.value), jsonVal(v, file, depth + 1));
      }
      return { kind: 'object', entries, span };
    }
    case 'array':
      return { kind: 'list', items: (node.children ?? []).map((c) => jsonVal(c, file, depth + 1)), span };
    case 'string':
      // An ARM expression in a parameters file is not a Bicep value the linter evaluates.
      return /^\[[^[]/.test(node.value as string) ? { kind: 'unknown', span } : { kind: 'prim', value: node.value as string, quoted: true, span };
    case 'boolean':
    case 'number':
    case 'null':
      return { kind: 'prim', value: (node.value as boolean | number | null | undefined) ?? null, quoted: false, span };
    default:
      return { kind: 'unknown', span };
  }
}

/** A resource's type and api-version, where they are written. */
interface TypeInfo {
  type: string;
  apiVersion?: ApiVersion;
}

interface Parent {
  type: TypeInfo;
  service?: Service;
  symbol: string;
}

/** Extracts the resources of one template (a root, or a module instance with `prefix` naming the call). */
function extractUnit(scope: Scope, prefix: string, out: Output, load: (path: string) => BicepFile | undefined, depth = 0): void {
  const { model } = out;
  const file = scope.unit.file;
  const services = new Map<string, Service[]>();
  const pending: Array<{ backend: Backend; parentSymbol?: string }> = [];
  // Each resource's name, type and parent, so that a policy can say what it applies to and find its service.
  const resources = new Map<string, { body: BNode; scope: Scope; parentSymbol?: string }>();
  const policies: Array<{ owner: PolicyOwner; site: Site; type: RegExpExecArray; parent?: Parent; parentSymbol?: string }> = [];
  const visit = (decl: BNode, parent: Parent | undefined) => {
    const [nameNode, typeNode] = decl.named;
    const value = decl.named[decl.named.length - 1];
    if (!nameNode || !typeNode || typeNode.type !== 'string' || !value || value === typeNode) return;
    const symbol = textOf(file, nameNode);
    const info = typeInfo(file, typeNode, parent?.type);
    if (!info) return;
    const isService = SERVICE_TYPE.test(info.type);
    const isBackend = BACKEND_TYPE.test(info.type);
    const policyType = POLICY_TYPE.exec(info.type);
    for (const inst of resourceInstances(value, scope)) {
      const name = `${prefix}${parent ? `${parent.symbol}::` : ''}${symbol}${inst.key === undefined ? '' : `[${inst.key}]`}`;
      const site: Site = { file, decl, body: inst.body, scope: inst.scope, name, address: `${prefix}${symbol}`, key: inst.key };
      let service = parent?.service;
      if (isService) {
        service = bicepService(site);
        services.set(symbol, [...(services.get(symbol) ?? []), service]);
        model.services.push(service);
      } else if (isBackend) {
        const backend = bicepBackend(site, info.apiVersion);
        if (inst.keysUnknown) backend.keysUnknown = true;
        backend.service = parent?.service;
        const parentProp = inst.body.named.find((p) => p.type === 'object_property' && p.named[0] && textOf(file, p.named[0]) === 'parent');
        const parentRef = parentProp?.named[1];
        pending.push({ backend, parentSymbol: parentRef ? /^[A-Za-z_]\w*/.exec(textOf(file, parentRef))?.[0] : undefined });
        model.backends.push(backend);
      }
      const parentSymbol = parentOf(file, inst.body) ?? parent?.symbol;
      // Names are evaluated only if a policy asks (evaluating every body twice would double a lint's cost).
      if (!resources.has(symbol)) resources.set(symbol, { body: inst.body, scope: inst.scope, parentSymbol });
      if (policyType) {
        const nameNode = decl.named[0];
        const owner: PolicyOwner = { name: 'the service', header: { file: file.path, start: nameNode.start, end: nameNode.end }, service };
        policies.push({ owner, site, type: policyType, parent, parentSymbol });
      } else if (API_TYPE.test(info.type)) {
        const props = get(evaluate(inst.body, inst.scope), 'properties');
        const nameNode = decl.named[0];
        (model.apis ??= []).push({
          name: `API '${resourceName(inst.body, inst.scope) ?? symbol}'`,
          header: { file: file.path, start: nameNode.start, end: nameNode.end },
          serviceUrl: bodyBound(site, get(props, 'serviceUrl'), 'properties.serviceUrl'),
        });
      }
      for (const prop of inst.body.named) {
        const nested = prop.type === 'object_property' && prop.named[0]?.type === 'resource_declaration' ? prop.named[0] : undefined;
        if (nested) visit(nested, { type: info, service, symbol });
      }
    }
  };
  for (const s of file.root.named) {
    if (s.type === 'resource_declaration') visit(s, undefined);
    else if (s.type === 'module_declaration' && registryVersion(file, s) !== undefined) extractRegistryCall(s, scope, prefix, out.model);
    else if (s.type === 'module_declaration' && depth === 0) extractModuleCall(s, scope, out, load);
  }
  for (const { backend, parentSymbol } of pending) {
    if (backend.service || !parentSymbol) continue;
    const candidates = services.get(parentSymbol);
    if (candidates?.length === 1) backend.service = candidates[0];
  }
  for (const p of policies) {
    // Up the parents: the API (and operation or product) it applies to, and the service above them.
    const chain: string[] = [];
    let symbol = p.parentSymbol;
    for (let hops = 0; symbol && hops < 4 && !services.has(symbol); hops++) {
      const r = resources.get(symbol);
      chain.push((r && resourceName(r.body, r.scope)) ?? symbol);
      symbol = resources.get(symbol)?.parentSymbol;
    }
    if (!p.owner.service && symbol && services.get(symbol)?.length === 1) p.owner.service = services.get(symbol)![0];
    // A top-level policy named `svc/api/policy` says in its name what it applies to.
    const own = asString(get(evaluate(p.site.body, p.site.scope), 'name'))?.split('/') ?? [];
    if (chain.length === 0 && own.length >= 3) chain.push(...own.slice(1, -1).reverse());
    const [m, named] = [p.type, (i: number) => chain[i] ?? '?'];
    p.owner.name = m[2] ? `operation '${named(0)}' of API '${named(1)}'` : m[1] ? `API '${named(0)}'` : m[3] ? `product '${named(0)}'` : 'the service';
    const mapped = policyValue(p.site, out.loadText);
    if (mapped) out.embedded.push({ language: POLICY.id, ...mapped, owner: p.owner });
  }
}

/** The symbol a resource's `parent:` names. */
function parentOf(file: BicepFile, body: BNode): string | undefined {
  const prop = body.named.find((p) => p.type === 'object_property' && p.named[0] && textOf(file, p.named[0]) === 'parent');
  return prop?.named[1] ? /^[A-Za-z_]\w*/.exec(textOf(file, prop.named[1]))?.[0] : undefined;
}

/** The last segment of a resource's `name`, when known. */
function resourceName(body: BNode, scope: Scope): string | undefined {
  const name = asString(get(evaluate(body, scope), 'name'));
  return name?.split('/').pop();
}

/**
 * A policy's `properties.value`: a string literal (`'''…'''` or escaped), `loadTextContent('policy.xml')`, or a
 * variable holding either. Undefined for anything the linter cannot read (a parameter, a format naming a URL).
 */
function policyValue(site: Site, loadText: (path: string) => string | undefined): (MappedText & { file: string; origin?: string }) | undefined {
  const file = site.file;
  const prop = (node: BNode | undefined, key: string) =>
    node?.type === 'object' ? node.named.find((p) => p.type === 'object_property' && p.named[0] && textOf(file, p.named[0]) === key)?.named[1] : undefined;
  const props = prop(site.body, 'properties');
  const format = asString(get(get(evaluate(site.body, site.scope), 'properties'), 'format'));
  if (format && /-link$/i.test(format)) return undefined;
  let node = prop(props, 'value');
  for (let hops = 0; node?.type === 'identifier' && hops < 4; hops++) {
    const v = site.scope.unit.vars.get(textOf(file, node));
    node = v ? v.named[v.named.length - 1] : undefined;
  }
  if (!node) return undefined;
  if (node.type === 'string') {
    const mapped = bicepStringText(file.text, node.start, node.end);
    return mapped && { ...mapped, file: file.path };
  }
  if (node.type === 'call_expression' && node.named[0] && /^(sys\.)?loadTextContent$/.test(textOf(file, node.named[0]))) {
    const arg = node.named.find((n) => n.type === 'arguments')?.named[0];
    const rel = arg?.type === 'string' && !arg.named.some((n) => n.type === 'interpolation') ? textOf(file, arg).slice(1, -1) : undefined;
    if (rel === undefined || rel.startsWith("'")) return undefined;
    const path = joinPath(dirOf(file.path), rel);
    const text = loadText(path);
    return text === undefined ? undefined : { text, map: OffsetMap.identity(text.length), file: path, origin: path };
  }
  return undefined;
}

/** The version of a call of a registry module whose behaviour is known (the AVM service module), else undefined. */
function registryVersion(file: BicepFile, decl: BNode): string | undefined {
  const pathNode = decl.named[1];
  if (!pathNode || pathNode.type !== 'string' || pathNode.named.some((n) => n.type === 'interpolation')) return undefined;
  return avmBicepServiceVersion(textOf(file, pathNode).slice(1, -1));
}

/** A call of the AVM service module: the service and backends it deploys, once per instance of the call. */
function extractRegistryCall(decl: BNode, scope: Scope, prefix: string, model: Model): void {
  const file = scope.unit.file;
  const version = registryVersion(file, decl)!;
  const value = decl.named[decl.named.length - 1];
  const nameNode = decl.named[0];
  if (!value || !nameNode) return;
  const symbol = textOf(file, nameNode);
  for (const inst of resourceInstances(value, scope)) {
    const paramsProp = inst.body.named.find((p) => p.type === 'object_property' && p.named[0] && textOf(file, p.named[0]) === 'params');
    const params = paramsProp?.named[1] ? evaluate(paramsProp.named[1], inst.scope) : undefined;
    const name = `${prefix}${symbol}${inst.key === undefined ? '' : `[${inst.key}]`}`;
    const header = { file: file.path, start: nameNode.start, end: nameNode.end };
    const { service, backends, apis } = avmServiceCall(params, name, `${prefix}${symbol}`, header, version);
    model.services.push(service);
    model.backends.push(...backends);
    if (apis.length) (model.apis ??= []).push(...apis);
  }
}

/** A local module called with `params`: its resources, one level down, once per instance of the call. */
function extractModuleCall(decl: BNode, scope: Scope, out: Output, load: (path: string) => BicepFile | undefined): void {
  const file = scope.unit.file;
  const target = modulePath(file, decl);
  const child = target ? load(target) : undefined;
  const value = decl.named[decl.named.length - 1];
  if (!child || !value || !decl.named[0]) return;
  const unit: Unit = unitOf(child);
  const symbol = textOf(file, decl.named[0]);
  for (const inst of resourceInstances(value, scope)) {
    const paramsProp = inst.body.named.find((p) => p.type === 'object_property' && p.named[0] && textOf(file, p.named[0]) === 'params');
    const givenBy = (scope: Scope) => {
      const params = paramsProp?.named[1] ? evaluate(paramsProp.named[1], scope) : undefined;
      const given = new Map<string, Val>();
      if (params?.kind === 'object') for (const [k, v] of params.entries) given.set(k, v);
      // Params the call cannot be read for are unknown, not their defaults.
      else if (params) for (const name of unit.params.keys()) given.set(name, { kind: 'unknown', span: params.span });
      return given;
    };
    const scope: Scope = { unit, given: givenBy(inst.scope), strictGiven: givenBy({ ...inst.scope, strict: true }), locals: new Map() };
    extractUnit(scope, `${symbol}${inst.key === undefined ? '' : `[${inst.key}]`}/`, out, load, 1);
  }
}

/**
 * The full type and api-version of a resource: from its type string, or for a nested `'backends'` (optionally with
 * its own `@version`) from its parent's type.
 */
function typeInfo(file: BicepFile, node: BNode, parent: TypeInfo | undefined): TypeInfo | undefined {
  if (node.named.some((n) => n.type === 'interpolation')) return undefined;
  const raw = textOf(file, node);
  const value = raw.slice(1, -1);
  const span: Span = { file: file.path, start: node.start, end: node.end };
  const own = value.includes('@') ? apiVersionOf({ kind: 'prim', value, quoted: true, span }) : undefined;
  const bare = value.replace(/@.*$/, '');
  if (bare.includes('/') || !parent) return { type: bare, apiVersion: own };
  return { type: `${parent.type}/${bare}`, apiVersion: own ?? parent.apiVersion };
}

interface Site {
  file: BicepFile;
  decl: BNode;
  body: BNode;
  scope: Scope;
  name: string;
  address: string;
  key?: string;
}

/** The object bodies a resource or module declaration stands for: one, none (a false condition), or one per element. */
function resourceInstances(value: BNode, scope: Scope): Array<{ body: BNode; scope: Scope; key?: string; keysUnknown?: boolean }> {
  const conditioned = (node: BNode | undefined, s: Scope, key?: string): Array<{ body: BNode; scope: Scope; key?: string }> => {
    if (!node) return [];
    if (node.type === 'object') return [{ body: node, scope: s, key }];
    if (node.type === 'if_statement') {
      // A condition false only through a param's default is an opt-in resource: linted as deployed (DESIGN §2).
      const off = (v: Val | undefined) => v?.kind === 'prim' && (v.value === false || v.value === null);
      if (node.named[0] && off(evaluate(node.named[0], s)) && off(evaluate(node.named[0], { ...s, strict: true }))) return [];
      return conditioned(node.named[1], s, key);
    }
    return [];
  };
  if (value.type === 'for_statement') {
    const { scopes, body, known } = loopScopes(value, scope);
    return scopes.flatMap((s) => conditioned(body, s.scope, known ? s.key : undefined).map((i) => (known ? i : { ...i, keysUnknown: true })));
  }
  return conditioned(value, scope);
}

function blockOf(site: Site): BlockSpan {
  return { file: site.file.path, start: site.decl.start, end: site.decl.end, bodyStart: site.body.start + 1, bodyEnd: site.body.end - 1 };
}

function bodyBound(site: Site, val: Val | undefined, consumerName: string): Bound | undefined {
  return val ? { val, consumer: { file: site.file.path, start: site.decl.start, end: site.decl.end }, consumerName } : undefined;
}

function bicepBackend(site: Site, apiVersion: ApiVersion | undefined): Backend {
  const body = evaluate(site.body, site.scope);
  const props = get(body, 'properties');
  const tls = get(props, 'tls');
  const nameNode = site.decl.named[0];
  const pool = isPool(props, get);
  return {
    name: site.name,
    address: site.address,
    key: site.key,
    kind: 'bicep',
    header: { file: site.file.path, start: nameNode.start, end: nameNode.end },
    block: blockOf(site),
    backendName: get(body, 'name'),
    url: pool ? undefined : bodyBound(site, get(props, 'url'), 'properties.url'),
    validateChain: pool ? undefined : bodyBound(site, get(tls, 'validateCertificateChain'), 'properties.tls.validateCertificateChain'),
    validateName: pool ? undefined : bodyBound(site, get(tls, 'validateCertificateName'), 'properties.tls.validateCertificateName'),
    tlsBlocks: [],
    pins: pool ? [] : pinsOfTls(tls, apiVersion, site.name),
    overlays: [],
    pool: pool || undefined,
    apiVersion,
    misplaced: pool ? [] : misplacedTls(body, site.name),
  };
}

/** The pins of `tls`; a spread the linter cannot read in it may hold pins too (then pins are uncertain). */
function pinsOfTls(tls: Val | undefined, apiVersion: ApiVersion | undefined, owner: string) {
  const pins = pinsOf(tls, apiVersion, owner);
  if (tls?.kind === 'object' && isPartial(tls) && !tls.entries.has('serverX509Names') && !tls.entries.has('serverCertificateThumbprints')) {
    pins.push(...pinsOf({ kind: 'unknown', span: tls.span }, apiVersion, owner));
  }
  return pins;
}

/** SKU, CA store (`properties.certificates`) and the backend protocol and cipher switches of `customProperties`. */
function bicepService(site: Site): Service {
  const body = evaluate(site.body, site.scope);
  const nameNode = site.decl.named[0];
  const service: Service = {
    name: site.name,
    address: site.address,
    header: { file: site.file.path, start: nameNode.start, end: nameNode.end },
    serviceName: get(body, 'name'),
    sku: bodyBound(site, get(get(body, 'sku'), 'name'), 'sku.name'),
    backendProtocols: [],
    ciphers: [],
    caStore: [],
  };
  const props = get(body, 'properties');
  service.caStore.push(...caStoreOf(get(props, 'certificates'), get));
  const switches = gatewaySwitchesOf(get(props, 'customProperties'), (key, val) => bodyBound(site, val, `properties.customProperties['${key}']`));
  service.backendProtocols.push(...switches.backendProtocols);
  service.ciphers.push(...switches.ciphers);
  return service;
}
