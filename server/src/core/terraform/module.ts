// A Terraform module is a directory: its .tf/.tofu files, plus the variable files that feed it. This file groups
// parsed files into modules and indexes what the evaluator looks up (variables, locals, module calls).
import type { HclAttribute, HclBlock, HclFile } from '../parse/hcl-ast';
import type { Span } from '../types';

export interface TfSource {
  path: string;
  file: HclFile;
}

export interface TfModuleCall {
  name: string;
  block: HclBlock;
  path: string;
  /**
   * The called module's directory: the local path of `source`, or the folder `terraform init` downloaded a registry
   * module into (`.terraform/modules/modules.json` says which).
   */
  sourceDir?: string;
  /** `source` and `version` as written, when they are literal strings. */
  source?: string;
  version?: string;
}

export interface TfModule {
  dir: string;
  configFiles: TfSource[];
  /** Variable files in Terraform's precedence order, lowest first. */
  varFiles: TfSource[];
  variables: Map<string, { block: HclBlock; path: string }>;
  locals: Map<string, { attr: HclAttribute; path: string }>;
  resources: Array<{ type: string; name: string; block: HclBlock; path: string }>;
  moduleCalls: TfModuleCall[];
  /** `terraform { required_providers { name = { version = "..." } } }`: each provider's constraint, where written. */
  providers: Map<string, { constraint?: { value: string; span: Span }; entry: Span }>;
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins and normalizes `a/b/../c` style paths with '/' separators. */
export function joinPath(dir: string, rel: string): string {
  const parts = (rel.startsWith('/') ? rel : `${dir}/${rel}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(p);
  }
  return (dir.startsWith('/') || rel.startsWith('/') ? '/' : '') + out.join('/');
}

/** A file of a module `terraform init` downloaded: read as context, never the user's own to lint or edit. */
export function isDownloaded(path: string): boolean {
  return path.includes('/.terraform/modules/');
}

/** `.terraform/modules/modules.json`: which folder `terraform init` downloaded each module call into. */
export function isModulesManifest(path: string): boolean {
  return /(^|\/)\.terraform\/modules\/modules\.json$/.test(path);
}

export function isConfigFile(path: string): boolean {
  return /\.(tf|tofu)$/.test(path);
}

export function isVarFile(path: string): boolean {
  return /\.tfvars$/.test(path);
}

/**
 * Builds modules from parsed files. `extraVarFiles` are the var files named in the configuration, in order;
 * each applies to the module of its own directory, or else to every root module that declares its variables.
 */
export function buildModules(sources: TfSource[], extraVarFiles: ReadonlySet<string>): Map<string, TfModule> {
  const modules = new Map<string, TfModule>();
  const moduleOf = (dir: string): TfModule => {
    let m = modules.get(dir);
    if (!m) {
      m = { dir, configFiles: [], varFiles: [], variables: new Map(), locals: new Map(), resources: [], moduleCalls: [], providers: new Map() };
      modules.set(dir, m);
    }
    return m;
  };
  const sorted = [...sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const src of sorted) {
    if (isConfigFile(src.path)) indexConfigFile(moduleOf(dirname(src.path)), src);
  }
  const configured: TfSource[] = [];
  for (const src of sorted) {
    if (!isVarFile(src.path)) continue;
    if (extraVarFiles.has(src.path)) {
      configured.push(src);
      continue;
    }
    const name = basename(src.path);
    const m = modules.get(dirname(src.path));
    if (m && (name === 'terraform.tfvars' || name.endsWith('.auto.tfvars'))) m.varFiles.push(src);
  }
  // terraform.tfvars first, then *.auto.tfvars in lexical order: later files win.
  for (const m of modules.values()) {
    m.varFiles.sort((a, b) => rank(a.path) - rank(b.path) || (a.path < b.path ? -1 : 1));
  }
  const called = new Set<string>();
  for (const m of modules.values()) for (const c of m.moduleCalls) if (c.sourceDir) called.add(c.sourceDir);
  for (const src of configured) {
    const own = modules.get(dirname(src.path));
    if (own) {
      own.varFiles.push(src);
      continue;
    }
    const names = new Set(src.file.attributes.map((a) => a.name));
    for (const m of modules.values()) {
      if (!called.has(m.dir) && [...m.variables.keys()].some((v) => names.has(v))) m.varFiles.push(src);
    }
  }
  return modules;
}

/** A var file chosen at plan time (`terraform plan -var-file=env/dev.tfvars`): one evaluation run of its root module. */
export interface TfEnvironment {
  /** How findings and hovers name it: the file's name without `.tfvars` (`dev`), or its folder's for a terraform.tfvars. */
  name: string;
  source: TfSource;
}

/** Whether Terraform loads a var file by itself: terraform.tfvars and *.auto.tfvars in a module's own folder. */
export function isAutoLoaded(path: string, modules: ReadonlyMap<string, TfModule>): boolean {
  const name = basename(path);
  return (name === 'terraform.tfvars' || name.endsWith('.auto.tfvars')) && modules.has(dirname(path));
}

/**
 * The environments of each root module (DESIGN §2, §5). Without configured globs, a var file belongs to the nearest
 * module folder above it when that module is a root and the file sets one of its variables (a .tfvars beside a called
 * module is that module's test input, not an environment). A configured file outside every root's tree belongs, like a
 * configured var file, to each root that declares one of its variables.
 */
export function environmentsOf(modules: ReadonlyMap<string, TfModule>, candidates: readonly TfSource[], configured: boolean): Map<string, TfEnvironment[]> {
  const called = new Set<string>();
  for (const m of modules.values()) for (const c of m.moduleCalls) if (c.sourceDir && c.sourceDir !== m.dir) called.add(c.sourceDir);
  const sets = (m: TfModule, src: TfSource) => src.file.attributes.some((a) => m.variables.has(a.name));
  const out = new Map<string, TfSource[]>();
  const add = (m: TfModule, src: TfSource) => out.set(m.dir, [...(out.get(m.dir) ?? []), src]);
  for (const src of candidates) {
    let owner: TfModule | undefined;
    for (let dir = dirname(src.path); ; dir = dirname(dir)) {
      owner = modules.get(dir);
      if (owner || dir === '/' || dir === '.' || dirname(dir) === dir) break;
    }
    if (owner && !called.has(owner.dir)) {
      if (configured || sets(owner, src)) add(owner, src);
    } else if (configured) {
      for (const m of modules.values()) if (!called.has(m.dir) && sets(m, src)) add(m, src);
    }
  }
  const named = new Map<string, TfEnvironment[]>();
  for (const [dir, sources] of out) {
    const short = (p: string) => (basename(p) === 'terraform.tfvars' ? basename(dirname(p)) : basename(p).replace(/\.tfvars$/, ''));
    const clash = new Set(sources.map((x) => short(x.path)).filter((n, i, all) => all.indexOf(n) !== i));
    const relative = (p: string) => (p.startsWith(`${dir}/`) ? p.slice(dir.length + 1) : p).replace(/\.tfvars$/, '');
    const envs = sources.map((source) => ({ name: clash.has(short(source.path)) ? relative(source.path) : short(source.path), source }));
    named.set(
      dir,
      envs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    );
  }
  return named;
}

/** A module `terraform init` downloaded: the call's key (`apim`, `apim.child`), its source and version, its folder. */
export interface DownloadedModule {
  key: string;
  source?: string;
  version?: string;
  dir: string;
}

/**
 * The entries of a `.terraform/modules/modules.json` (`{ "Modules": [{ "Key", "Source", "Version", "Dir" }] }`), with
 * `Dir` made absolute from the root module's folder; entries it cannot read are left out.
 */
export function readModulesManifest(path: string, text: string): { root: string; modules: DownloadedModule[] } {
  const root = path.replace(/\/?\.terraform\/modules\/modules\.json$/, '') || '.';
  const modules: DownloadedModule[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { root, modules };
  }
  const list = (parsed as { Modules?: unknown } | null)?.Modules;
  if (!Array.isArray(list)) return { root, modules };
  for (const entry of list as Array<Record<string, unknown>>) {
    const { Key: key, Dir: dir, Source: source, Version: version } = entry ?? {};
    if (typeof key !== 'string' || !key || typeof dir !== 'string') continue;
    modules.push({
      key,
      dir: joinPath(root, dir),
      source: typeof source === 'string' ? source : undefined,
      version: typeof version === 'string' ? version : undefined,
    });
  }
  return { root, modules };
}

/** Lists a module's resources again from its files as they are now (after edits that touched resources only). */
export function reindexResources(m: TfModule): void {
  m.resources = [];
  for (const src of m.configFiles) {
    for (const block of src.file.blocks) {
      const [l0, l1] = block.labels;
      if (block.type === 'resource' && l0 && l1) m.resources.push({ type: l0.value, name: l1.value, block, path: src.path });
    }
  }
}

function rank(path: string): number {
  return basename(path) === 'terraform.tfvars' ? 0 : 1;
}

function indexConfigFile(m: TfModule, src: TfSource): void {
  m.configFiles.push(src);
  for (const block of src.file.blocks) {
    const [l0, l1] = block.labels;
    switch (block.type) {
      case 'variable':
        if (l0) m.variables.set(l0.value, { block, path: src.path });
        break;
      case 'locals':
        for (const attr of block.attributes) m.locals.set(attr.name, { attr, path: src.path });
        break;
      case 'resource':
        if (l0 && l1) m.resources.push({ type: l0.value, name: l1.value, block, path: src.path });
        break;
      case 'terraform':
        for (const providers of block.blocks) {
          if (providers.type !== 'required_providers') continue;
          for (const entry of providers.attributes) {
            const version = entry.expr.kind === 'object' ? entry.expr.items.find((i) => i.key === 'version')?.value : undefined;
            const constraint =
              version?.kind === 'literal' && typeof version.value === 'string'
                ? { value: version.value, span: { file: src.path, start: version.start, end: version.end } }
                : undefined;
            m.providers.set(entry.name, { constraint, entry: { file: src.path, start: entry.start, end: entry.end } });
          }
        }
        break;
      case 'module':
        if (l0) {
          const literal = (name: string) => {
            const a = block.attributes.find((x) => x.name === name);
            return a?.expr.kind === 'literal' && typeof a.expr.value === 'string' ? a.expr.value : undefined;
          };
          const value = literal('source');
          const local = value !== undefined && (value.startsWith('./') || value.startsWith('../'));
          m.moduleCalls.push({
            name: l0.value,
            block,
            path: src.path,
            sourceDir: local ? joinPath(m.dir, value) : undefined,
            source: value,
            version: literal('version'),
          });
        }
        break;
    }
  }
}
