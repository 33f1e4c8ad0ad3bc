// The workspace: every file's text and its format's document, linted by reading each format's part of the one model
// and running every enabled rule over it. It iterates over the formats it is given and never names one; open
// documents are kept ready for incremental edits by their format.
import picomatch from 'picomatch';
import type { CertificateInfo } from './certificates/types';
import { defaultConfig, type Config } from './config';
import type { PinPlan, PinRequest } from './fixes/pin';
import { formatFor } from './formats';
import type { Backend, Model } from './model';
import type { TerraformParser } from './parse/terraform-parser';
import { RULE_LIST } from './rules';
import type { Report } from './rules/rule';
import type { ExtractRequest, FormatDocument, FormatResult, RunGroup, SourceFormat, TextChange } from './source-format';
import { applySuppressions } from './suppress';
import { builtinFormats } from './builtin-formats';
import type { Finding, Span } from './types';

export type { TextChange } from './source-format';
export { isTerraformFile } from './formats';

/** Files larger than this many bytes (UTF-8) are not parsed; they get one info finding instead. */
export const MAX_FILE_SIZE = 5 * 1024 * 1024;
export const FILE_TOO_LARGE_CODE = 'file-too-large';

interface Entry {
  text: string;
  /** The format that claims the path; none for a file the workspace only holds the text of. */
  format?: SourceFormat;
  /** The format's document; none while the file is over the size cap. */
  doc?: FormatDocument;
  editing: boolean;
  /** The text's size in UTF-8 bytes when it is over the cap. */
  tooLarge?: number;
}

interface Analysis {
  /** Everything read: the units evaluated once and every run of the others (for hovers, lenses and the pin). */
  model: Model;
  /** The units evaluated once. */
  base: Model;
  /** The units evaluated once per environment. */
  groups: RunGroup[];
  files: Set<string>;
  notices: Finding[];
  borrowed: Map<string, { at: Span; note: string }>;
}

export interface LintResult {
  findings: Finding[];
  /** Every file the lint covered, findings or not (so callers can clear stale diagnostics). */
  files: string[];
}

export class Workspace {
  private readonly entries = new Map<string, Entry>();
  private readonly sourceFormats: SourceFormat[];
  private config: Config = defaultConfig();
  private ignore: (path: string) => boolean = () => false;
  private varFileMatch: (path: string) => boolean = () => false;
  private environmentMatch: ((path: string) => boolean) | undefined;
  private readonly certificates = new Map<string, CertificateInfo[]>();
  private lastAnalysis: { key: string; result: Analysis } | undefined;
  /** Fixed by tests so that certificate expiry does not depend on the day they run. */
  now: () => Date = () => new Date();

  /** `formats` are the formats to read files with; a Terraform parser alone stands for the built-in formats but Bicep. */
  constructor(formats: readonly SourceFormat[] | TerraformParser, config?: Config, configDir?: string) {
    this.sourceFormats = Array.isArray(formats) ? [...(formats as readonly SourceFormat[])] : builtinFormats(formats as TerraformParser);
    if (config) this.setConfig(config, configDir);
  }

  /** Adds a format (one whose parser was loaded later); files it claims are read by it from now on. */
  addFormat(format: SourceFormat): void {
    this.sourceFormats.push(format);
    for (const [path, entry] of this.entries) {
      if (entry.format || formatFor(path, this.sourceFormats) !== format) continue;
      entry.format = format;
      this.refresh(path, entry);
    }
    this.changed();
  }

