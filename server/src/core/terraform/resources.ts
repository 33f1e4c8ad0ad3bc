// Readers for the Terraform resources that matter for backend TLS: azurerm backends (with `tls {}` and
// `dynamic "tls"`), azapi backends, azapi backend overlays, and the service-wide settings of `azurerm_api_management`
// (`security {}` in its 3.x and 4.x names, `certificate {}`) and of azapi services, whose `body` is read by
// ../resource-body.ts as ARM and Bicep bodies are. Linking them to each other is done by extract.ts.
import type { Expr, HclAttribute, HclBlock } from '../parse/hcl-ast';
import type { Span } from '../types';
import { member, type Backend, type BlockSpan, type Bound, type Overlay, type Service, type ServiceSwitch, type Val } from '../model';
import { apiVersionOf, caStoreOf, gatewaySwitchesOf, isPool, misplacedTls, pinsOf } from '../resource-body';
import { evaluate, withIterator, type Scope } from './evaluate';

export const BACKEND_TYPE = /^Microsoft\.ApiManagement\/service\/(workspaces\/)?backends@/i;
export const SERVICE_TYPE = /^Microsoft\.ApiManagement\/service@/i;

/** Where a resource is and what it is called, for every reader. */
export interface ResourceSite {
  block: HclBlock;
  path: string;
  scope: Scope;
  name: string;
  address: string;
  key?: string;
}

export function blockSpan(block: HclBlock, path: string): BlockSpan {
  return { file: path, start: block.start, end: block.end, bodyStart: block.bodyStart, bodyEnd: block.bodyEnd };
}

export function headerSpan(block: HclBlock, path: string): Span {
  const last = block.labels[block.labels.length - 1];
  return last ? { file: path, start: last.start, end: last.end } : { file: path, start: block.start, end: block.typeEnd };
}

export function attr(block: HclBlock, name: string): HclAttribute | undefined {
  return block.attributes.find((a) => a.name === name);
}

export function bound(a: HclAttribute, path: string, scope: Scope, consumerName: string): Bound {
  return { val: evaluate(a.expr, path, scope), consumer: { file: path, start: a.start, end: a.end }, consumerName };
}

function bodyBound(site: ResourceSite, val: Val | undefined, consumerName: string): Bound | undefined {
  const body = attr(site.block, 'body');
  return val && body ? { val, consumer: { file: site.path, start: body.start, end: body.end }, consumerName } : undefined;
}

/**
 * The attributes of a nested block, static or `dynamic`, for each of its instances. A dynamic block whose
 * `for_each` is unknown yields its attributes with the iterator unknown (so literal settings still count).
 */
export function nestedBlocks(block: HclBlock, type: string, path: string, scope: Scope): Array<{ block: HclBlock; outer: HclBlock; scope: Scope }> {
  const out: Array<{ block: HclBlock; outer: HclBlock; scope: Scope }> = [];
  for (const b of block.blocks) {
    if (b.type === type) out.push({ block: b, outer: b, scope });
    else if (b.type === 'dynamic' && b.labels[0]?.value === type) {
      const content = b.blocks.find((c) => c.type === 'content');
      if (!content) continue;
      const iteratorAttr = attr(b, 'iterator');
      const iterator = iteratorAttr?.expr.kind === 'ref' ? iteratorAttr.expr.root : type;
      const forEach = attr(b, 'for_each');
      const coll = forEach ? evaluate(forEach.expr, path, scope) : undefined;
      const here = { file: path, start: b.start, end: b.start };
      const keyOf = (k: string | number, v: Val): Val => ({
        kind: 'prim',
        value: k,
        quoted: typeof k === 'string',
        span: v.kind === 'unknown' ? here : v.span,
      });
      if (coll?.kind === 'list') coll.items.forEach((v, i) => out.push({ block: content, outer: b, scope: withIterator(scope, iterator, keyOf(i, v), v) }));
      else if (coll?.kind === 'object')
        for (const [k, v] of coll.entries) out.push({ block: content, outer: b, scope: withIterator(scope, iterator, keyOf(k, v), v) });
      else out.push({ block: content, outer: b, scope: withIterator(scope, iterator, { kind: 'unknown' }, { kind: 'unknown' }) });
    }
  }
  return out;
}

