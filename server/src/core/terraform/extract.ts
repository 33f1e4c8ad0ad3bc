// Reads the Terraform resources that matter for backend TLS into the format-neutral model: azurerm backends
// (with count/for_each, `tls {}` and `dynamic "tls"`), azapi backends, and the service-wide protocol and cipher
// switches of `azurerm_api_management` (`security {}`, 3.x and 4.x names) and of azapi services.
import type { HclAttribute, HclBlock } from '../parse/hcl-ast';
import type { Span } from '../types';
import { member, type Backend, type Bound, type Model, type Service, type ServiceSwitch, type Val } from '../model';
import { evaluate, rootScope, withIterator, type ModuleInstance, type Scope } from './evaluate';
import type { TfModule } from './module';

/** Every instance of every module: roots once, called modules once per local `module` call. */
export function moduleInstances(modules: Map<string, TfModule>): ModuleInstance[] {
  const calls = new Map<string, Array<{ call: TfModule['moduleCalls'][number]; parent: TfModule }>>();
  for (const m of modules.values()) {
    for (const call of m.moduleCalls) {
      if (!call.sourceDir || !modules.has(call.sourceDir) || call.sourceDir === m.dir) continue;
      const list = calls.get(call.sourceDir) ?? [];
      list.push({ call, parent: m });
      calls.set(call.sourceDir, list);
    }
  }
  const instances: ModuleInstance[] = [];
  const roots = [...modules.values()].filter((m) => !calls.has(m.dir));
  const seen = new Set<string>();
  // Walk down from roots so that each called module is instantiated by each call of each parent instance.
  const visit = (instance: ModuleInstance, depth: number) => {
    instances.push(instance);
    if (depth > 4) return;
    for (const call of instance.module.moduleCalls) {
      const child = call.sourceDir ? modules.get(call.sourceDir) : undefined;
      if (child && child !== instance.module) visit({ module: child, call: { call, parent: instance } }, depth + 1);
    }
  };
  for (const r of roots) {
    seen.add(r.dir);
    visit({ module: r }, 0);
  }
  // Modules only reachable through cycles still get linted on their own.
  for (const m of modules.values()) if (!instances.some((i) => i.module === m)) instances.push({ module: m });
  return instances;
}

export function extractModel(instances: ModuleInstance[]): Model {
  const model: Model = { backends: [], services: [] };
  for (const instance of instances) {
    for (const res of instance.module.resources) {
      for (const { scope, key } of resourceInstances(res.block, res.path, instance)) {
        const name = `${res.type}.${res.name}${key === undefined ? '' : `[${JSON.stringify(key)}]`}`;
        const header = labelSpan(res.block, res.path);
        switch (res.type) {
          case 'azurerm_api_management_backend':
            model.backends.push(azurermBackend(res.block, res.path, scope, name, header));
            break;
          case 'azurerm_api_management':
            model.services.push(azurermService(res.block, res.path, scope, name, header));
            break;
          case 'azapi_resource':
          case 'azapi_update_resource': {
            const type = attrValue(res.block, 'type', res.path, scope);
            const t = type?.kind === 'prim' && typeof type.value === 'string' ? type.value : '';
            if (/^Microsoft\.ApiManagement\/service@/i.test(t)) model.services.push(azapiService(res.block, res.path, scope, name, header));
            else if (res.type === 'azapi_resource' && /^Microsoft\.ApiManagement\/service\/(workspaces\/)?backends@/i.test(t)) {
              model.backends.push(azapiBackend(res.block, res.path, scope, name, header));
            }
            break;
          }
        }
      }
    }
  }
  return model;
}

function labelSpan(block: HclBlock, path: string): Span {
  const last = block.labels[block.labels.length - 1];
  return last ? { file: path, start: last.start, end: last.end } : { file: path, start: block.start, end: block.typeEnd };
}

