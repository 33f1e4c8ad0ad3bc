// Terraform's part of the model, read again only where the files changed. Reading a resource block depends on the
// block and on its module instance's inputs (variables, locals, var files, module arguments), so while edits stay
// inside resource blocks of open files (TerraformDocument.generation unchanged), every other block keeps what was
// read from it: only the touched blocks are read again, then all are linked afresh. The spans of what is kept move
// with the text, in place, because each is tracked by the segment of the open file it lies in.
import type { HclBlock, HclFile, Located } from '../parse/hcl-ast';
import type { Model, Val } from '../model';
import { tooDeepNotice } from '../nesting-too-deep';
import { PARSE_BUDGET_CODE } from '../parse/parse-budget';
import type { ExtractRequest, FormatResult } from '../source-format';
import { isAvmTerraformService } from '../registry-modules';
import type { Finding, Span } from '../types';
import type { TerraformDocument } from './document';
import { policyTexts, type PolicyPart } from './policies';
import type { ModuleInstance } from './evaluate';
import { extractModel, extractResource, moduleInstances, type LinkMemo, type Resource, type ResourceParts } from './extract';
import {
  buildModules,
  dirname,
  environmentsOf,
  isAutoLoaded,
  isDownloaded,
  isModulesManifest,
  isVarFile,
  joinPath,
  readModulesManifest,
  reindexResources,
  type DownloadedModule,
  type TfEnvironment,
  type TfModule,
  type TfModuleCall,
  type TfSource,
} from './module';
import { headerSpan } from './resources';

export class TerraformModelCache {
  /** The documents (and their generations) the modules were built from. */
  private built = new Map<string, { doc: TerraformDocument; generation: number }>();
  /** Files of modules that cannot contribute, read as empty, with the text they had then. */
  private skipped = new Map<string, string>();
  private modules = new Map<string, TfModule>();
  private varFiles = new Set<string>();
  /** The configured environments function the modules were built with (a new configuration builds them again). */
  private environmentGlobs: ExtractRequest['environments'];
  /** Each root's environments, and the roots each environment's file belongs to. */
  private environments = new Map<string, TfEnvironment[]>();
  private environmentRoots = new Map<string, string[]>();
  private instances: ModuleInstance[] = [];
  /** The files of downloaded modules, each with the call in the user's configuration that leads to it. */
  private borrowed = new Map<string, { at: Span; note: string }>();
  private parts = new WeakMap<ModuleInstance, Map<HclBlock, ResourceParts>>();
  private links = new WeakMap<ModuleInstance, LinkMemo>();
  /** Objects whose spans are tracked already (shared values are reached from many resources). */
  private tracked = new WeakSet<object>();

  extract(documents: ReadonlyMap<string, TerraformDocument>, request: ExtractRequest): FormatResult {
    if (this.isStale(documents, request)) this.rebuild(documents, request);
    else this.refresh(documents);
    const wanted = request.only ? connectedModules(this.modules, [...request.only], this.varFiles, this.environmentRoots) : undefined;
    const instances = this.instances.filter((i) => !wanted || wanted.has(i.module.dir));
    const files = new Set<string>();
    for (const i of instances) {
      for (const s of i.module.configFiles) files.add(s.path);
      for (const s of i.varFiles ?? i.module.varFiles) files.add(s.path);
    }
    const notices: Finding[] = [];
    for (const path of files) {
      const document = documents.get(path);
      if (document?.overBudget !== undefined) notices.push(budgetNotice(path, document.overBudget));
      if (document?.tooDeepAt !== undefined) notices.push(tooDeepNotice(path, document.tooDeepAt));
    }
    // Policies are gathered from every run; one written once is read once, whichever runs evaluate it.
    const policies = new Map<string, PolicyPart>();
    const read = (list: ModuleInstance[]): Model => {
      const found: PolicyPart[] = [];
      const model = extractModel(
        list,
        (res, instance) => this.partsOf(res, instance, documents),
        (instance) => this.memoOf(instance),
        found,
      );
      for (const part of found) if (!policies.has(policyKey(part))) policies.set(policyKey(part), part);
      return model;
    };
    const model = read(instances.filter((i) => i.environment === undefined));
    const runs = new Map<string, Map<string, ModuleInstance[]>>();
    for (const i of instances) {
      if (i.environment === undefined) continue;
      const unit = rootOf(i).module.dir;
      const byEnv = runs.get(unit) ?? new Map<string, ModuleInstance[]>();
      byEnv.set(i.environment, [...(byEnv.get(i.environment) ?? []), i]);
      runs.set(unit, byEnv);
    }
    const runGroups = [...runs].map(([unit, byEnv]) => ({ unit, runs: [...byEnv].map(([name, list]) => ({ name, model: read(list) })) }));
    for (const instance of instances) this.prune(instance);
    // Policy texts are read from the files as they are now (a file() target may change without this module changing).
    const embedded = policies.size ? policyTexts([...policies.values()], (path) => documents.get(path)?.text ?? request.textOf(path)) : undefined;
    return { model, borrowed: this.borrowed, runs: runGroups, files: [...files], notices, embedded };
  }

