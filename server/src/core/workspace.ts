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
import type { FormatDocument, FormatResult, SourceFormat, TextChange } from './source-format';
import { applySuppressions } from './suppress';
import { builtinFormats } from './builtin-formats';
import type { Finding } from './types';

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
  model: Model;
  files: Set<string>;
  notices: Finding[];
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
    const { model, files, notices } = this.analyse(paths);
    const certificates = this.allCertificates();
    const now = this.now();
    const byFile = new Map<string, Finding[]>();
    const enabled = new Set<string>();
    const textOf = (file: string) => this.entries.get(file)?.text;
    const formatOf = (file: string) => this.formatOf(file);
    for (const rule of RULE_LIST) {
      const setting = this.config.rules[rule.meta.id] ?? rule.meta.defaultSeverity;
      if (setting === 'off') continue;
      enabled.add(rule.meta.id);
      const ruleId = rule.meta.id;
      const configured = this.config.rules[ruleId] !== undefined;
      // One finding per rule and span: a value that several backends read is reported once.
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
          const severity = configured ? setting : (r.severity ?? setting);
          const finding: Finding = {
            file,
            start,
            end,
            ruleId,
            severity,
            message: r.message,
            related: r.related ?? [],
            fixes: r.fixes ?? [],
            unnecessary: r.unnecessary,
          };
          const list = byFile.get(file);
          if (list) list.push(finding);
          else {
            byFile.set(file, [finding]);
            files.add(file);
          }
        },
      });
    }
    const findings: Finding[] = notices.filter((f) => files.has(f.file));
    for (const file of files) {
      const entry = this.entries.get(file);
      if (entry === undefined || entry.tooLarge !== undefined) continue;
      findings.push(...applySuppressions(file, entry.text, byFile.get(file) ?? [], enabled, now));
    }
    findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start || a.end - b.end));
    return { findings, files: [...files].sort() };
  }

  /** The model of the whole workspace, as the last lint of every file read it (the inventory reads it beside those findings). */
  model(): Model {
    return this.analyse().model;
  }

  /** The backends declared in `path`, with their links, for hovers and code lenses. */
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
    const model: Model = { backends: [], services: [], overlays: [], dependsOn: [] };
    const files = new Set<string>();
    const notices: Finding[] = [];
    const onlyDirs = only ? new Set([...only].map(dirname)) : undefined;
    for (const [path, entry] of this.entries) {
      if (entry.tooLarge === undefined || this.ignore(path)) continue;
      notices.push(tooLargeFinding(path, entry.tooLarge));
      if (!only || only.has(path) || onlyDirs!.has(dirname(path))) files.add(path);
    }
    const request = {
      only,
      isConfiguredVarFile: (p: string) => this.varFileMatch(p),
      textOf: (p: string) => {
        const entry = this.entries.get(p);
        return entry?.doc && !this.ignore(p) ? entry.text : undefined;
      },
    };
    for (const format of this.sourceFormats) {
      const part: FormatResult = format.extract(this.documentsOf(format), request);
      model.backends.push(...part.model.backends);
      model.services.push(...part.model.services);
      model.overlays.push(...part.model.overlays);
      model.dependsOn.push(...part.model.dependsOn);
      for (const f of part.files) files.add(f);
      for (const n of part.notices) {
        notices.push(n);
        files.add(n.file);
      }
    }
    return { model, files, notices };
  }
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
