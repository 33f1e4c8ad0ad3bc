// The workspace: every Terraform file's text and its parsed form, grouped into modules and linted. Open documents
// keep a tree for incremental reparsing; closed files keep only plain extracted blocks (the wasm heap never shrinks).
import picomatch from 'picomatch';
import { defaultConfig, type Config } from './config';
import { extractFile, patchFile, type HclFile } from './parse/hcl-ast';
import { parseForExtraction } from './parse/parse-relevant';
import type { TerraformParser, Tree } from './parse/terraform-parser';
import { RULE_LIST } from './rules';
import type { Report } from './rules/rule';
import { applySuppressions } from './suppress';
import { extractModel, moduleInstances } from './terraform/extract';
import { buildModules, dirname, isConfigFile, isVarFile, type TfModule, type TfSource } from './terraform/module';
import type { CertificateInfo } from './certificates/types';
import { planPinEdit, type PinPlan, type PinRequest } from './fixes/pin';
import { planTemplatePin } from './fixes/pin-template';
import type { Backend, Model } from './model';
import type { Finding } from './types';

/** Files larger than this are not parsed; they get one info finding instead. */
export const MAX_FILE_SIZE = 5 * 1024 * 1024;
export const FILE_TOO_LARGE_CODE = 'file-too-large';

/** A file that mentions none of these cannot hold a backend, a service or a value a backend reads. */
const RELEVANT = /api_management|ApiManagement|azapi|variable|locals|module/;

export { isTerraformFile } from './formats';
import { formatOf, type SourceText } from './formats';
import { extractArmModel } from './arm/extract';
import { extractBicepModel, type BicepParser } from './bicep/extract';

export interface TextChange {
  /** Offsets in the text as it is before this change. */
  start: number;
  end: number;
  text: string;
}

interface FileEntry {
  text: string;
  hcl?: HclFile;
  tree?: Tree;
}

interface Analysis {
  model: Model;
  files: Set<string>;
  tooLarge: Finding[];
}

export interface LintResult {
  findings: Finding[];
  /** Every file the lint covered, findings or not (so callers can clear stale diagnostics). */
  files: string[];
}

export class Workspace {
  private readonly entries = new Map<string, FileEntry>();
  private config: Config = defaultConfig();
  private ignore: (path: string) => boolean = () => false;
  private varFileMatch: (path: string) => boolean = () => false;
  private readonly certificates = new Map<string, CertificateInfo[]>();
  private lastAnalysis: { key: string; result: Analysis } | undefined;
  private bicepParser: BicepParser | undefined;
  /** Fixed by tests so that certificate expiry does not depend on the day they run. */
  now: () => Date = () => new Date();

  constructor(
    private readonly parser: TerraformParser,
    config?: Config,
    configDir?: string,
  ) {
    if (config) this.setConfig(config, configDir);
  }

  /** `configDir` is the folder of `.apim-tls-lint.json`; its globs are relative to it. */
  setConfig(config: Config, configDir?: string): void {
    this.config = config;
    this.changed();
    const base = configDir ? configDir.replace(/\/+$/, '') + '/' : '';
    const relative = (path: string) => (base && path.startsWith(base) ? path.slice(base.length) : path);
    const ignore = config.ignore.length ? picomatch(config.ignore, { dot: true }) : undefined;
    const varFiles = config.varFiles.length ? picomatch(config.varFiles, { dot: true }) : undefined;
    this.ignore = ignore ? (p) => ignore(relative(p)) : () => false;
    this.varFileMatch = varFiles ? (p) => varFiles(relative(p)) : () => false;
  }

  getConfig(): Config {
    return this.config;
  }

