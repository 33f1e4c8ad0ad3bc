// ARM templates into the format-neutral model: APIM services and backends (top-level, nested as child resources,
// workspace backends, and inside nested deployments), with values read through parameters (defaults or the paired
// parameters file) and variables, so that a finding lands on the `false` the user must edit.
import type { Node } from 'jsonc-parser';
import { armSchemaKind, POLICY, type SourceText } from '../formats';
import { parseJsonTree } from '../json-depth';
import { tooDeepNotice } from '../nesting-too-deep';
import type { EmbeddedText, FormatResult } from '../source-format';
import { member, type ApiVersion, type Backend, type BlockSpan, type Bound, type Model, type PolicyOwner, type Service, type Val } from '../model';
import { jsonStringText } from '../policies/host-strings';
import { caStoreOf, gatewaySwitchesOf, isPool, misplacedTls, pinsOf } from '../resource-body';
import type { Finding, Span } from '../types';
import { evaluateString, isExpression, nodeVal, parseExpression, type ArmScope, type Expr } from './expressions';
import { parametersFileFor, parameterValues, property } from './parameters';
import { relevantTemplate } from './template-index';

/**
 * Extracts every template among `files` (JSON files whose $schema is a deployment template), with the parameters
 * file beside it. With `only`, just the templates that are, or whose parameters file is, one of those paths.
 */
export function extractArmModel(files: readonly SourceText[], only?: ReadonlySet<string>, configured: ReadonlySet<string> = new Set()): FormatResult {
  const model: Model = { backends: [], services: [], overlays: [], dependsOn: [] };
  const covered: string[] = [];
  const byPath = new Map(files.map((f) => [f.path, f]));
  const isParams = (p: string) => {
    const f = byPath.get(p);
    return !!f && armSchemaKind(f.text) === 'parameters';
  };
  const configuredParams = [...configured].filter(isParams).sort();
  const embedded: EmbeddedText[] = [];
  // By path: a parameters file read with two templates gets its notice once.
  const notices = new Map<string, Finding>();
  for (const file of files) {
    if (armSchemaKind(file.text) !== 'template') continue;
    const paramsPath = configuredParametersFor(file, configuredParams, byPath) ?? parametersFileFor(file.path, isParams);
    if (only && !only.has(file.path) && !(paramsPath && only.has(paramsPath))) continue;
    covered.push(file.path);
    if (paramsPath) covered.push(paramsPath);
    // A template that names no APIM type cannot hold a backend or a service: it is not parsed.
    if (!/ApiManagement/i.test(file.text)) continue;
    extractTemplate(file, paramsPath ? byPath.get(paramsPath) : undefined, model, notices, embedded);
  }
  return { model, files: covered, notices: [...notices.values()], embedded };
}

/**
 * A parameters file named in the configuration (`varFiles`) wins over the one beside the template. It pairs with a
 * template that declares every parameter it sets: a parameters file does not name its template, so the names do.
 */
function configuredParametersFor(template: SourceText, configured: readonly string[], byPath: ReadonlyMap<string, SourceText>): string | undefined {
  if (configured.length === 0) return undefined;
  const declared = new Set(Object.keys(objectKeys(parseJsonTree(template.text).root, 'parameters')).map((k) => k.toLowerCase()));
  return configured.find((p) => {
    const names = Object.keys(objectKeys(parseJsonTree(byPath.get(p)!.text).root, 'parameters'));
    return names.length > 0 && names.every((n) => declared.has(n.toLowerCase()));
  });
}

function objectKeys(root: Node | undefined, key: string): Record<string, true> {
  const node = root?.type === 'object' ? property(root, key) : undefined;
  const out: Record<string, true> = {};
  for (const p of node?.type === 'object' ? (node.children ?? []) : []) {
    const k: unknown = p.children?.[0]?.value;
    if (typeof k === 'string') out[k] = true;
  }
  return out;
}

export const SERVICE_TYPE = 'microsoft.apimanagement/service';
const BACKEND_TYPES = new Set(['microsoft.apimanagement/service/backends', 'microsoft.apimanagement/service/workspaces/backends']);
const DEPLOYMENT_TYPE = 'microsoft.resources/deployments';
/** Policies of an API, an operation, a product or the service (in a workspace too), and APIs. */
const POLICY_TYPE = /^microsoft\.apimanagement\/service\/(?:workspaces\/)?(?:(apis)\/(?:(operations)\/)?|(products)\/)?policies$/;
const API_TYPE = /^microsoft\.apimanagement\/service\/(?:workspaces\/)?apis$/;

interface Parent {
  fullType: string;
  segments: Segment[];
  service?: Service;
}

