// The CLI's contact with the disk when it lints (thumbprint.ts reads the one file it is given): the Terraform,
// ARM template and Bicep files below the paths given and the certificate files among them, the configuration that governs each of them (the nearest .apim-tls-lint.json upward, or --config) with its
// ignore and varFiles globs, the package's version and the folder of the wasm files the parser loads.
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { isCertificateFile } from '../core/certificates/files';
import { GRAMMAR_WASM, RUNTIME_WASM, type WasmLocation } from '../core/parse/terraform-parser';
import { BICEP_GRAMMAR_WASM } from '../core/parse/bicep-parser';
import { CONFIG_FILE_NAME, defaultConfig, parseConfig, type Config } from '../core/config';
import { RULE_IDS } from '../core/rules';
import { LineIndex } from '../core/text';
import { isDownloaded } from '../core/terraform/module';
import { BUILTIN_FORMATS, formatFor } from '../core/formats';
import type { FormatDescriptor } from '../core/source-format';
import { packageRoot, packageVersion } from '../package-info';
import { claimsFile, readCertificateFile as readCertificateBytes, stripBom, walkFiles } from '../workspace-files';

/** A file or folder that cannot be found or read; the CLI prints the message and exits 2. */
export class FileError extends Error {}

export interface InputFile {
  /** Absolute with '/' separators: the path the core's Workspace is given. */
  key: string;
  /** The path as the user typed it joined with the part below it (`examples/main.tf`). */
  display: string;
  text: string;
}

/** The files governed by one configuration; each group is linted by its own Workspace. */
export interface ConfigGroup {
  config: Config;
  /** The folder of the configuration file, in key form; undefined when no file applies. */
  configDir?: string;
  files: InputFile[];
  /** Keys of the certificate files found beside them (for pinned-ca-expiry); read with readCertificateFile. */
  certificateFiles: string[];
}

export interface Collected {
  groups: ConfigGroup[];
  /**
   * Keys of the files the user asked about. The siblings of a file named on its own, and var files named in the
   * configuration, are read only so that values resolve as Terraform would.
   */
  targets: Set<string>;
  /** One `file:line:col: message` line per problem in the configuration files read. */
  configProblems: string[];
  /** JSON files met in the folders walked that are neither ARM templates nor parameters files, as shown. */
  skippedJson: string[];
  /** The formats of the files collected: only their parsers are loaded. */
  formats: Set<string>;
}

export function collectFiles(paths: readonly string[], cwd: string, configFile?: string): Collected {
  const collector = new Collector(cwd, configFile);
  for (const given of paths) collector.add(given);
  collector.addConfiguredVarFiles();
  return collector.result();
}

/** A certificate file's bytes, or undefined when it is too large or unreadable (it is then skipped silently). */
export function readCertificateFile(key: string): Uint8Array | undefined {
  return readCertificateBytes(fromKey(key));
}

/** The package's version, from the package.json above the running file. */
export const cliVersion = packageVersion;

/**
 * The wasm files: both in $APIM_TLS_LINT_WASM_DIR, else both beside the CLI (dist/ after a build), else each in
 * its own package under node_modules (running from a compiled checkout).
 */
export function findWasmFiles(env: Readonly<Record<string, string | undefined>>): WasmLocation {
  const holdsBoth = (dir: string) => isFile(path.join(dir, RUNTIME_WASM)) && isFile(path.join(dir, GRAMMAR_WASM));
  const fromEnv = env.APIM_TLS_LINT_WASM_DIR;
  if (fromEnv) {
    if (holdsBoth(fromEnv)) return fromEnv;
    throw new FileError(`APIM_TLS_LINT_WASM_DIR is ${fromEnv}, which does not hold ${RUNTIME_WASM} and ${GRAMMAR_WASM}.`);
  }
  if (holdsBoth(__dirname)) return __dirname;
  const root = packageRoot();
  const runtime = root && path.join(root, 'node_modules', 'web-tree-sitter', RUNTIME_WASM);
  const grammar = root && path.join(root, 'node_modules', '@tree-sitter-grammars', 'tree-sitter-hcl', GRAMMAR_WASM);
  if (!runtime || !grammar || !isFile(runtime) || !isFile(grammar)) {
    throw new FileError(`Cannot find ${RUNTIME_WASM} and ${GRAMMAR_WASM} next to ${__dirname}; set APIM_TLS_LINT_WASM_DIR to the folder that holds them.`);
  }
  return { runtime, grammar };
}

/** The Bicep grammar wasm: beside the Terraform one (one folder), else in its package under node_modules. */
export function findBicepWasm(terraform: WasmLocation): string | { runtime: string; grammar: string } {
  if (typeof terraform === 'string') {
    if (isFile(path.join(terraform, BICEP_GRAMMAR_WASM))) return terraform;
    throw new FileError(`Cannot find ${BICEP_GRAMMAR_WASM} in ${terraform}; it is needed to lint .bicep files.`);
  }
  const root = packageRoot();
  const grammar = root && path.join(root, 'node_modules', 'tree-sitter-bicep', BICEP_GRAMMAR_WASM);
  if (!grammar || !isFile(grammar)) throw new FileError(`Cannot find ${BICEP_GRAMMAR_WASM} next to ${__dirname}; it is needed to lint .bicep files.`);
  return { runtime: terraform.runtime, grammar };
}

