// Builds the format-neutral model from Terraform modules: each module instance's backends, services and azapi
// overlays (read by resources.ts), then the links between them — overlay to backend through `resource_id`, backend
// to service through `api_management_name` or `parent_id` — and every `depends_on` reference.
import type { HclAttribute, HclBlock } from '../parse/hcl-ast';
import { asString, type Backend, type DependsOnRef, type Deployer, type Model, type Overlay, type Pin, type Service, type Val } from '../model';
import { evaluate, rootScope, withIterator, type ModuleInstance, type Scope } from './evaluate';
import { isAvmTerraformService } from '../registry-modules';
import { avmServiceCall } from './avm-service';
import { isDownloaded, type TfEnvironment, type TfModule } from './module';
import {
  attr,
  azapiBackend,
  azapiOverlay,
  azapiService,
  azurermBackend,
  azurermService,
  bound,
  BACKEND_TYPE,
  refAddress,
  SERVICE_TYPE,
  type ResourceSite,
} from './resources';

/**
 * Every instance of every module: roots once, or once per environment (with that environment's var file applied
 * last), called modules once per local `module` call of each parent instance.
 */
export function moduleInstances(modules: Map<string, TfModule>, environments: ReadonlyMap<string, TfEnvironment[]> = new Map()): ModuleInstance[] {
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
  // A downloaded module is read only through the calls that lead to it (never as a root of its own).
  const roots = [...modules.values()].filter((m) => !calls.has(m.dir) && !isDownloaded(`${m.dir}/`));
  const seen = new Set<string>();
  // Walk down from roots so that each called module is instantiated by each call of each parent instance.
  const visit = (instance: ModuleInstance, depth: number) => {
    instances.push(instance);
    if (depth > 4) return;
    for (const call of instance.module.moduleCalls) {
      const child = call.sourceDir ? modules.get(call.sourceDir) : undefined;
      if (child && child !== instance.module) visit({ module: child, call: { call, parent: instance }, environment: instance.environment }, depth + 1);
    }
  };
  for (const r of roots) {
    seen.add(r.dir);
    const envs = environments.get(r.dir);
    if (!envs?.length) visit({ module: r }, 0);
    else for (const env of envs) visit({ module: r, varFiles: [...r.varFiles, env.source], environment: env.name }, 0);
  }
  // Modules only reachable through cycles still get linted on their own.
  for (const m of modules.values()) if (!isDownloaded(`${m.dir}/`) && !instances.some((i) => i.module === m)) instances.push({ module: m });
  return instances;
}

/** What one resource block contributes to the model in one module instance, before resources are linked. */
export interface ResourceParts {
  /** Each backend with the pins of its own body (overlays add theirs when linked). */
  backends: Array<{ backend: Backend; site: ResourceSite; ownPins: Pin[] }>;
  services: Service[];
  overlays: Array<{ overlay: Overlay; site: ResourceSite }>;
}

export type Resource = TfModule['resources'][number];

/** What linking found for backends whose services have not changed since (kept by a caller that links again often). */
export interface LinkMemo {
  services: Service[];
  serviceOf: WeakMap<Backend, Service | undefined>;
}

/**
 * The model of the given module instances. `partsOf` reads one resource block of an instance (extractResource, or a
 * cache of its earlier results: reading a block depends only on the block and its instance's inputs).
 */
export function extractModel(
  instances: ModuleInstance[],
  partsOf: (res: Resource, instance: ModuleInstance) => ResourceParts = extractResource,
  memoOf?: (instance: ModuleInstance) => LinkMemo,
): Model {
  const model: Model = { backends: [], services: [], overlays: [], dependsOn: [] };
  for (const instance of instances) {
    const parts: ResourceParts[] = [];
    for (const res of instance.module.resources) {
      collectDependsOn(res.block, res.path, `${res.type}.${res.name}`, model.dependsOn);
      parts.push(partsOf(res, instance));
    }
    for (const call of instance.module.moduleCalls) {
      collectDependsOn(call.block, call.path, `module.${call.name}`, model.dependsOn);
      // A registry module whose behaviour is known is read like the resources it deploys.
      if (call.source !== undefined && isAvmTerraformService(call.source))
        parts.push(partsOf({ type: 'module', name: call.name, block: call.block, path: call.path }, instance));
    }
    link(parts, model, memoOf?.(instance));
  }
  return model;
}