function baseBackend(site: ResourceSite, kind: Backend['kind']): Backend {
  return {
    name: site.name,
    address: site.address,
    key: site.key,
    kind,
    header: headerSpan(site.block, site.path),
    block: blockSpan(site.block, site.path),
    tlsBlocks: [],
    pins: [],
    overlays: [],
  };
}

export function azurermBackend(site: ResourceSite): Backend {
  const { block, path, scope } = site;
  const backend = baseBackend(site, 'azurerm');
  backend.fullPut = true;
  const name = attr(block, 'name');
  if (name) backend.backendName = evaluate(name.expr, path, scope);
  const url = attr(block, 'url');
  if (url) backend.url = bound(url, path, scope, 'url');
  const seen = new Set<HclBlock>();
  for (const tls of nestedBlocks(block, 'tls', path, scope)) {
    if (!seen.has(tls.outer)) backend.tlsBlocks.push(blockSpan(tls.outer, path));
    seen.add(tls.outer);
    for (const a of tls.block.attributes) {
      if (a.name === 'validate_certificate_chain') backend.validateChain = bound(a, path, tls.scope, 'tls.validate_certificate_chain');
      if (a.name === 'validate_certificate_name') backend.validateName = bound(a, path, tls.scope, 'tls.validate_certificate_name');
    }
  }
  return backend;
}

export function azapiBackend(site: ResourceSite, type: Bound | undefined): Backend {
  const backend = baseBackend(site, 'azapi');
  const name = attr(site.block, 'name');
  if (name) backend.backendName = evaluate(name.expr, site.path, site.scope);
  const body = bodyOf(site);
  const props = member(body, 'properties');
  backend.apiVersion = apiVersionOf(type?.val);
  if (isPool(props)) {
    backend.pool = true;
    return backend;
  }
  backend.url = bodyBound(site, member(props, 'url'), 'body.properties.url');
  const tls = member(props, 'tls');
  backend.validateChain = bodyBound(site, member(tls, 'validateCertificateChain'), 'body.properties.tls.validateCertificateChain');
  backend.validateName = bodyBound(site, member(tls, 'validateCertificateName'), 'body.properties.tls.validateCertificateName');
  backend.pins = pinsOf(tls, backend.apiVersion, site.name);
  backend.misplaced = misplacedTls(body, site.name);
  return backend;
}

/** An `azapi_update_resource` on a backend type, or one whose `resource_id` points at a backend. */
export function azapiOverlay(site: ResourceSite, type: Bound | undefined): Overlay {
  const t = type?.val.kind === 'prim' && typeof type.val.value === 'string' ? type.val.value : undefined;
  const body = bodyOf(site);
  const tls = member(member(body, 'properties'), 'tls');
  const apiVersion = apiVersionOf(type?.val);
  const lifecycle = site.block.blocks.find((b) => b.type === 'lifecycle');
  const triggers = lifecycle ? attr(lifecycle, 'replace_triggered_by') : undefined;
  return {
    name: site.name,
    address: site.address,
    key: site.key,
    header: headerSpan(site.block, site.path),
    block: blockSpan(site.block, site.path),
    type,
    isBackendType: t === undefined || BACKEND_TYPE.test(t),
    apiVersion,
    target: { kind: 'unknown' },
    tls: bodyBound(site, tls, 'body.properties.tls'),
    validateChain: bodyBound(site, member(tls, 'validateCertificateChain'), 'body.properties.tls.validateCertificateChain'),
    validateName: bodyBound(site, member(tls, 'validateCertificateName'), 'body.properties.tls.validateCertificateName'),
    pins: pinsOf(tls, apiVersion, site.name),
    misplaced: misplacedTls(body, site.name),
    replaceTriggeredBy: triggers?.expr.kind === 'tuple' ? triggers.expr.items.map(refAddress).filter((a): a is string => !!a) : [],
    replaceTriggeredByAttr: triggers
      ? {
          span: { file: site.path, start: triggers.start, end: triggers.end },
          list: triggers.expr.kind === 'tuple' ? { file: site.path, start: triggers.expr.start, end: triggers.expr.end } : undefined,
          items: triggers.expr.kind === 'tuple' ? triggers.expr.items.map((i) => ({ file: site.path, start: i.start, end: i.end })) : [],
          opaque: triggers.expr.kind !== 'tuple' || triggers.expr.items.some((i) => !refAddress(i)),
        }
      : undefined,
    lifecycle: lifecycle ? blockSpan(lifecycle, site.path) : undefined,
  };
}