/** One scope per resource instance: `for_each` over a known map or set gives each.key/each.value. */
function resourceInstances(block: HclBlock, path: string, instance: ModuleInstance): Array<{ scope: Scope; key?: string }> {
  const scope = rootScope(instance);
  const count = block.attributes.find((a) => a.name === 'count');
  if (count) {
    const n = evaluate(count.expr, path, scope);
    if (n.kind === 'prim' && n.value === 0) return [];
  }
  const forEach = block.attributes.find((a) => a.name === 'for_each');
  if (!forEach) return [{ scope }];
  const coll = evaluate(forEach.expr, path, scope);
  const unknown = { kind: 'unknown' as const, span: { file: path, start: forEach.expr.start, end: forEach.expr.end } };
  if (coll.kind === 'object') {
    return [...coll.entries].map(([k, v]) => ({
      key: k,
      scope: withIterator(scope, 'each', { kind: 'prim', value: k, quoted: true, span: v.kind === 'unknown' ? unknown.span : v.span }, v),
    }));
  }
  if (coll.kind === 'list') {
    return coll.items.map((v) => {
      const k = v.kind === 'prim' ? String(v.value) : undefined;
      return { key: k, scope: withIterator(scope, 'each', v, v) };
    });
  }
  return [{ scope: withIterator(scope, 'each', unknown, unknown) }];
}

function attrValue(block: HclBlock, name: string, path: string, scope: Scope): Val | undefined {
  const attr = block.attributes.find((a) => a.name === name);
  return attr ? evaluate(attr.expr, path, scope) : undefined;
}

function bound(attr: HclAttribute, path: string, scope: Scope, consumerName: string): Bound {
  return { val: evaluate(attr.expr, path, scope), consumer: { file: path, start: attr.start, end: attr.end }, consumerName };
}

/**
 * The attributes of a nested block, static or `dynamic`, for each of its instances. A dynamic block whose
 * `for_each` is unknown yields its attributes with the iterator unknown (so literal settings still count).
 */
function nestedBlocks(block: HclBlock, type: string, path: string, scope: Scope): Array<{ block: HclBlock; scope: Scope }> {
  const out: Array<{ block: HclBlock; scope: Scope }> = [];
  for (const b of block.blocks) {
    if (b.type === type) out.push({ block: b, scope });
    else if (b.type === 'dynamic' && b.labels[0]?.value === type) {
      const content = b.blocks.find((c) => c.type === 'content');
      if (!content) continue;
      const iteratorAttr = b.attributes.find((a) => a.name === 'iterator');
      const iterator = iteratorAttr?.expr.kind === 'ref' ? iteratorAttr.expr.root : type;
      const forEach = b.attributes.find((a) => a.name === 'for_each');
      const coll = forEach ? evaluate(forEach.expr, path, scope) : undefined;
      const unknown: Val = { kind: 'unknown' };
      if (coll?.kind === 'list') coll.items.forEach((v, i) => out.push({ block: content, scope: withIterator(scope, iterator, { kind: 'prim', value: i, quoted: false, span: v.kind === 'unknown' ? { file: path, start: b.start, end: b.start } : v.span }, v) }));
      else if (coll?.kind === 'object') for (const [k, v] of coll.entries) out.push({ block: content, scope: withIterator(scope, iterator, { kind: 'prim', value: k, quoted: true, span: v.kind === 'unknown' ? { file: path, start: b.start, end: b.start } : v.span }, v) });
      else out.push({ block: content, scope: withIterator(scope, iterator, unknown, unknown) });
    }
  }
  return out;
}

function azurermBackend(block: HclBlock, path: string, scope: Scope, name: string, header: Span): Backend {
  const backend: Backend = { name, kind: 'azurerm', header, pins: [] };
  const url = block.attributes.find((a) => a.name === 'url');
  if (url) backend.url = bound(url, path, scope, 'url');
  for (const tls of nestedBlocks(block, 'tls', path, scope)) {
    for (const attr of tls.block.attributes) {
      if (attr.name === 'validate_certificate_chain') backend.validateChain = bound(attr, path, tls.scope, 'tls.validate_certificate_chain');
      if (attr.name === 'validate_certificate_name') backend.validateName = bound(attr, path, tls.scope, 'tls.validate_certificate_name');
    }
  }
  return backend;
}

function azapiBackend(block: HclBlock, path: string, scope: Scope, name: string, header: Span): Backend {
  const backend: Backend = { name, kind: 'azapi', header, pins: [] };
  const bodyAttr = block.attributes.find((a) => a.name === 'body');
  if (!bodyAttr) return backend;
  const consumer = { file: path, start: bodyAttr.start, end: bodyAttr.end };
  const props = member(evaluate(bodyAttr.expr, path, scope), 'properties');
  const url = member(props, 'url');
  if (url) backend.url = { val: url, consumer, consumerName: 'body.properties.url' };
  const tls = member(props, 'tls');
  const chain = member(tls, 'validateCertificateChain');
  const nameFlag = member(tls, 'validateCertificateName');
  if (chain) backend.validateChain = { val: chain, consumer, consumerName: 'body.properties.tls.validateCertificateChain' };
  if (nameFlag) backend.validateName = { val: nameFlag, consumer, consumerName: 'body.properties.tls.validateCertificateName' };
  return backend;
}