/** One segment of a resource name: a key to match names by (the value, or the expression that computes it). */
interface Segment {
  key: string;
  text: string;
  val: Val;
}

/** A parameter's value from outside the template; `strict` asks for it without the caller's defaults. */
type Supplied = (strict: boolean) => Val;

type TemplateScope = ArmScope & { id: number; strict: () => ArmScope };

interface Pending {
  backend?: Backend;
  owner?: PolicyOwner;
  serviceKey?: string;
}

class TemplateReader {
  private scopes = 0;
  readonly services = new Map<string, Service>();
  readonly pending: Pending[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly model: Model,
    private readonly embedded: EmbeddedText[],
  ) {}

  /**
   * A scope of a template: parameters from `supplied` (a parameters file or a nested deployment), else defaults. Its
   * `strict` twin leaves defaults unknown: a `condition` false only through a default does not hide a resource.
   */
  scope(template: Node, supplied: Map<string, Supplied>, strict = false): ArmScope & { id: number; strict: () => ArmScope } {
    const file = this.file;
    const params = property(template, 'parameters');
    const vars = property(template, 'variables');
    const memo = new Map<string, Val>();
    const busy: Val = { kind: 'unknown' };
    let twin: ArmScope | undefined;
    const scope: ArmScope & { id: number; strict: () => ArmScope } = {
      id: this.scopes++,
      file,
      strict: () => (strict ? scope : (twin ??= this.scope(template, supplied, true))),
      parameter(name) {
        const key = `p:${name.toLowerCase()}`;
        const hit = memo.get(key);
        if (hit) return hit;
        memo.set(key, busy);
        let val: Val = { kind: 'unknown' };
        const given = supplied.get(name.toLowerCase());
        if (given) val = given(strict);
        else if (!strict) {
          const decl = params?.type === 'object' ? property(params, name) : undefined;
          const def = decl?.type === 'object' ? property(decl, 'defaultValue') : undefined;
          if (def) val = nodeVal(def, file, scope);
        }
        memo.set(key, val);
        return val;
      },
      variable(name) {
        const key = `v:${name.toLowerCase()}`;
        const hit = memo.get(key);
        if (hit) return hit;
        memo.set(key, busy);
        const node = vars?.type === 'object' ? property(vars, name) : undefined;
        const val: Val = node ? nodeVal(node, file, scope) : { kind: 'unknown' };
        memo.set(key, val);
        return val;
      },
    };
    return scope;
  }

  template(template: Node, scope: TemplateScope): void {
    const resources = property(template, 'resources');
    if (!resources) return;
    for (const r of resourceNodes(resources)) this.resource(r.node, r.symbol, scope, undefined);
  }

  private resource(res: Node, symbol: string | undefined, scope: TemplateScope, parent: Parent | undefined): void {
    const typeNode = property(res, 'type');
    if (typeNode?.type !== 'string') return;
    const type = typeNode.value as string;
    if (isExpression(type)) return;
    const condition = property(res, 'condition');
    // Hidden only when false without parameter defaults (an opt-in resource is linted as deployed, DESIGN §2).
    if (condition && asTruth(nodeVal(condition, this.file, scope)) === false && asTruth(nodeVal(condition, this.file, scope.strict())) === false) return;
    const fullType = qualify(type, parent?.fullType);
    const lower = fullType.toLowerCase();
    const nameNode = property(res, 'name');
    const own = nameNode ? this.segments(nameNode, scope) : [];
    const segments = parent && !type.includes('/') ? [...parent.segments, ...own] : own;
    const existing = asTruth(property(res, 'existing') ? nodeVal(property(res, 'existing')!, this.file, scope) : undefined) === true;
    let service = parent?.service;
    if (lower === SERVICE_TYPE && !existing) {
      service = this.service(res, typeNode, symbol, segments, scope);
    } else if (BACKEND_TYPES.has(lower) && !existing) {
      this.backend(res, typeNode, symbol, segments, scope, parent?.service);
    } else if (POLICY_TYPE.test(lower) && !existing) {
      this.policy(res, typeNode, lower, segments, parent?.service);
    } else if (API_TYPE.test(lower) && !existing) {
      (this.model.apis ??= []).push({
        name: displayName('API', segments[segments.length - 1], symbol),
        header: spanOf(typeNode, this.file),
        serviceUrl: this.bound(res, ['properties', 'serviceUrl'], scope),
      });
    } else if (lower === DEPLOYMENT_TYPE) {
      this.deployment(res, scope);
      return;
    }
    const children = property(res, 'resources');
    if (children) {
      const here: Parent = { fullType, segments, service };
      for (const c of resourceNodes(children)) this.resource(c.node, c.symbol, scope, here);
    }
  }