  /** Whether the modules must be built again: a file came or went, or changed beyond its resource blocks. */
  private isStale(documents: ReadonlyMap<string, TerraformDocument>, request: ExtractRequest): boolean {
    if (documents.size !== this.built.size) return true;
    for (const [path, doc] of documents) {
      const was = this.built.get(path);
      if (!was || was.doc !== doc || was.generation !== doc.generation) return true;
      // A file of a module that could not contribute is read when it changes so that it may: it names a backend now.
      const skippedText = this.skipped.get(path);
      if (skippedText !== undefined && skippedText !== doc.text) {
        if (!isVarFile(path) && EITHER.test(doc.text)) return true;
        this.skipped.set(path, doc.text);
      }
      if (isVarFile(path) && request.isConfiguredVarFile(path) !== this.varFiles.has(path)) return true;
    }
    return request.environments !== this.environmentGlobs;
  }

  private rebuild(documents: ReadonlyMap<string, TerraformDocument>, request: ExtractRequest): void {
    this.built = new Map();
    this.tracked = new WeakSet();
    this.parts = new WeakMap();
    this.links = new WeakMap();
    this.skipped = new Map();
    const downloads = downloadedModules(documents);
    const contributing = contributingModules(documents, downloads);
    const sources: TfSource[] = [];
    // Environments: the configured ones, or var files below a module that can contribute (their owner is decided
    // once the modules are built); never a file of a downloaded module.
    const environment = (path: string) =>
      isVarFile(path) &&
      !isDownloaded(path) &&
      !request.isConfiguredVarFile(path) &&
      (request.environments ? request.environments(path) : underAny(path, contributing));
    for (const [path, doc] of documents) {
      doc.untrack();
      // Configured var files apply wherever they are; other files only matter in a module that can contribute.
      const read = contributing.has(dirname(path)) || (isVarFile(path) && request.isConfiguredVarFile(path)) || environment(path);
      if (!read) this.skipped.set(path, doc.text);
      sources.push({ path, file: read ? doc.hcl() : EMPTY });
      this.built.set(path, { doc, generation: doc.generation });
    }
    this.varFiles = new Set(sources.filter((s) => isVarFile(s.path) && request.isConfiguredVarFile(s.path)).map((s) => s.path));
    this.modules = buildModules(sources, this.varFiles);
    resolveDownloads(this.modules, downloads);
    const candidates = sources.filter((s) => environment(s.path) && !isAutoLoaded(s.path, this.modules));
    this.environmentGlobs = request.environments;
    this.environments = environmentsOf(this.modules, candidates, request.environments !== undefined);
    this.environmentRoots = new Map();
    for (const [root, envs] of this.environments) {
      for (const env of envs) this.environmentRoots.set(env.source.path, [...(this.environmentRoots.get(env.source.path) ?? []), root]);
    }
    this.instances = moduleInstances(this.modules, this.environments);
    this.borrowed = borrowedFiles(this.instances, downloads);
    for (const instance of this.instances) instance.onValue = (val) => this.track(val, documents);
  }

  /** Edits inside resource blocks: each module whose files changed lists its resources again. */
  private refresh(documents: ReadonlyMap<string, TerraformDocument>): void {
    for (const module of this.modules.values()) {
      let changed = false;
      for (const src of module.configFiles) {
        if (this.skipped.has(src.path)) continue;
        const file = documents.get(src.path)!.hcl();
        if (file !== src.file) {
          src.file = file;
          changed = true;
        }
      }
      if (changed) reindexResources(module);
    }
  }

  private partsOf(res: Resource, instance: ModuleInstance, documents: ReadonlyMap<string, TerraformDocument>): ResourceParts {
    let byBlock = this.parts.get(instance);
    if (!byBlock) this.parts.set(instance, (byBlock = new Map<HclBlock, ResourceParts>()));
    const known = byBlock.get(res.block);
    if (known) return known;
    const parts = extractResource(res, instance);
    byBlock.set(res.block, parts);
    for (const b of parts.backends) this.track(b.backend, documents);
    for (const s of parts.services) this.track(s, documents);
    for (const o of parts.overlays) this.track(o.overlay, documents);
    for (const p of parts.policies) this.track(p.part, documents);
    for (const a of parts.apis) this.track(a, documents);
    return parts;
  }

  private memoOf(instance: ModuleInstance): LinkMemo {
    let memo = this.links.get(instance);
    if (!memo) this.links.set(instance, (memo = { services: [], serviceOf: new WeakMap() }));
    return memo;
  }