  /** `configDir` is the folder of `.apim-tls-lint.json`; its globs are relative to it. */
  setConfig(config: Config, configDir?: string): void {
    this.config = config;
    this.changed();
    const base = configDir ? configDir.replace(/\/+$/, '') + '/' : '';
    const relative = (path: string) => (base && path.startsWith(base) ? path.slice(base.length) : path);
    const ignore = config.ignore.length ? picomatch(config.ignore, { dot: true }) : undefined;
    const varFiles = config.varFiles.length ? picomatch(config.varFiles, { dot: true }) : undefined;
    const environments = config.environments.length ? picomatch(config.environments, { dot: true }) : undefined;
    this.ignore = ignore ? (p) => ignore(relative(p)) : () => false;
    this.varFileMatch = varFiles ? (p) => varFiles(relative(p)) : () => false;
    this.environmentMatch = environments ? (p) => environments(relative(p)) : undefined;
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

  /** The formats the workspace reads files with, in the order their parts join the model. */
  formats(): readonly SourceFormat[] {
    return this.sourceFormats;
  }

  /** The format that reads a file of the workspace. */
  formatOf(path: string): SourceFormat | undefined {
    return this.entries.get(path)?.format ?? formatFor(path, this.sourceFormats);
  }

  /** Sets a file's whole text, as a closed file (nothing kept for incremental edits). */
  setFile(path: string, text: string): void {
    const old = this.entries.get(path);
    if (old && old.text === text && !old.editing) return;
    old?.doc?.dispose?.();
    const entry: Entry = { text, format: formatFor(path, this.sourceFormats), editing: false };
    this.entries.set(path, entry);
    this.refresh(path, entry);
    this.changed();
  }

  /** Opens a document for editing: its format keeps it ready for incremental edits. */
  openFile(path: string, text: string): void {
    this.entries.get(path)?.doc?.dispose?.();
    const entry: Entry = { text, format: formatFor(path, this.sourceFormats), editing: true };
    this.entries.set(path, entry);
    this.refresh(path, entry);
    this.changed();
  }

  /** Applies changes in order (LSP incremental sync); the document's format updates what it parsed. */
  editFile(path: string, changes: readonly TextChange[]): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    let text = entry.text;
    for (const c of changes) text = text.slice(0, c.start) + c.text + text.slice(c.end);
    entry.text = text;
    this.changed();
    if (entry.doc?.edit && sizeOver(text) === undefined) entry.doc.edit(changes, text);
    else this.refresh(path, entry);
  }

  /** Closes a document: what its format kept for editing is freed; the text stays until the caller sets the disk text. */
  closeFile(path: string): void {
    const entry = this.entries.get(path);
    if (!entry?.editing) return;
    entry.editing = false;
    entry.doc?.dispose?.();
  }

  /** Certificates read from a workspace file (the caller reads and parses it); an empty list forgets the file. */
  setCertificates(path: string, certificates: CertificateInfo[]): void {
    if (certificates.length) this.certificates.set(path, certificates);
    else this.certificates.delete(path);
    this.changed();
  }

  removeFile(path: string): void {
    this.entries.get(path)?.doc?.dispose?.();
    this.entries.delete(path);
    this.changed();
  }

