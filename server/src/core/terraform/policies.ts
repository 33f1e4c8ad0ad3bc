// Terraform's policies and APIs: `azurerm_api_management_*policy` (`xml_content` written inline, as a heredoc, through a
// variable or local, or read by `file()`/`templatefile()`; `xml_link` is unknown), azapi `…/policies` bodies, and the
// `service_url` of `azurerm_api_management_api` (or `serviceUrl` of an azapi API). A policy is handed to the policy
// XML format as embedded text (policyTexts) with a map back to the characters that write it.
import { POLICY } from '../formats';
import type { Api, PolicyOwner } from '../model';
import { member } from '../model';
import type { Expr } from '../parse/hcl-ast';
import { hclStringText, hclTemplateText, type MappedText } from '../policies/host-strings';
import { OffsetMap } from '../policies/offset-map';
import type { EmbeddedText } from '../source-format';
import type { Span } from '../types';
import { evaluate } from './evaluate';
import { dirname, joinPath } from './module';
import { attr, bound, headerSpan, type ResourceSite } from './resources';

/** Where a Terraform policy's XML is written. */
export type PolicySource = { kind: 'inline'; span: Span } | { kind: 'file'; path: string; template: boolean };

/** A policy resource before its XML is read: what it is attached to (its service is linked later) and its source. */
export interface PolicyPart {
  owner: PolicyOwner;
  source?: PolicySource;
}

export const POLICY_RESOURCES = new Set([
  'azurerm_api_management_api_policy',
  'azurerm_api_management_api_operation_policy',
  'azurerm_api_management_product_policy',
  'azurerm_api_management_policy',
]);

/** The azapi types of policies: an API's, an operation's, a product's, the service's (and workspaces' alike). */
export const AZAPI_POLICY_TYPE = /^Microsoft\.ApiManagement\/service\/(?:workspaces\/)?(?:(apis)\/(?:(operations)\/)?|(products)\/)?policies@/i;
export const AZAPI_API_TYPE = /^Microsoft\.ApiManagement\/service\/(?:workspaces\/)?apis@/i;

/** An azurerm policy resource: whom it applies to, and where its XML is. */
export function azurermPolicy(site: ResourceSite, type: string): PolicyPart {
  const name = (key: string) => {
    const a = attr(site.block, key);
    return a ? nameOf(a.expr, site) : '?';
  };
  let owner: string;
  if (type === 'azurerm_api_management_api_operation_policy') owner = `operation '${name('operation_id')}' of API '${name('api_name')}'`;
  else if (type === 'azurerm_api_management_api_policy') owner = `API '${name('api_name')}'`;
  else if (type === 'azurerm_api_management_product_policy') owner = `product '${name('product_id')}'`;
  else owner = 'the service';
  const xml = attr(site.block, 'xml_content');
  return { owner: { name: owner, header: headerSpan(site.block, site.path) }, source: xml ? sourceOf(xml.expr, site) : undefined };
}

/** An azapi policy: `body.properties.value` (the XML; a `…-link` format names a URL instead, which is not read). */
export function azapiPolicy(site: ResourceSite, type: string): PolicyPart {
  const m = AZAPI_POLICY_TYPE.exec(type);
  const owner = m?.[2] ? 'an operation' : m?.[1] ? 'an API' : m?.[3] ? 'a product' : 'the service';
  const body = attr(site.block, 'body');
  const props = body ? member(evaluate(body.expr, site.path, site.scope), 'properties') : undefined;
  const format = member(props, 'format');
  const value = member(props, 'value');
  const link = format?.kind === 'prim' && typeof format.value === 'string' && /-link$/i.test(format.value);
  const source: PolicySource | undefined = !link && value?.span ? { kind: 'inline', span: value.span } : undefined;
  return { owner: { name: `${owner} (${site.name})`, header: headerSpan(site.block, site.path) }, source };
}