  /** Drops what was read from blocks an instance no longer has. */
  private prune(instance: ModuleInstance): void {
    const byBlock = this.parts.get(instance);
    if (!byBlock || byBlock.size === instance.module.resources.length) return;
    const live = new Set([...instance.module.resources.map((r) => r.block), ...instance.module.moduleCalls.map((c) => c.block)]);
    for (const block of [...byBlock.keys()]) if (!live.has(block)) byBlock.delete(block);
  }

  /**
   * Tracks every span below `value` in the open file it lies in. Links between resources (services, overlays, targets)
   * are not followed: they are set afresh by each link and hold spans tracked with their own resources.
   */
  private track(value: object | Val, documents: ReadonlyMap<string, TerraformDocument>): void {
    const visit = (v: unknown): void => {
      if (v === null || typeof v !== 'object' || this.tracked.has(v)) return;
      this.tracked.add(v);
      if (Array.isArray(v)) {
        for (const x of v) visit(x);
        return;
      }
      if (v instanceof Map) {
        for (const x of v.values()) visit(x);
        return;
      }
      const o = v as Record<string, unknown>;
      if (typeof o.file === 'string' && typeof o.start === 'number') documents.get(o.file)?.track(o as unknown as Located);
      for (const key in o) if (!UNFOLLOWED.has(key)) visit(o[key]);
    };
    visit(value);
  }
}

function budgetNotice(file: string, budgetMs: number): Finding {
  return {
    file,
    start: 0,
    end: 0,
    ruleId: PARSE_BUDGET_CODE,
    severity: 'info',
    message:
      `apim-tls-lint skipped this Terraform file: parsing it took longer than its time budget (${budgetMs} ms), which only ` +
      'pathological text does (thousands of quotes or `${` in a row, say).',
    related: [],
    fixes: [],
  };
}

const EMPTY: HclFile = { blocks: [], attributes: [], hasErrors: false };

/**
 * What makes a module contribute to the model: an APIM or azapi resource (or a reference to one) in its files, or a
 * call of the AVM service module (read like the resources it deploys).
 */
const CONTRIBUTES = /api_management|ApiManagement|azapi|avm-res-apimanagement-service/;
const LOCAL_SOURCE = /\bsource\s*=\s*"(\.{1,2}\/[^"]*)"/g;
/** Either of the above, so that a file with neither (most of a large workspace) is scanned once. */
const EITHER = /api_management|ApiManagement|azapi|avm-res-apimanagement-service|\bsource\s*=\s*"\.{1,2}\//;

/** The modules each `.terraform/modules/modules.json` of the workspace lists, by the root module's folder. */
interface Downloads {
  byRoot: Map<string, Map<string, DownloadedModule>>;
  /** Each downloaded folder with its root and entry. */
  byDir: Map<string, { root: string; entry: DownloadedModule }>;
}

function downloadedModules(documents: ReadonlyMap<string, TerraformDocument>): Downloads {
  const out: Downloads = { byRoot: new Map(), byDir: new Map() };
  for (const [path, doc] of documents) {
    if (!isModulesManifest(path)) continue;
    const { root, modules } = readModulesManifest(path, doc.text);
    const byKey = new Map<string, DownloadedModule>();
    for (const entry of modules) {
      byKey.set(entry.key, entry);
      if (isDownloaded(`${entry.dir}/`)) out.byDir.set(entry.dir, { root, entry });
    }
    out.byRoot.set(root, byKey);
  }
  return out;
}

/**
 * Registry module calls that `terraform init` downloaded are followed like local ones: a call `n` of the root module
 * (or of a downloaded module whose key is `k`) is the manifest's entry `n` (or `k.n`). The AVM service module is read
 * by what is known of it instead (avm-service.ts), so its download is not followed.
 */
function resolveDownloads(modules: Map<string, TfModule>, downloads: Downloads): void {
  if (downloads.byRoot.size === 0) return;
  for (const m of modules.values()) {
    const own = downloads.byDir.get(m.dir);
    const root = own?.root ?? m.dir;
    const entries = downloads.byRoot.get(root);
    if (!entries) continue;
    for (const call of m.moduleCalls) {
      if (call.sourceDir || call.source === undefined || isAvmTerraformService(call.source)) continue;
      const entry = entries.get(own ? `${own.entry.key}.${call.name}` : call.name);
      if (entry && modules.has(entry.dir)) call.sourceDir = entry.dir;
    }
  }
}

/**
 * Where a finding in a downloaded module's file belongs: the call in the user's own configuration that leads to it
 * (the outermost call of the chain), with a sentence saying where it came from.
 */