  private service(res: Node, typeNode: Node, symbol: string | undefined, segments: Segment[], scope: ArmScope): Service {
    const last = segments[segments.length - 1];
    const name = displayName('service', last, symbol);
    const service: Service = {
      name,
      address: `${this.file}#${res.offset}`,
      header: spanOf(typeNode, this.file),
      serviceName: last?.val,
      sku: this.bound(res, ['sku', 'name'], scope),
      backendProtocols: [],
      ciphers: [],
      caStore: [],
    };
    service.caStore.push(...caStoreOf(this.read(res, ['properties', 'certificates'], scope).val));
    const custom = this.read(res, ['properties', 'customProperties'], scope).val;
    const switches = gatewaySwitchesOf(custom, (key) => this.bound(res, ['properties', 'customProperties', key], scope, `customProperties["${key}"]`));
    service.backendProtocols.push(...switches.backendProtocols);
    service.ciphers.push(...switches.ciphers);
    this.model.services.push(service);
    const key = segments.map((s) => s.key).join('/');
    if (!this.services.has(key)) this.services.set(key, service);
    return service;
  }

  private backend(res: Node, typeNode: Node, symbol: string | undefined, segments: Segment[], scope: ArmScope, service: Service | undefined): void {
    const last = segments[segments.length - 1];
    const name = displayName('backend', last, symbol);
    const apiVersion = apiVersionOf(property(res, 'apiVersion'), this.file);
    const tls = this.read(res, ['properties', 'tls'], scope);
    const pool = isPool(this.read(res, ['properties'], scope).val);
    const backend: Backend = {
      name,
      address: `${this.file}#${res.offset}`,
      kind: 'arm',
      header: spanOf(typeNode, this.file),
      block: blockOf(res, this.file),
      backendName: last?.val,
      url: pool ? undefined : this.bound(res, ['properties', 'url'], scope),
      validateChain: pool ? undefined : this.bound(res, ['properties', 'tls', 'validateCertificateChain'], scope),
      validateName: pool ? undefined : this.bound(res, ['properties', 'tls', 'validateCertificateName'], scope),
      tlsBlocks: [],
      pins: pool ? [] : pinsOf(tls.val, apiVersion, name),
      overlays: [],
      service,
      pool: pool || undefined,
      apiVersion,
      misplaced: pool || !/tls/i.test(this.text.slice(res.offset, res.offset + res.length)) ? [] : misplacedTls(nodeVal(res, this.file, scope), name),
    };
    this.model.backends.push(backend);
    // A top-level backend names its service in the first segment(s) of its name: `svc/backend`.
    if (!service && segments.length >= 2)
      this.pending.push({
        backend,
        serviceKey: segments
          .slice(0, -1)
          .map((s) => s.key)
          .join('/'),
      });
  }

  /**
   * A policy resource: its `properties.value` written as a JSON string is handed on as embedded text (an expression, or
   * a `…-link` format naming a URL, is not read). What it applies to comes from its name: `svc/api/op/policy`.
   */
  private policy(res: Node, typeNode: Node, lower: string, segments: Segment[], service: Service | undefined): void {
    const props = property(res, 'properties');
    const value = props?.type === 'object' ? property(props, 'value') : undefined;
    const format = props?.type === 'object' ? property(props, 'format') : undefined;
    if (value?.type !== 'string' || isExpression(value.value as string) || (format?.type === 'string' && /-link$/i.test(String(format.value)))) return;
    const mapped = jsonStringText(this.text, value.offset, value.offset + value.length);
    if (!mapped) return;
    const m = POLICY_TYPE.exec(lower)!;
    const named = (fromEnd: number) => segments[segments.length - fromEnd]?.text ?? '?';
    const name = m[2] ? `operation '${named(2)}' of API '${named(3)}'` : m[1] ? `API '${named(2)}'` : m[3] ? `product '${named(2)}'` : 'the service';
    const owner: PolicyOwner = { name, header: spanOf(typeNode, this.file), service };
    // Named `svc/…/policy`, a top-level policy says its service in its first segment.
    if (!service && segments.length >= 2) this.pending.push({ owner, serviceKey: segments[0].key });
    this.embedded.push({ language: POLICY.id, file: this.file, ...mapped, owner });
  }