  /** Lints every file; with `paths`, only the units those files belong to (a module with its callers and callees). */
  lint(paths?: Iterable<string>): LintResult {
    const analysis = this.analyse(paths);
    const { files, notices } = analysis;
    const now = this.now();
    const enabled = new Set(RULE_LIST.filter((r) => (this.config.rules[r.meta.id] ?? r.meta.defaultSeverity) !== 'off').map((r) => r.meta.id));
    const byFile = new Map<string, Finding[]>();
    for (const finding of mergeRuns(
      this.check(analysis.base, now),
      analysis.groups.map((g) => g.runs.map((r) => ({ name: r.name, findings: this.check(r.model, now) }))),
    )) {
      const f = relocate(finding, analysis.borrowed);
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else {
        byFile.set(f.file, [f]);
        files.add(f.file);
      }
    }
    const findings: Finding[] = notices.filter((f) => files.has(f.file) && !analysis.borrowed.has(f.file));
    for (const file of files) {
      const entry = this.entries.get(file);
      if (entry === undefined || entry.tooLarge !== undefined || analysis.borrowed.has(file)) continue;
      findings.push(...applySuppressions(file, entry.text, dedupe(byFile.get(file) ?? []), enabled, now));
    }
    findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start || a.end - b.end));
    return { findings, files: [...files].filter((f) => !analysis.borrowed.has(f)).sort() };
  }

  /** Every enabled rule over one model: one finding per rule and span (a value several backends read is reported once). */
  private check(model: Model, now: Date): Finding[] {
    const certificates = this.allCertificates();
    const out: Finding[] = [];
    const textOf = (file: string) => this.entries.get(file)?.text;
    const formatOf = (file: string) => this.formatOf(file);
    for (const rule of RULE_LIST) {
      const setting = this.config.rules[rule.meta.id] ?? rule.meta.defaultSeverity;
      if (setting === 'off') continue;
      const ruleId = rule.meta.id;
      const configured = this.config.rules[ruleId] !== undefined;
      const seen = new Map<string, Set<number>>();
      rule.check(model, {
        config: this.config,
        certificates,
        now,
        textOf,
        formatOf,
        report: (r: Report) => {
          const { file, start, end } = r.span;
          let spans = seen.get(file);
          if (!spans) seen.set(file, (spans = new Set()));
          // Offsets stay below 2^23 (files over the 5 MB cap are not read), so the pair fits one number exactly.
          const key = start * 0x800000 + end;
          if (spans.has(key)) return;
          spans.add(key);
          out.push({
            file,
            start,
            end,
            ruleId,
            severity: configured ? setting : (r.severity ?? setting),
            message: r.message,
            related: r.related ?? [],
            fixes: r.fixes ?? [],
            unnecessary: r.unnecessary,
          });
        },
      });
    }
    return out;
  }

  /** The model of the whole workspace, as the last lint of every file read it (the inventory reads it beside those findings). */
  model(): Model {
    return this.analyse().model;
  }

  /**
   * The backends declared in `path`, with their links, for hovers and code lenses. A module evaluated per environment
   * gives each backend once per environment (`Backend.environment`), in the order of its runs.
   */
  backendsIn(path: string): Backend[] {
    return this.analyse([path]).model.backends.filter((b) => b.block.file === path);
  }

  /**
   * The edit that pins the backend at `request.offset` (in its block, or on a value one of its findings points at)
   * to `request.certificate`, written by the backend's format. Nothing is changed here: the caller applies it.
   */
  planPin(request: PinRequest): PinPlan {
    if (!this.entries.has(request.file)) return { ok: false, reason: `${request.file} is not a file of the workspace.` };
    const { model } = this.analyse([request.file]);
    const backend = backendAt(model, request.file, request.offset);
    if (!backend) {
      return { ok: false, reason: 'There is no backend here: place the cursor in an azurerm_api_management_backend block or on one of its findings.' };
    }
    const format = this.formatOf(backend.block.file);
    if (!format?.planPin) return { ok: false, reason: `${backend.name} cannot be pinned by this command: its format has no pin edit.` };
    return format.planPin({ request, model, backend, documents: this.documentsOf(format), isIgnored: (p) => this.ignore(p) });
  }

  allCertificates(): CertificateInfo[] {
    return [...this.certificates.values()].flat();
  }

  /** Gives an entry the document of its format, unless the file is over the size cap. */
  private refresh(path: string, entry: Entry): void {
    entry.doc?.dispose?.();
    entry.tooLarge = entry.format ? sizeOver(entry.text) : undefined;
    entry.doc = entry.format && entry.tooLarge === undefined ? entry.format.createDocument(path, entry.text, entry.editing) : undefined;
  }

  /** The documents a format reads: its files that are neither ignored nor over the size cap, in the order they came. */
  private documentsOf(format: SourceFormat): Map<string, FormatDocument> {
    const out = new Map<string, FormatDocument>();
    for (const [path, entry] of this.entries) if (entry.format === format && entry.doc && !this.ignore(path)) out.set(path, entry.doc);
    return out;
  }

  private changed(): void {
    this.lastAnalysis = undefined;
  }

  /**
   * Reads every format's part of the model, or of the units `paths` belong to. The last result is kept until
   * something changes: a lint and the code lenses that follow it share one analysis.
   */
  private analyse(paths?: Iterable<string>): Analysis {
    const key = paths ? [...paths].sort().join('\n') : '*';
    if (this.lastAnalysis?.key === key) return this.lastAnalysis.result;
    const result = this.analyseNow(key === '*' ? undefined : new Set(key.split('\n')));
    this.lastAnalysis = { key, result };
    return result;
  }

  private analyseNow(only: ReadonlySet<string> | undefined): Analysis {
    const model = emptyModel();
    const base = emptyModel();
    const groups: RunGroup[] = [];
    const borrowed = new Map<string, { at: Span; note: string }>();
    const files = new Set<string>();
    const notices: Finding[] = [];
    const onlyDirs = only ? new Set([...only].map(dirname)) : undefined;
    for (const [path, entry] of this.entries) {
      if (entry.tooLarge === undefined || this.ignore(path)) continue;
      notices.push(tooLargeFinding(path, entry.tooLarge));
      if (!only || only.has(path) || onlyDirs!.has(dirname(path))) files.add(path);
    }
    const request: ExtractRequest = {
      only,
      isConfiguredVarFile: (p: string) => this.varFileMatch(p),
      environments: this.environmentMatch,
      textOf: (p: string) => {
        const entry = this.entries.get(p);
        return entry?.doc && !this.ignore(p) ? entry.text : undefined;
      },
    };
    for (const format of this.sourceFormats) {
      const part: FormatResult = format.extract(this.documentsOf(format), request);
      join(base, part.model);
      join(model, part.model);
      for (const group of part.runs ?? []) {
        groups.push(group);
        for (const run of group.runs) join(model, run.model);
      }
      for (const [file, at] of part.borrowed ?? []) borrowed.set(file, at);
      for (const f of part.files) files.add(f);
      for (const n of part.notices) {
        notices.push(n);
        files.add(n.file);
      }
    }
    return { model, base, groups, files, notices, borrowed };
  }
}

function emptyModel(): Model {
  return { backends: [], services: [], overlays: [], dependsOn: [] };
}