/** `azurerm_api_management_api` (`service_url`) or an azapi API (`body.properties.serviceUrl`). */
export function terraformApi(site: ResourceSite, azapi: boolean): Api {
  const api: Api = { name: site.name, header: headerSpan(site.block, site.path) };
  if (!azapi) {
    const url = attr(site.block, 'service_url');
    if (url) api.serviceUrl = bound(url, site.path, site.scope, 'service_url');
    return api;
  }
  const body = attr(site.block, 'body');
  const url = body ? member(member(evaluate(body.expr, site.path, site.scope), 'properties'), 'serviceUrl') : undefined;
  if (url && body) api.serviceUrl = { val: url, consumer: { file: site.path, start: body.start, end: body.end }, consumerName: 'body.properties.serviceUrl' };
  return api;
}

/**
 * The policy texts of Terraform's policy resources, read from the files as they are now: an inline string or heredoc
 * (wherever a variable or local leads), or a workspace file that `file()` or `templatefile()` reads.
 */
export function policyTexts(parts: readonly PolicyPart[], textOf: (path: string) => string | undefined): EmbeddedText[] {
  const out: EmbeddedText[] = [];
  for (const part of parts) {
    const source = part.source;
    if (!source) continue;
    let mapped: MappedText | undefined;
    let file: string;
    if (source.kind === 'inline') {
      file = source.span.file;
      const text = textOf(file);
      mapped = text === undefined ? undefined : hclStringText(text, source.span.start, source.span.end);
    } else {
      file = source.path;
      const text = textOf(file);
      mapped = text === undefined ? undefined : source.template ? hclTemplateText(text) : { text, map: OffsetMap.identity(text.length) };
    }
    if (!mapped) continue;
    out.push({ language: POLICY.id, file, ...mapped, origin: source.kind === 'file' ? source.path : undefined, owner: part.owner });
  }
  return out;
}

/** What `xml_content` stands for: a string or heredoc (here, or where a variable or local leads), or a file read. */
function sourceOf(expr: Expr, site: ResourceSite): PolicySource | undefined {
  if (expr.kind === 'call' && (expr.name === 'file' || expr.name === 'templatefile') && expr.args[0]) {
    const path = pathOf(expr.args[0], site);
    return path === undefined ? undefined : { kind: 'file', path, template: expr.name === 'templatefile' };
  }
  if (expr.kind === 'literal' || expr.kind === 'template' || expr.kind === 'other')
    return { kind: 'inline', span: { file: site.path, start: expr.start, end: expr.end } };
  const val = evaluate(expr, site.path, site.scope);
  return val.span ? { kind: 'inline', span: val.span } : undefined;
}

/** A `file()` argument as a path: literal text, `path.module`, `path.root`, `path.cwd` and whatever evaluates to text. */
function pathOf(expr: Expr, site: ResourceSite): string | undefined {
  const dir = dirname(site.path);
  const part = (e: Expr | string): string | undefined => {
    if (typeof e === 'string') return e;
    if (e.kind === 'ref' && e.root === 'path' && e.path.length === 1)
      return e.path[0] === 'module' || e.path[0] === 'root' || e.path[0] === 'cwd' ? dir : undefined;
    const v = evaluate(e, site.path, site.scope);
    return v.kind === 'prim' && v.value !== null ? String(v.value) : undefined;
  };
  const pieces = expr.kind === 'template' ? expr.parts.map(part) : [part(expr)];
  if (pieces.some((p) => p === undefined)) return undefined;
  const rel = pieces.join('');
  // Relative paths are read from the working folder, which for a root module is its own folder.
  return rel.startsWith('/') ? joinPath('/', rel) : joinPath(dir, rel);
}

/** How a policy names what it applies to: the value, or the label of the resource it references, or the text. */
function nameOf(expr: Expr, site: ResourceSite): string {
  const v = evaluate(expr, site.path, site.scope);
  if (v.kind === 'prim' && v.value !== null) return String(v.value);
  if (expr.kind === 'ref' && typeof expr.path[0] === 'string' && !['var', 'local', 'each', 'module'].includes(expr.root)) return expr.path[0];
  return expr.kind === 'ref' ? [expr.root, ...expr.path.filter((p) => typeof p === 'string')].join('.') : '?';
}