  /** A nested deployment's inline template: its own scope when `expressionEvaluationOptions.scope` is `inner`. */
  private deployment(res: Node, outer: TemplateScope): void {
    const props = property(res, 'properties');
    const template = props?.type === 'object' ? property(props, 'template') : undefined;
    if (template?.type !== 'object' || !/ApiManagement/i.test(this.text.slice(template.offset, template.offset + template.length))) return;
    const options = property(props!, 'expressionEvaluationOptions');
    const scopeNode = options?.type === 'object' ? property(options, 'scope') : undefined;
    if (scopeNode?.type !== 'string' || String(scopeNode.value).toLowerCase() !== 'inner') {
      this.template(template, outer);
      return;
    }
    const supplied = new Map<string, Supplied>();
    const given = property(props!, 'parameters');
    if (given?.type === 'object') {
      for (const p of given.children ?? []) {
        const [k, v] = p.children ?? [];
        if (!k || !v || typeof k.value !== 'string') continue;
        const value = v.type === 'object' ? property(v, 'value') : undefined;
        supplied.set(k.value.toLowerCase(), value ? (strict) => nodeVal(value, this.file, strict ? outer.strict() : outer) : () => ({ kind: 'unknown' }));
      }
    }
    this.template(template, this.scope(template, supplied));
  }

  /**
   * Walks `path` from a resource: through the JSON as written while it can, then through the value an expression
   * gives. The consumer is the last property written in the resource itself (where relatedInformation points).
   */
  read(res: Node, path: string[], scope: ArmScope): { val?: Val; consumer: Span } {
    let consumer = spanOf(res, this.file);
    let node: Node | undefined = res;
    let val: Val | undefined;
    for (const key of path) {
      if (node) {
        if (node.type === 'object') {
          const child = property(node, key);
          if (!child) return { consumer };
          consumer = spanOf(child.parent!, this.file);
          node = child;
          continue;
        }
        val = nodeVal(node, this.file, scope);
        node = undefined;
      }
      val = member(val, key);
      if (!val) return { consumer };
    }
    return { val: node ? nodeVal(node, this.file, scope) : val, consumer };
  }

  private bound(res: Node, path: string[], scope: ArmScope, consumerName = path.join('.')): Bound | undefined {
    const { val, consumer } = this.read(res, path, scope);
    return val ? { val, consumer, consumerName } : undefined;
  }

  /** The segments of a resource name: `svc/backend`, or `[format('{0}/{1}', parameters('svc'), 'backend')]`. */
  private segments(nameNode: Node, scope: TemplateScope): Segment[] {
    const span = spanOf(nameNode, this.file);
    if (nameNode.type !== 'string') return [];
    const s = nameNode.value as string;
    if (!isExpression(s)) return s.split('/').map((part) => ({ key: part.toLowerCase(), text: part, val: prim(part, span) }));
    const ast = parseExpression(s.trim().slice(1, -1));
    const tokens = ast ? nameTokens(ast) : undefined;
    if (!tokens) {
      const val = evaluateString(s, span, scope);
      if (val.kind === 'prim' && typeof val.value === 'string')
        return val.value.split('/').map((part) => ({ key: part.toLowerCase(), text: part, val: prim(part, span) }));
      return [{ key: `\u0000${scope.id}:${s}`, text: s, val }];
    }
    const out: Segment[] = [];
    let cur: Array<{ known?: string; text: string }> = [];
    const flush = () => {
      const known = cur.every((t) => t.known !== undefined);
      const text = cur.map((t) => t.known ?? `[${t.text}]`).join('');
      out.push({
        key: known ? text.toLowerCase() : cur.map((t) => t.known?.toLowerCase() ?? `\u0000${scope.id}:${t.text.replace(/\s+/g, '')}`).join(''),
        text,
        val: known ? prim(text, span) : { kind: 'unknown', span },
      });
      cur = [];
    };
    for (const t of tokens) {
      if (typeof t === 'string') {
        const parts = t.split('/');
        parts.forEach((p, i) => {
          if (i > 0) flush();
          if (p) cur.push({ known: p, text: p });
        });
        continue;
      }
      const v = evaluateString(`[${t.text}]`, span, scope);
      if (v.kind === 'prim' && typeof v.value === 'string' && !v.value.includes('/')) cur.push({ known: v.value, text: t.text });
      else cur.push({ text: t.text });
    }
    flush();
    return out;
  }
}