function bodyOf(site: ResourceSite): Val | undefined {
  const body = attr(site.block, 'body');
  return body ? evaluate(body.expr, site.path, site.scope) : undefined;
}

/** `azurerm_api_management_backend.x` (or `...x[each.key]`) as the address without index, from a reference. */
export function refAddress(expr: Expr): string | undefined {
  if (expr.kind !== 'ref' || typeof expr.path[0] !== 'string') return undefined;
  if (expr.root === 'module' || expr.root === 'var' || expr.root === 'local' || expr.root === 'each') {
    return expr.root === 'module' ? `module.${expr.path[0]}` : undefined;
  }
  return `${expr.root}.${expr.path[0]}`;
}

const BACKEND_PROTOCOLS: Record<string, string> = {
  backend_ssl30_enabled: 'SSL 3.0',
  backend_tls10_enabled: 'TLS 1.0',
  backend_tls11_enabled: 'TLS 1.1',
  enable_backend_ssl30: 'SSL 3.0',
  enable_backend_tls10: 'TLS 1.0',
  enable_backend_tls11: 'TLS 1.1',
};

/**
 * azurerm's 3.x names of the backend protocol switches: deprecated from 4.27 (which added `backend_*_enabled`) and
 * removed in 5.0 (DESIGN §1a). They are still read, and the finding says what 5.x needs instead.
 */
function renamedSwitch(setting: string): string | undefined {
  const m = /^enable_backend_(ssl30|tls10|tls11)$/.exec(setting);
  return m ? `azurerm 5.0 removed ${setting} (under 5.x it is an unsupported argument): the name since 4.27 is backend_${m[1]}_enabled.` : undefined;
}

/** Every cipher switch APIM exposes is a legacy one (3DES, CBC or static-RSA key exchange). */
function cipherLabel(setting: string): string | undefined {
  if (setting === 'triple_des_ciphers_enabled' || setting === 'enable_triple_des_ciphers') return '3DES';
  const m = /^tls_(\w+)_ciphers_enabled$/.exec(setting);
  return m ? `TLS_${m[1].toUpperCase()}` : undefined;
}

function baseService(site: ResourceSite): Service {
  return { name: site.name, address: site.address, header: headerSpan(site.block, site.path), backendProtocols: [], ciphers: [], caStore: [] };
}

export function azurermService(site: ResourceSite): Service {
  const { block, path, scope } = site;
  const service = baseService(site);
  const name = attr(block, 'name');
  if (name) service.serviceName = evaluate(name.expr, path, scope);
  const sku = attr(block, 'sku_name');
  if (sku) service.sku = bound(sku, path, scope, 'sku_name');
  for (const cert of nestedBlocks(block, 'certificate', path, scope)) {
    const store = attr(cert.block, 'store_name');
    service.caStore.push({
      header: { file: path, start: cert.outer.start, end: cert.outer.typeEnd },
      storeName: store ? evaluate(store.expr, path, cert.scope) : undefined,
      block: blockSpan(cert.outer, path),
    });
  }
  for (const sec of nestedBlocks(block, 'security', path, scope)) {
    for (const a of sec.block.attributes) {
      const protocol = BACKEND_PROTOCOLS[a.name];
      const label = protocol ?? cipherLabel(a.name);
      if (!label) continue;
      const sw: ServiceSwitch = { setting: a.name, label, bound: bound(a, path, sec.scope, `security.${a.name}`), note: renamedSwitch(a.name) };
      (protocol ? service.backendProtocols : service.ciphers).push(sw);
    }
  }
  return service;
}

/** An azapi service (`azapi_resource`) or a patch of one (`azapi_update_resource`): SKU, CA store, switches. */
export function azapiService(site: ResourceSite): Service {
  const service = baseService(site);
  const body = bodyOf(site);
  const name = attr(site.block, 'name');
  if (name) service.serviceName = evaluate(name.expr, site.path, site.scope);
  service.sku = bodyBound(site, member(member(body, 'sku'), 'name'), 'body.sku.name');
  const props = member(body, 'properties');
  service.caStore.push(...caStoreOf(member(props, 'certificates')));
  const switches = gatewaySwitchesOf(member(props, 'customProperties'), (key, val) => bodyBound(site, val, `customProperties["${key}"]`));
  service.backendProtocols.push(...switches.backendProtocols);
  service.ciphers.push(...switches.ciphers);
  return service;
}