interface Group {
  config: Config;
  configDir?: string;
  isIgnored(abs: string, isDir: boolean): boolean;
  byKey: Map<string, InputFile>;
  certificateFiles: Set<string>;
}

class Collector {
  private readonly groups = new Map<string, Group>();
  private readonly nearest = new Map<string, string | null>();
  private readonly targets = new Set<string>();
  private readonly problems: string[] = [];
  private readonly skippedJson: string[] = [];
  private readonly override?: Group;

  constructor(
    private readonly cwd: string,
    configFile?: string,
  ) {
    if (configFile) this.override = this.groupFor(path.resolve(cwd, configFile));
  }

  add(given: string): void {
    const abs = path.resolve(this.cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      throw new FileError(code(e) === 'ENOENT' ? `${given}: no such file or directory.` : `Cannot read ${given}: ${reason(e)}`);
    }
    if (stat.isDirectory()) {
      this.walk(abs, given);
      return;
    }
    const format = formatFor(abs, BUILTIN_FORMATS);
    if (!format)
      throw new FileError(
        `${given} is not a Terraform file (.tf, .tofu or .tfvars), an ARM template (.json), a Bicep file (.bicep, .bicepparam) or an APIM policy file (.xml).`,
      );
    if (!claims(abs, given, format)) {
      throw new FileError(
        /\.jsonc?$/i.test(abs)
          ? `${given} is not an ARM template or parameters file: its $schema is not deploymentTemplate.json or deploymentParameters.json.`
          : `${given} is not an APIM policy file: its root element is not <policies> (or <fragment>).`,
      );
    }
    const group = this.configForDir(path.dirname(abs));
    if (group.isIgnored(abs, false)) return;
    this.addFile(group, abs, path.normalize(given), true);
    // The rest of the module is context: a value in terraform.tfvars or a variable default belongs to this file's
    // findings even though the user named only this file. Beside a template or a Bicep file, the context is its
    // parameters file, .bicepparam and local modules.
    for (const entry of readDir(path.dirname(abs), path.dirname(given))) {
      const sibling = path.join(path.dirname(abs), entry.name);
      const shown = path.join(path.dirname(given), entry.name);
      const siblingFormat = formatFor(sibling, BUILTIN_FORMATS);
      if (siblingFormat?.family === format.family && isFileEntry(entry, sibling) && !group.isIgnored(sibling, false)) {
        if (claims(sibling, shown, siblingFormat)) this.addFile(group, sibling, shown, false);
      } else if (isCertificateFile(sibling) && isFileEntry(entry, sibling) && !group.isIgnored(sibling, false)) {
        group.certificateFiles.add(toKey(sibling));
      }
    }
  }

  /**
   * Var files named by `varFiles` or `environments` globs (.tfvars, and ARM parameters files) are read wherever they
   * are below their configuration's folder.
   */
  addConfiguredVarFiles(): void {
    for (const group of [...this.groups.values()]) {
      const globs = [...group.config.varFiles, ...group.config.environments];
      if (!globs.length || group.configDir === undefined || group.byKey.size === 0) continue;
      const configDir = fromKey(group.configDir);
      const matches = picomatch(globs, { dot: true });
      const walked = new Set<string>();
      for (const glob of globs) {
        const base = path.resolve(configDir, picomatch.scan(glob).base);
        const take = (p: string) => {
          if (/\.(tfvars|json|jsonc)$/i.test(p) && matches(toKey(path.relative(configDir, p)))) this.addFile(group, p, path.relative(this.cwd, p) || p, false);
        };
        // A glob without wildcards names one file; its "base" is the file itself.
        if (isFile(base)) take(base);
        if (walked.has(base) || !isDir(base)) continue;
        walked.add(base);
        for (const f of walkFiles(base, path.relative(this.cwd, base), { isIgnored: () => false, unreadable })) take(f.path);
      }
    }
  }

  result(): Collected {
    const groups = [...this.groups.values()]
      .filter((g) => g.byKey.size > 0)
      .map((g) => ({ config: g.config, configDir: g.configDir, files: [...g.byKey.values()], certificateFiles: [...g.certificateFiles].sort() }));
    const formats = new Set(groups.flatMap((g) => g.files.map((f) => formatFor(f.key, BUILTIN_FORMATS)!.id)));
    return { groups, targets: this.targets, configProblems: this.problems, skippedJson: this.skippedJson, formats };
  }