  isIgnored(path: string): boolean {
    return this.ignore(path);
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  paths(): string[] {
    return [...this.entries.keys()];
  }

  textOf(path: string): string | undefined {
    return this.entries.get(path)?.text;
  }

  /** Sets a file's whole text; any incremental tree is dropped. */
  setFile(path: string, text: string): void {
    const old = this.entries.get(path);
    if (old && old.text === text && !old.tree) return;
    old?.tree?.delete();
    this.entries.set(path, { text });
    this.changed();
  }

  /** The Bicep parser, when the caller has loaded one; without it Bicep files are not analysed. */
  setBicepParser(parser: BicepParser): void {
    this.bicepParser = parser;
    this.changed();
  }

  /** Opens a document for editing: a Terraform document keeps its tree so later edits reparse incrementally. */
  openFile(path: string, text: string): void {
    this.setFile(path, text);
    const entry = this.entries.get(path)!;
    if (text.length <= MAX_FILE_SIZE && formatOf(path) === 'terraform') {
      entry.tree = this.parser.parse(text);
      entry.hcl = undefined;
    }
  }

  /** Applies changes in order (LSP incremental sync) and reparses incrementally. */
  editFile(path: string, changes: TextChange[]): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    let text = entry.text;
    for (const change of changes) {
      if (entry.tree) {
        // Points without indexing every line of the text twice per keystroke.
        const start = pointAt(text, change.start);
        entry.tree.edit({
          startIndex: change.start,
          oldEndIndex: change.end,
          newEndIndex: change.start + change.text.length,
          startPosition: start,
          oldEndPosition: pointAt(text, change.end),
          newEndPosition: advance(start, change.text),
        });
      }
      text = text.slice(0, change.start) + change.text + text.slice(change.end);
    }
    entry.text = text;
    const prev = entry.hcl;
    entry.hcl = undefined;
    this.changed();
    if (entry.tree) {
      const old = entry.tree;
      entry.tree = text.length <= MAX_FILE_SIZE ? this.parser.parse(text, old) : undefined;
      // One edit in an error-free document: re-read only the top-level blocks it touched.
      if (prev && entry.tree && changes.length === 1 && prev.blocks.length + prev.attributes.length > 0) {
        const c = changes[0];
        const changed = entry.tree.getChangedRanges(old).map((r) => ({ start: r.startIndex, end: r.endIndex }));
        entry.hcl = patchFile(prev, entry.tree, text, c.start, c.end, c.start + c.text.length, changed);
      }
      old.delete();
    }
  }

  /** Closes a document: its tree is freed; the text stays until the caller sets the disk text. */
  closeFile(path: string): void {
    const entry = this.entries.get(path);
    if (entry?.tree) {
      entry.tree.delete();
      entry.tree = undefined;
    }
  }

  /** Certificates read from a workspace file (the caller reads and parses it); an empty list forgets the file. */
  setCertificates(path: string, certificates: CertificateInfo[]): void {
    if (certificates.length) this.certificates.set(path, certificates);
    else this.certificates.delete(path);
    this.changed();
  }

  removeFile(path: string): void {
    this.entries.get(path)?.tree?.delete();
    this.entries.delete(path);
    this.changed();
  }