/** The backends, services and overlays one resource block declares in one module instance (one per `for_each` key). */
export function extractResource(res: Resource, instance: ModuleInstance): ResourceParts {
  const parts: ResourceParts = { backends: [], services: [], overlays: [] };
  const address = `${res.type}.${res.name}`;
  let keysUnknown: boolean | undefined;
  const backend = (b: Backend, site: ResourceSite) => {
    if (keysUnknown) b.keysUnknown = true;
    if (instance.environment !== undefined) b.environment = instance.environment;
    parts.backends.push({ backend: b, site, ownPins: [...b.pins] });
  };
  for (const { scope, key, unknownKeys } of resourceInstances(res.block, res.path, instance)) {
    keysUnknown = unknownKeys;
    const site: ResourceSite = {
      block: res.block,
      path: res.path,
      scope,
      address,
      key,
      name: `${address}${key === undefined ? '' : `[${JSON.stringify(key)}]`}`,
    };
    if (res.type === 'module') {
      const call = avmServiceCall(site);
      parts.services.push(call.service);
      for (const b of call.backends) backend(b, site);
    } else if (res.type === 'azurerm_api_management_backend') backend(azurermBackend(site), site);
    else if (res.type === 'azurerm_api_management') parts.services.push(azurermService(site));
    else if (res.type === 'azapi_resource' || res.type === 'azapi_update_resource') {
      const typeAttr = attr(res.block, 'type');
      const type = typeAttr ? bound(typeAttr, res.path, scope, 'type') : undefined;
      const t = asString(type?.val) ?? '';
      if (SERVICE_TYPE.test(t)) parts.services.push(azapiService(site));
      else if (res.type === 'azapi_resource' && BACKEND_TYPE.test(t)) {
        const b = azapiBackend(site, type);
        b.deployer = azapiDeployer(instance);
        backend(b, site);
      } else if (res.type === 'azapi_update_resource' && (BACKEND_TYPE.test(t) || pointsAtBackend(attr(res.block, 'resource_id')))) {
        parts.overlays.push({ overlay: azapiOverlay(site, type), site });
      }
    }
  }
  return parts;
}

/**
 * azapi as an `azapi_resource` backend's deployer: it validates the body against the schema its release embeds, so the
 * azapi constraints of the module and of every module calling it decide which api-versions plan (APIM018).
 */
function azapiDeployer(instance: ModuleInstance): Deployer {
  const deployer: Deployer = { tool: 'azapi', constraints: [] };
  for (let at: ModuleInstance | undefined = instance; at; at = at.call?.parent) {
    const entry = at.module.providers.get('azapi');
    if (entry?.constraint) deployer.constraints.push(entry.constraint);
    deployer.declaredAt ??= entry?.entry;
  }
  return deployer;
}

/**
 * Links the resources of one module instance: each overlay to the backend its `resource_id` names (the backend gets
 * the overlay's pins), each backend to its service. Links are set afresh, so parts read earlier can be linked again.
 */
function link(parts: ResourceParts[], model: Model, memo?: LinkMemo): void {
  const backends = parts.flatMap((p) => p.backends);
  const services = parts.flatMap((p) => p.services);
  const overlays = parts.flatMap((p) => p.overlays);
  const byAddress = new Map<string, Backend[]>();
  for (const { backend, ownPins } of backends) {
    // Linking only appends overlays' pins to a backend's own: a list of the same length is the own one.
    if (backend.overlays.length) backend.overlays = [];
    if (backend.pins.length !== ownPins.length) backend.pins = [...ownPins];
    const same = byAddress.get(backend.address);
    if (same) same.push(backend);
    else byAddress.set(backend.address, [backend]);
  }
  for (const { overlay, site } of overlays) {
    overlay.target = resolveTarget(site, backends, byAddress);
    if (overlay.target.kind === 'backend' && overlay.isBackendType) {
      overlay.target.backend.overlays.push(overlay);
      overlay.target.backend.pins.push(...overlay.pins);
    }
  }
  if (memo && (memo.services.length !== services.length || memo.services.some((s, i) => s !== services[i]))) {
    memo.services = services;
    memo.serviceOf = new WeakMap();
  }
  for (const { backend, site } of backends) {
    // A registry module's backends belong to the service the same call deploys.
    if (site.block.type === 'module') continue;
    if (memo?.serviceOf.has(backend)) backend.service = memo.serviceOf.get(backend);
    else {
      backend.service = serviceOf(site, services);
      memo?.serviceOf.set(backend, backend.service);
    }
  }
  model.backends.push(...backends.map((b) => b.backend));
  model.services.push(...services);
  model.overlays.push(...overlays.map((o) => o.overlay));
}

function pointsAtBackend(resourceId: HclAttribute | undefined): boolean {
  const e = resourceId?.expr;
  if (!e) return false;
  if (e.kind === 'ref') return e.root === 'azurerm_api_management_backend';
  return e.kind === 'literal' && typeof e.value === 'string' && /\/backends\/[^/]+$/i.test(e.value);
}