function extractTemplate(file: SourceText, params: SourceText | undefined, model: Model, notices: Map<string, Finding>, embedded: EmbeddedText[]): void {
  // Only the parts that can matter are parsed into trees; a template the outline cannot read (or one nested too deep
  // for it) is parsed whole, with its depth capped: what is nested too deep is not read, and the file says so once.
  let root = relevantTemplate(file.text);
  if (!root) {
    const parsed = parseJsonTree(file.text, [], { allowTrailingComma: true, disallowComments: false });
    root = parsed.root;
    if (parsed.cutAt !== undefined) notices.set(file.path, tooDeepNotice(file.path, parsed.cutAt));
  }
  if (root?.type !== 'object') return;
  const reader = new TemplateReader(file.path, file.text, model, embedded);
  const supplied = new Map<string, Supplied>();
  if (params) {
    const parsed = parseJsonTree(params.text, [], { allowTrailingComma: true });
    if (parsed.cutAt !== undefined) notices.set(params.path, tooDeepNotice(params.path, parsed.cutAt));
    const values = parameterValues(parsed.root, params.path);
    for (const [k, v] of values) supplied.set(k, () => v);
  }
  reader.template(root, reader.scope(root, supplied));
  for (const p of reader.pending) {
    const service = p.serviceKey !== undefined ? reader.services.get(p.serviceKey) : undefined;
    const target = p.backend ?? p.owner!;
    if (service) target.service = service;
    // Without the service in the template, its name still ties backends and policies of the same service together.
    else if (p.serviceKey !== undefined) target.serviceKey = p.serviceKey.startsWith('\u0000') ? `arm:${file.path}:${p.serviceKey}` : `name:${p.serviceKey}`;
  }
}

/** Resources written as an array, or (languageVersion 2.0) as an object keyed by symbolic name. */
function resourceNodes(resources: Node): Array<{ node: Node; symbol?: string }> {
  if (resources.type === 'array') return (resources.children ?? []).filter((c) => c.type === 'object').map((node) => ({ node }));
  if (resources.type !== 'object') return [];
  const out: Array<{ node: Node; symbol?: string }> = [];
  for (const p of resources.children ?? []) {
    const [k, v] = p.children ?? [];
    if (k && v?.type === 'object') out.push({ node: v, symbol: String(k.value) });
  }
  return out;
}

/** A child resource's type is written short (`backends`) or in full; either way the full type. */
function qualify(type: string, parentType: string | undefined): string {
  if (!parentType || /^[\w-]+\.[\w.-]+\//.test(type)) return type;
  return `${parentType}/${type}`;
}

/** The pieces of `format('{0}/{1}', a, b)` or `concat(a, '/', b)`: literal text, or an argument expression. */
function nameTokens(ast: Expr): Array<string | Expr> | undefined {
  if (ast.k !== 'call') return undefined;
  if (ast.name === 'concat') return ast.args.map((a) => (a.k === 'str' ? a.v : a));
  if (ast.name === 'format' && ast.args[0]?.k === 'str') {
    const out: Array<string | Expr> = [];
    const f = ast.args[0].v;
    const re = /\{(\d+)\}/g;
    let last = 0;
    for (let m = re.exec(f); m; m = re.exec(f)) {
      out.push(f.slice(last, m.index));
      const arg = ast.args[Number(m[1]) + 1];
      if (!arg) return undefined;
      out.push(arg.k === 'str' ? arg.v : arg);
      last = m.index + m[0].length;
    }
    out.push(f.slice(last));
    return out;
  }
  return undefined;
}

function displayName(what: string, last: Segment | undefined, symbol: string | undefined): string {
  if (last && last.val.kind === 'prim') return `${what} '${last.text}'`;
  if (symbol) return `${what} '${symbol}'`;
  return last ? `${what} ${last.text}` : what;
}

function apiVersionOf(node: Node | undefined, file: string): ApiVersion | undefined {
  if (node?.type !== 'string') return undefined;
  const value = node.value as string;
  if (isExpression(value)) return undefined;
  // Only when the JSON string holds the version as written (no escapes) is its inside the version text.
  const direct = node.length === value.length + 2;
  const start = direct ? node.offset + 1 : node.offset;
  return { value, span: { file, start, end: direct ? start + value.length : node.offset + node.length } };
}

function asTruth(v: Val | undefined): boolean | undefined {
  if (v?.kind !== 'prim') return undefined;
  if (typeof v.value === 'boolean') return v.value;
  if (typeof v.value === 'string' && /^(true|false)$/i.test(v.value)) return v.value.toLowerCase() === 'true';
  return undefined;
}

function prim(value: string, span: Span): Val {
  return { kind: 'prim', value, span, quoted: true };
}

export function spanOf(node: Node, file: string): Span {
  return { file, start: node.offset, end: node.offset + node.length };
}

export function blockOf(node: Node, file: string): BlockSpan {
  return { file, start: node.offset, end: node.offset + node.length, bodyStart: node.offset + 1, bodyEnd: node.offset + node.length - 1 };
}