function borrowedFiles(instances: readonly ModuleInstance[], downloads: Downloads): Map<string, { at: Span; note: string }> {
  const out = new Map<string, { at: Span; note: string }>();
  for (const instance of instances) {
    if (!isDownloaded(`${instance.module.dir}/`)) continue;
    let at: ModuleInstance = instance;
    let call: TfModuleCall | undefined;
    while (at.call && isDownloaded(`${at.module.dir}/`)) {
      call = at.call.call;
      at = at.call.parent;
    }
    if (!call) continue;
    const entry = downloads.byDir.get(call.sourceDir ?? '')?.entry;
    const what = [entry?.source ?? call.source, entry?.version].filter(Boolean).join(' ');
    const note =
      `It comes from module "${call.name}" (${what || 'a registry module'}), as terraform init downloaded it into .terraform/modules: ` +
      'set the input in the module call, or fix the default upstream.';
    for (const src of [...instance.module.configFiles, ...instance.module.varFiles]) {
      if (!out.has(src.path)) out.set(src.path, { at: headerSpan(call.block, call.path), note });
    }
  }
  return out;
}

/**
 * The folders of the modules that can contribute to the model: those whose files name an APIM or azapi resource, and
 * every module that calls one of them (the values it passes flow down), locally or through a download. A module of
 * neither kind holds nothing a rule reads, so its files need not be parsed at all: in a large workspace most modules
 * are such. A downloaded folder no manifest lists (a downloaded module's examples) is never read.
 */
function contributingModules(documents: ReadonlyMap<string, TerraformDocument>, downloads: Downloads): Set<string> {
  const out = new Set<string>();
  const callers = new Map<string, Set<string>>();
  const calls = (caller: string, callee: string) => {
    const set = callers.get(callee) ?? new Set<string>();
    set.add(caller);
    callers.set(callee, set);
  };
  for (const [path, doc] of documents) {
    if (isVarFile(path) || isModulesManifest(path)) continue;
    if (!EITHER.test(doc.text)) continue;
    const dir = dirname(path);
    if (isDownloaded(path) && !downloads.byDir.has(dir)) continue;
    if (CONTRIBUTES.test(doc.text)) out.add(dir);
    for (const m of doc.text.matchAll(LOCAL_SOURCE)) calls(dir, joinPath(dir, m[1]));
  }
  for (const [dir, { root, entry }] of downloads.byDir) {
    const parent = entry.key.includes('.') ? downloads.byRoot.get(root)?.get(entry.key.slice(0, entry.key.lastIndexOf('.')))?.dir : root;
    if (parent) calls(parent, dir);
  }
  const stack = [...out];
  while (stack.length) {
    for (const caller of callers.get(stack.pop()!) ?? []) {
      if (out.has(caller)) continue;
      out.add(caller);
      stack.push(caller);
    }
  }
  return out;
}

const UNFOLLOWED = new Set(['service', 'overlays', 'target', 'backend']);

/** Whether a path lies in one of `dirs` or below it. */
function underAny(path: string, dirs: ReadonlySet<string>): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (dirs.has(dir)) return true;
    if (dirname(dir) === dir || dir === '.') return false;
  }
}

/** The root instance an instance is called from (itself for a root). */
function rootOf(instance: ModuleInstance): ModuleInstance {
  let at = instance;
  while (at.call) at = at.call.parent;
  return at;
}

/**
 * The modules of `paths` plus every module linked to them by local module calls, in either direction; an
 * environment's var file stands for the roots it belongs to.
 */
function connectedModules(
  modules: Map<string, TfModule>,
  paths: string[],
  varFiles: ReadonlySet<string>,
  environmentRoots: ReadonlyMap<string, string[]>,
): Set<string> {
  if (paths.some((p) => varFiles.has(p))) return new Set(modules.keys());
  const links = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (!links.has(a)) links.set(a, new Set());
    links.get(a)!.add(b);
  };
  for (const m of modules.values()) {
    for (const c of m.moduleCalls) {
      if (c.sourceDir && modules.has(c.sourceDir)) {
        link(m.dir, c.sourceDir);
        link(c.sourceDir, m.dir);
      }
    }
  }
  const out = new Set<string>();
  const stack = paths.flatMap((p) => environmentRoots.get(p) ?? [dirname(p)]);
  while (stack.length) {
    const dir = stack.pop()!;
    if (out.has(dir)) continue;
    out.add(dir);
    for (const next of links.get(dir) ?? []) stack.push(next);
  }
  return out;
}

/** A policy's identity across runs: what it is attached to, where it is declared and where its text is. */
function policyKey(part: PolicyPart): string {
  const h = part.owner.header;
  const src = part.source;
  const at = !src ? '' : src.kind === 'inline' ? `${src.span.file}:${src.span.start}` : src.path;
  return `${part.owner.name}\u0000${h.file}:${h.start}\u0000${at}`;
}