const BACKEND_PROTOCOLS: Record<string, string> = {
  backend_ssl30_enabled: 'SSL 3.0',
  backend_tls10_enabled: 'TLS 1.0',
  backend_tls11_enabled: 'TLS 1.1',
  enable_backend_ssl30: 'SSL 3.0',
  enable_backend_tls10: 'TLS 1.0',
  enable_backend_tls11: 'TLS 1.1',
};

/** Every cipher switch APIM exposes is a legacy one (3DES, CBC or static-RSA key exchange). */
function cipherLabel(setting: string): string | undefined {
  if (setting === 'triple_des_ciphers_enabled' || setting === 'enable_triple_des_ciphers') return '3DES';
  const m = /^tls_(\w+)_ciphers_enabled$/.exec(setting);
  return m ? `TLS_${m[1].toUpperCase()}` : undefined;
}

function azurermService(block: HclBlock, path: string, scope: Scope, name: string, header: Span): Service {
  const service: Service = { name, header, backendProtocols: [], ciphers: [], caStore: [] };
  const sku = block.attributes.find((a) => a.name === 'sku_name');
  if (sku) service.sku = bound(sku, path, scope, 'sku_name');
  for (const cert of nestedBlocks(block, 'certificate', path, scope)) {
    const store = cert.block.attributes.find((a) => a.name === 'store_name');
    service.caStore.push({ header: { file: path, start: cert.block.start, end: cert.block.typeEnd }, storeName: store ? evaluate(store.expr, path, cert.scope) : undefined });
  }
  for (const sec of nestedBlocks(block, 'security', path, scope)) {
    for (const attr of sec.block.attributes) {
      const protocol = BACKEND_PROTOCOLS[attr.name];
      const cipher = cipherLabel(attr.name);
      const sw: ServiceSwitch | undefined = protocol
        ? { setting: attr.name, label: protocol, bound: bound(attr, path, sec.scope, `security.${attr.name}`) }
        : cipher
          ? { setting: attr.name, label: cipher, bound: bound(attr, path, sec.scope, `security.${attr.name}`) }
          : undefined;
      if (sw) (protocol ? service.backendProtocols : service.ciphers).push(sw);
    }
  }
  return service;
}

const CUSTOM_PREFIX = 'microsoft.windowsazure.apimanagement.gateway.security.';

function azapiService(block: HclBlock, path: string, scope: Scope, name: string, header: Span): Service {
  const service: Service = { name, header, backendProtocols: [], ciphers: [], caStore: [] };
  const bodyAttr = block.attributes.find((a) => a.name === 'body');
  if (!bodyAttr) return service;
  const body = evaluate(bodyAttr.expr, path, scope);
  const sku = member(member(body, 'sku'), 'name');
  if (sku) service.sku = { val: sku, consumer: { file: path, start: bodyAttr.start, end: bodyAttr.end }, consumerName: 'body.sku.name' };
  const custom = member(member(body, 'properties'), 'customProperties');
  if (custom?.kind !== 'object') return service;
  const consumer = { file: path, start: bodyAttr.start, end: bodyAttr.end };
  for (const [key, val] of custom.entries) {
    const lower = key.toLowerCase();
    if (!lower.startsWith(CUSTOM_PREFIX)) continue;
    const rest = lower.slice(CUSTOM_PREFIX.length);
    const proto = /^backend\.protocols\.(tls10|tls11|ssl30)$/.exec(rest);
    const bnd = { val, consumer, consumerName: `customProperties["${key}"]` };
    if (proto) service.backendProtocols.push({ setting: key, label: { tls10: 'TLS 1.0', tls11: 'TLS 1.1', ssl30: 'SSL 3.0' }[proto[1]]!, bound: bnd });
    else if (rest.startsWith('ciphers.')) service.ciphers.push({ setting: key, label: key.slice(CUSTOM_PREFIX.length + 'ciphers.'.length), bound: bnd });
  }
  return service;
}