function join(into: Model, part: Model): void {
  into.backends.push(...part.backends);
  into.services.push(...part.services);
  into.overlays.push(...part.overlays);
  into.dependsOn.push(...part.dependsOn);
}

/**
 * The findings of the units evaluated once, and of each run of the others. A finding (rule and span) that holds in
 * every run of its unit is reported once as it is; one that holds in some only names them (DESIGN §5).
 */
function mergeRuns(base: Finding[], groups: Array<Array<{ name: string; findings: Finding[] }>>): Finding[] {
  const out = [...base];
  const key = (f: Finding) => `${f.ruleId}\u0000${f.file}\u0000${f.start}\u0000${f.end}`;
  const reported = new Set(base.map(key));
  const seen = new Map<string, { finding: Finding; runs: Set<string>; partial: boolean }>();
  for (const runs of groups) {
    const inGroup = new Map<string, { finding: Finding; runs: string[] }>();
    for (const run of runs) {
      for (const f of run.findings) {
        const k = key(f);
        const hit = inGroup.get(k);
        if (hit) hit.runs.push(run.name);
        else inGroup.set(k, { finding: f, runs: [run.name] });
      }
    }
    for (const [k, { finding, runs: holds }] of inGroup) {
      if (reported.has(k)) continue;
      const entry = seen.get(k) ?? { finding, runs: new Set<string>(), partial: false };
      for (const r of holds) entry.runs.add(r);
      entry.partial ||= holds.length < runs.length;
      seen.set(k, entry);
    }
  }
  for (const { finding, runs, partial } of seen.values()) {
    if (!partial) out.push(finding);
    else {
      const names = [...runs].sort();
      out.push({ ...finding, message: `${finding.message} (In ${names.length === 1 ? 'environment' : 'environments'} ${names.join(', ')}.)` });
    }
  }
  return out;
}

/** One finding per rule and span across runs and units (a value read by a module in two units is one finding). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.ruleId}\u0000${f.start}\u0000${f.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * A finding in a file that is not the user's own (a downloaded module) moves to where the user's configuration leads
 * to it, saying where it came from; its fixes would edit the downloaded copy, so they go.
 */
function relocate(f: Finding, borrowed: ReadonlyMap<string, { at: Span; note: string }>): Finding {
  const to = borrowed.get(f.file);
  if (!to) return f;
  return {
    ...f,
    file: to.at.file,
    start: to.at.start,
    end: to.at.end,
    message: `${f.message} ${to.note}`,
    related: [
      { file: f.file, start: f.start, end: f.end, message: 'Written here, in the module as downloaded' },
      ...f.related.filter((r) => !borrowed.has(r.file)),
    ],
    fixes: f.fixes.filter((x) => x.edits.every((e) => !borrowed.has(e.file))),
  };
}

/** The backend whose block holds `offset` (the innermost), else one whose URL or flag value is written there. */
function backendAt(model: Model, file: string, offset: number): Backend | undefined {
  const inside = (span: { file: string; start: number; end: number } | undefined) => !!span && span.file === file && span.start <= offset && offset <= span.end;
  const blocks = model.backends.filter((b) => inside(b.block)).sort((a, b) => b.block.start - a.block.start);
  if (blocks.length) return blocks[0];
  return model.backends.find((b) => [b.validateChain, b.validateName, b.url].some((bound) => inside(bound?.val.span) || inside(bound?.consumer)));
}

/**
 * The text's size in UTF-8 bytes when it is over MAX_FILE_SIZE, else undefined. A UTF-16 code unit is one to three
 * bytes, so only texts between a third of the cap and the cap in code units need counting.
 */
function sizeOver(text: string): number | undefined {
  if (text.length * 3 <= MAX_FILE_SIZE) return undefined;
  const bytes = typeof Buffer === 'undefined' ? utf8Length(text) : Buffer.byteLength(text, 'utf8');
  return bytes > MAX_FILE_SIZE ? bytes : undefined;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    // A surrogate pair is one four-byte character: two units, two bytes each.
    else if (c >= 0xd800 && c <= 0xdfff) bytes += 2;
    else bytes += 3;
  }
  return bytes;
}

function tooLargeFinding(path: string, bytes: number): Finding {
  return {
    file: path,
    start: 0,
    end: 0,
    ruleId: FILE_TOO_LARGE_CODE,
    severity: 'info',
    message: `apim-tls-lint skipped this file: it has ${bytes.toLocaleString('en')} bytes, more than the limit of ${MAX_FILE_SIZE.toLocaleString('en')} bytes (5 MB).`,
    related: [],
    fixes: [],
  };
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : path.slice(0, i);
}