  /** Lints every module; with `paths`, only the modules those files belong to (and their callers and callees). */
  lint(paths?: Iterable<string>): LintResult {
    const { model, files, tooLarge } = this.analyse(paths);
    const certificates = this.allCertificates();
    const now = this.now();
    const byFile = new Map<string, Finding[]>();
    const seen = new Set<string>();
    const enabled = new Set<string>();
    for (const rule of RULE_LIST) {
      const setting = this.config.rules[rule.meta.id] ?? rule.meta.defaultSeverity;
      if (setting === 'off') continue;
      enabled.add(rule.meta.id);
      rule.check(model, {
        config: this.config,
        certificates,
        now,
        textOf: (file) => this.entries.get(file)?.text,
        report: (r: Report) => {
          const key = `${rule.meta.id}|${r.span.file}|${r.span.start}|${r.span.end}`;
          if (seen.has(key)) return;
          seen.add(key);
          const severity = this.config.rules[rule.meta.id] ? setting : (r.severity ?? setting);
          const finding: Finding = {
            ...r.span,
            ruleId: rule.meta.id,
            severity,
            message: r.message,
            related: r.related ?? [],
            fixes: r.fixes ?? [],
            unnecessary: r.unnecessary,
          };
          const list = byFile.get(r.span.file) ?? [];
          list.push(finding);
          byFile.set(r.span.file, list);
          files.add(r.span.file);
        },
      });
    }
    const findings: Finding[] = [...tooLarge.filter((f) => files.has(f.file))];
    for (const file of files) {
      const text = this.entries.get(file)?.text;
      if (text === undefined || text.length > MAX_FILE_SIZE) continue;
      findings.push(...applySuppressions(file, text, byFile.get(file) ?? [], enabled, now));
    }
    findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start || a.end - b.end));
    return { findings, files: [...files].sort() };
  }

  /** The backends declared in `path`, with their links, for hovers and code lenses. */
  backendsIn(path: string): Backend[] {
    return this.analyse([path]).model.backends.filter((b) => b.block.file === path);
  }

  /**
   * The edit that pins the backend at `request.offset` (in its block, or on a value one of its findings points at)
   * to `request.certificate`, over every file of the backend's module. Nothing is changed here: the caller applies it.
   */
  planPin(request: PinRequest): PinPlan {
    if (!this.entries.has(request.file)) return { ok: false, reason: `${request.file} is not a file of the workspace.` };
    const { model } = this.analyse([request.file]);
    const backend = backendAt(model, request.file, request.offset);
    if (!backend) {
      return { ok: false, reason: 'There is no backend here: place the cursor in an azurerm_api_management_backend block or on one of its findings.' };
    }
    if (backend.kind === 'arm' || backend.kind === 'bicep') {
      return planTemplatePin({ backend, text: this.entries.get(backend.block.file)?.text ?? '', bicepParser: this.bicepParser }, request);
    }
    const instances = model.backends.filter((b) => b.block.file === backend.block.file && b.block.start === backend.block.start);
    const dir = dirname(backend.block.file);
    const files: Array<{ path: string; text: string; hcl: HclFile }> = [];
    for (const [path, entry] of this.entries) {
      if (!isConfigFile(path) || dirname(path) !== dir || this.ignore(path) || entry.text.length > MAX_FILE_SIZE) continue;
      // Parsed in full, not through the relevance filter: a versions.tf holding only `terraform {}` matters here.
      const tree = this.parser.parse(entry.text);
      try {
        files.push({ path, text: entry.text, hcl: extractFile(tree, entry.text, this.parser) });
      } finally {
        tree.delete();
      }
    }
    return planPinEdit({ backend, instances, dependsOn: model.dependsOn, files }, request);
  }

  allCertificates(): CertificateInfo[] {
    return [...this.certificates.values()].flat();
  }

  private changed(): void {
    this.lastAnalysis = undefined;
  }

  /**
   * Parses what is needed and builds the model of every module, or of the modules `paths` belong to. The last
   * result is kept until something changes: a lint and the code lenses that follow it share one analysis.
   */
  private analyse(paths?: Iterable<string>): Analysis {
    const key = paths ? [...paths].sort().join('\n') : '*';
    if (this.lastAnalysis?.key === key) return this.lastAnalysis.result;
    const result = this.analyseNow(key === '*' ? undefined : key.split('\n'));
    this.lastAnalysis = { key, result };
    return result;
  }

  private analyseNow(paths: string[] | undefined): Analysis {
    const sources: TfSource[] = [];
    const tooLarge: Finding[] = [];
    const arm: SourceText[] = [];
    const bicep: SourceText[] = [];
    for (const [path, entry] of this.entries) {
      if (this.ignore(path)) continue;
      const format = formatOf(path);
      if (!format) continue;
      if (entry.text.length > MAX_FILE_SIZE) {
        tooLarge.push(tooLargeFinding(path, entry.text));
        continue;
      }
      if (format === 'terraform') sources.push({ path, file: this.hclOf(path, entry) });
      else (format === 'arm' ? arm : bicep).push({ path, text: entry.text });
    }
    const varFiles = new Set(sources.filter((s) => isVarFile(s.path) && this.varFileMatch(s.path)).map((s) => s.path));
    const modules = buildModules(sources, varFiles);
    const wanted = paths ? connectedModules(modules, [...paths], varFiles) : undefined;
    const instances = moduleInstances(modules).filter((i) => !wanted || wanted.has(i.module.dir));
    const files = new Set<string>();
    for (const i of instances) {
      for (const s of i.module.configFiles) files.add(s.path);
      for (const s of i.module.varFiles) files.add(s.path);
    }
    for (const f of tooLarge) if (!wanted || wanted.has(dirname(f.file))) files.add(f.file);
    const model = extractModel(instances);
    const only = paths ? new Set(paths) : undefined;
    // A parameters file named in the configuration (varFiles) is deployed with the template it fits.
    const configuredParams = new Set(arm.filter((f) => this.varFileMatch(f.path)).map((f) => f.path));
    const others = [extractArmModel(arm, only, configuredParams), ...(this.bicepParser ? [extractBicepModel(this.bicepParser, [...bicep, ...arm], only)] : [])];
    for (const other of others) {
      model.backends.push(...other.model.backends);
      model.services.push(...other.model.services);
      model.overlays.push(...other.model.overlays);
      model.dependsOn.push(...other.model.dependsOn);
      for (const f of other.files) files.add(f);
      for (const n of other.notices) {
        tooLarge.push(n);
        files.add(n.file);
      }
    }
    return { model, files, tooLarge };
  }

  private hclOf(path: string, entry: FileEntry): HclFile {
    if (entry.hcl) return entry.hcl;
    if (isConfigFile(path) && !RELEVANT.test(entry.text)) {
      entry.hcl = { blocks: [], attributes: [], hasErrors: false };
    } else if (entry.tree) {
      entry.hcl = extractFile(entry.tree, entry.text, this.parser, isVarFile(path));
    } else {
      const tree = isConfigFile(path) ? parseForExtraction(this.parser, entry.text) : this.parser.parse(entry.text);
      try {
        entry.hcl = extractFile(tree, entry.text, this.parser, isVarFile(path));
      } finally {
        tree.delete();
      }
    }
    return entry.hcl;
  }
}