/** What an overlay's `resource_id` names among the backends of its module instance. */
function resolveTarget(site: ResourceSite, backends: Array<{ backend: Backend }>, byAddress: ReadonlyMap<string, Backend[]>): Overlay['target'] {
  const idAttr = attr(site.block, 'resource_id');
  if (!idAttr) return { kind: 'unknown' };
  const expr = idAttr.expr;
  const span = { file: site.path, start: expr.start, end: expr.end };
  if (expr.kind === 'ref' && (expr.root === 'azurerm_api_management_backend' || expr.root === 'azapi_resource') && typeof expr.path[0] === 'string') {
    const address = `${expr.root}.${expr.path[0]}`;
    const candidates = byAddress.get(address) ?? [];
    if (candidates.length === 0) return expr.root === 'azurerm_api_management_backend' ? { kind: 'none', span } : { kind: 'unknown' };
    const index = expr.path[1];
    if (index === undefined || index === 'id') {
      return candidates.length === 1 && candidates[0].key === undefined ? { kind: 'backend', backend: candidates[0] } : { kind: 'unknown' };
    }
    let key: string | undefined;
    if (typeof index === 'string' || typeof index === 'number') key = index === '*' ? undefined : String(index);
    else {
      const v = evaluate(index, site.path, site.scope);
      if (v.kind === 'prim' && v.value !== null) key = String(v.value);
    }
    if (key === undefined) return { kind: 'unknown' };
    const hit = candidates.find((b) => b.key === key);
    return hit ? { kind: 'backend', backend: hit } : { kind: 'none', span };
  }
  const id = asString(evaluate(expr, site.path, site.scope));
  const m = id === undefined ? null : /\/backends\/([^/]+)$/i.exec(id);
  if (!m) return { kind: 'unknown' };
  const hit = backends.find((b) => asString(b.backend.backendName)?.toLowerCase() === m[1].toLowerCase())?.backend;
  return hit ? { kind: 'backend', backend: hit } : { kind: 'none', span };
}

/** The service a backend belongs to: by reference (`azurerm_api_management.x.name`, `parent_id`) or by name. */
function serviceOf(site: ResourceSite, services: Service[]): Service | undefined {
  const link = attr(site.block, site.address.startsWith('azapi_') ? 'parent_id' : 'api_management_name');
  if (!link) return undefined;
  const address = refAddress(link.expr);
  if (address) {
    const byRef = services.find((s) => s.address === address && !s.address.startsWith('azapi_update_resource'));
    if (byRef) return byRef;
  }
  const name = asString(evaluate(link.expr, site.path, site.scope));
  if (name === undefined) return undefined;
  const last = name.split('/').pop()!.toLowerCase();
  return services.find((s) => asString(s.serviceName)?.toLowerCase() === last && !s.address.startsWith('azapi_update_resource'));
}

function collectDependsOn(block: HclBlock, path: string, owner: string, out: DependsOnRef[]): void {
  const deps = attr(block, 'depends_on');
  if (deps?.expr.kind !== 'tuple') return;
  for (const item of deps.expr.items) {
    const address = refAddress(item);
    if (address && !out.some((d) => d.span.file === path && d.span.start === item.start)) {
      out.push({ span: { file: path, start: item.start, end: item.end }, address, owner });
    }
  }
}

/**
 * One scope per resource instance: `for_each` over a known map or set gives each.key/each.value. A deploy condition
 * (`count = 0`, a `for_each` conditional that yields nothing) hides the resource only when it holds without variable
 * defaults (DESIGN §2): `count = var.enabled ? 1 : 0` with `default = false` is an opt-in resource, linted as deployed.
 */
function resourceInstances(block: HclBlock, path: string, instance: ModuleInstance): Array<{ scope: Scope; key?: string; unknownKeys?: boolean }> {
  const scope = rootScope(instance);
  const count = block.attributes.find((a) => a.name === 'count');
  if (count) {
    const n = evaluate(count.expr, path, scope);
    if (n.kind === 'prim' && n.value === 0 && isZero(evaluate(count.expr, path, rootScope(instance, true)))) return [];
  }
  const forEach = block.attributes.find((a) => a.name === 'for_each');
  if (!forEach) return [{ scope }];
  let coll = evaluate(forEach.expr, path, scope);
  if (isEmpty(coll) && forEach.expr.kind === 'conditional') {
    if (isEmpty(evaluate(forEach.expr, path, rootScope(instance, true)))) return [];
    // Deployed after all: the branch that yields instances is the one the deploy condition chooses when it is on.
    const branches = [forEach.expr.then, forEach.expr.else].map((e) => evaluate(e, path, scope)).filter((v) => !isEmpty(v));
    coll = branches.length === 1 ? branches[0] : { kind: 'unknown', span: { file: path, start: forEach.expr.start, end: forEach.expr.end } };
  }
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
  return [{ scope: withIterator(scope, 'each', unknown, unknown), unknownKeys: true }];
}

function isZero(v: Val): boolean {
  return v.kind === 'prim' && (v.value === 0 || v.value === false);
}

/** A known collection with nothing in it (`{}`, `[]`, `toset([])`). */
function isEmpty(v: Val): boolean {
  return (v.kind === 'object' && v.entries.size === 0) || (v.kind === 'list' && v.items.length === 0);
}