  private walk(dir: string, display: string): void {
    // Each folder is governed by the configuration nearest to it, which decides what it ignores.
    const isIgnored = (p: string, isDir: boolean) => this.configForDir(path.dirname(p)).isIgnored(p, isDir);
    for (const file of walkFiles(dir, display, { isIgnored, unreadable })) {
      const group = this.configForDir(path.dirname(file.path));
      if (file.format) {
        // Any JSON may sit in a folder; only templates and parameters files are linted, the rest is noted.
        // XML that is not a policy document (a pom.xml) is left out without a word.
        if (!claims(file.path, file.shown, file.format)) {
          if (/\.jsonc?$/i.test(file.path)) this.skippedJson.push(file.shown);
        }
        // A module terraform init downloaded is context for the calls that lead to it, not a file the user lints.
        else this.addFile(group, file.path, file.shown, !isDownloaded(toKey(file.path)));
      } else if (file.certificate) {
        group.certificateFiles.add(toKey(file.path));
      }
    }
  }

  private addFile(group: Group, abs: string, display: string, target: boolean): void {
    const key = toKey(abs);
    const known = group.byKey.get(key);
    // The first way the user named a file is how it is shown; a file first read as context takes the user's name.
    if (known && target && !this.targets.has(key)) known.display = display;
    if (target) this.targets.add(key);
    if (!known) group.byKey.set(key, { key, display, text: readText(abs, display) });
  }

  private configForDir(dir: string): Group {
    if (this.override) return this.override;
    const visited: string[] = [];
    let found: string | null = null;
    for (let d = dir; ; d = path.dirname(d)) {
      const cached = this.nearest.get(d);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      visited.push(d);
      const candidate = path.join(d, CONFIG_FILE_NAME);
      if (isFile(candidate)) {
        found = candidate;
        break;
      }
      if (path.dirname(d) === d) break;
    }
    for (const d of visited) this.nearest.set(d, found);
    return this.groupFor(found ?? undefined);
  }

  private groupFor(configFile: string | undefined): Group {
    const id = configFile ?? '';
    let group = this.groups.get(id);
    if (group) return group;
    if (!configFile) {
      group = { config: defaultConfig(), byKey: new Map(), certificateFiles: new Set(), isIgnored: () => false };
    } else {
      const shown = path.relative(this.cwd, configFile) || configFile;
      let text: string;
      try {
        text = stripBom(fs.readFileSync(configFile, 'utf8'));
      } catch (e) {
        throw new FileError(code(e) === 'ENOENT' ? `${shown}: no such configuration file.` : `Cannot read ${shown}: ${reason(e)}`);
      }
      const { config, problems } = parseConfig(text, RULE_IDS);
      const index = new LineIndex(text);
      for (const p of problems) {
        const pos = index.positionAt(p.start);
        this.problems.push(`${shown}:${pos.line + 1}:${pos.character + 1}: ${p.message}`);
      }
      const configDir = toKey(path.dirname(configFile));
      group = { config, configDir, byKey: new Map(), certificateFiles: new Set(), isIgnored: ignoreMatcher(config, configDir) };
    }
    this.groups.set(id, group);
    return group;
  }
}

/** The same matching as the core Workspace applies: globs against the path relative to the config's folder. */
function ignoreMatcher(config: Config, configDir: string): (abs: string, isDir: boolean) => boolean {
  if (!config.ignore.length) return () => false;
  const matches = picomatch(config.ignore, { dot: true });
  const base = configDir.replace(/\/+$/, '') + '/';
  return (abs, isDir) => {
    const key = toKey(abs);
    const relative = key.startsWith(base) ? key.slice(base.length) : key;
    return matches(isDir ? relative + '/' : relative);
  };
}

function readDir(dir: string, shown: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    throw new FileError(`Cannot read the folder ${shown || '.'}: ${reason(e)}`);
  }
}

/** Whether a file its path says is a format's is that format's (JSON: a template or parameters file, from its head). */
function claims(abs: string, shown: string, format: FormatDescriptor): boolean {
  try {
    return claimsFile(abs, format);
  } catch (e) {
    throw new FileError(`Cannot read ${shown}: ${reason(e)}`);
  }
}

function unreadable(_dir: string, shown: string, e: unknown): never {
  throw new FileError(`Cannot read the folder ${shown || '.'}: ${reason(e)}`);
}

function readText(abs: string, shown: string): string {
  try {
    return stripBom(fs.readFileSync(abs, 'utf8'));
  } catch (e) {
    throw new FileError(`Cannot read ${shown}: ${reason(e)}`);
  }
}

/** A regular file, or a symlink to one. */
function isFileEntry(entry: fs.Dirent, abs: string): boolean {
  return entry.isFile() || (entry.isSymbolicLink() && isFile(abs));
}

function isFile(p: string): boolean {
  return statOf(p)?.isFile() ?? false;
}

function isDir(p: string): boolean {
  return statOf(p)?.isDirectory() ?? false;
}

/** Undefined for a path that names nothing, or nothing that can be looked at: a configured glob or var file may be any text (a name too long for the file system, say). */
function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function toKey(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

function fromKey(key: string): string {
  return path.sep === '/' ? key : key.split('/').join(path.sep);
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

function reason(e: unknown): string {
  const c = code(e);
  if (c === 'EACCES' || c === 'EPERM') return 'permission denied.';
  if (c === 'EISDIR') return 'it is a folder.';
  return e instanceof Error ? e.message : String(e);
}