/** The backend whose block holds `offset` (the innermost), else one whose URL or flag value is written there. */
function backendAt(model: Model, file: string, offset: number): Backend | undefined {
  const inside = (span: { file: string; start: number; end: number } | undefined) => !!span && span.file === file && span.start <= offset && offset <= span.end;
  const blocks = model.backends.filter((b) => inside(b.block)).sort((a, b) => b.block.start - a.block.start);
  if (blocks.length) return blocks[0];
  return model.backends.find((b) => [b.validateChain, b.validateName, b.url].some((bound) => inside(bound?.val.span) || inside(bound?.consumer)));
}

/** Tree-sitter's point for an offset: rows split at \n only, as tree-sitter counts them. */
function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

function advance(p: { row: number; column: number }, inserted: string): { row: number; column: number } {
  const last = inserted.lastIndexOf('\n');
  if (last < 0) return { row: p.row, column: p.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i >= 0; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: p.row + rows, column: inserted.length - last - 1 };
}

/** The modules of `paths` plus every module linked to them by local module calls, in either direction. */
function connectedModules(modules: Map<string, TfModule>, paths: string[], varFiles: ReadonlySet<string>): Set<string> {
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
  const stack = paths.map(dirname);
  while (stack.length) {
    const dir = stack.pop()!;
    if (out.has(dir)) continue;
    out.add(dir);
    for (const next of links.get(dir) ?? []) stack.push(next);
  }
  return out;
}

function tooLargeFinding(path: string, text: string): Finding {
  const mb = (text.length / 1024 / 1024).toFixed(1);
  return {
    file: path,
    start: 0,
    end: 0,
    ruleId: FILE_TOO_LARGE_CODE,
    severity: 'info',
    message: `apim-tls-lint skipped this file: at ${mb} MB it is over the ${MAX_FILE_SIZE / 1024 / 1024} MB limit.`,
    related: [],
    fixes: [],
  };
}
