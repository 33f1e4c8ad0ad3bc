// The disk as the linter sees it, for the language server and the CLI alike: one walk of a folder (the folders it
// skips, symlinks, the order of entries), which format claims each file (JSON by its head), and reading a file's text
// as an editor shows it (no byte-order mark).
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { isCertificateFile } from './core/certificates/files';
import { BUILTIN_FORMATS, formatFor } from './core/formats';
import type { FormatDescriptor } from './core/source-format';

/** Folders that never hold the user's own configuration. */
export const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.terraform', '.vscode-test', '.terragrunt-cache']);

/**
 * Skipped folders of which one part is read: the modules `terraform init` downloaded into `.terraform/modules` (the
 * model follows the calls that lead to them, DESIGN §2), never the providers beside them.
 */
const READ_IN_PART: Readonly<Record<string, string>> = { '.terraform': 'modules' };

/** Certificate files larger than this hold no certificate worth pinning (a CA bundle is a few hundred kB). */
const MAX_CERTIFICATE_FILE = 1024 * 1024;

export interface WalkedFile {
  /** The root joined with the part below it, in the platform's form. */
  path: string;
  /** The root as the caller showed it, joined with the part below it (`examples/main.tf`). */
  shown: string;
  /** The format that claims the path (its content may still say otherwise: see claimsFile). */
  format?: FormatDescriptor;
  /** A file that may hold certificates (`.cer`, `.pem`, ...). */
  certificate: boolean;
}

export interface WalkOptions {
  /** Files and folders to leave out besides SKIPPED_DIRS; asked for each entry with the folder it is in. */
  isIgnored(path: string, isDir: boolean): boolean;
  formats?: readonly FormatDescriptor[];
  /** A folder that cannot be read: throw to stop the walk, or return to skip it. */
  unreadable?(dir: string, shown: string, error: unknown): void;
}

/**
 * Every regular file below `root` (a symlink to a file counts; symlinked folders are not followed: they are how walks
 * end up in cycles or in someone else's tree), depth first, each folder's entries in name order.
 */
export function* walkFiles(root: string, shown: string, options: WalkOptions): Generator<WalkedFile> {
  const formats = options.formats ?? BUILTIN_FORMATS;
  const dir = root;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    options.unreadable?.(dir, shown, e);
    return;
  }
  for (const entry of entries) {
    const path = nodePath.join(dir, entry.name);
    const below = nodePath.join(shown, entry.name);
    if (entry.isDirectory()) {
      const part = READ_IN_PART[entry.name];
      const inner = part === undefined ? undefined : nodePath.join(path, part);
      if (inner && isDir(inner) && !options.isIgnored(inner, true)) yield* walkFiles(inner, nodePath.join(below, part), options);
      else if (!SKIPPED_DIRS.has(entry.name) && !options.isIgnored(path, true)) yield* walkFiles(path, below, options);
    } else if ((entry.isFile() || (entry.isSymbolicLink() && isFile(path))) && !options.isIgnored(path, false)) {
      yield { path, shown: below, format: formatFor(path, formats), certificate: isCertificateFile(path) };
    }
  }
}

/** Whether a file a format claims by its path is that format's: JSON is an ARM file only if its head says so. */
export function claimsFile(path: string, format: FormatDescriptor): boolean {
  if (!format.claimsText) return true;
  const length = format.headLength ?? 4096;
  const fd = fs.openSync(path, 'r');
  try {
    const head = Buffer.alloc(length);
    const bytesRead = fs.readSync(fd, head, 0, length, 0);
    return format.claimsText(stripBom(head.subarray(0, bytesRead).toString('utf8')));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A linted file's text without a byte-order mark, or undefined when it cannot be read or no format claims it (JSON
 * that is neither a template nor a parameters file). Only the head of a JSON file is read to decide, so a workspace
 * full of big unrelated JSON costs little. A file over the size cap is still read, so that the Workspace reports it.
 */
export function readLintedFile(path: string, formats: readonly FormatDescriptor[] = BUILTIN_FORMATS): string | undefined {
  const format = formatFor(path, formats);
  if (!format) return undefined;
  try {
    if (!claimsFile(path, format)) return undefined;
    return stripBom(fs.readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A certificate file's bytes, or undefined when it is too large or cannot be read (it is then skipped). */
export function readCertificateFile(path: string): Uint8Array | undefined {
  try {
    if (fs.statSync(path).size > MAX_CERTIFICATE_FILE) return undefined;
    return new Uint8Array(fs.readFileSync(path));
  } catch {
    return undefined;
  }
}

/** A file's text as an editor shows it, or undefined when it cannot be read. */
export function readTextFile(path: string): string | undefined {
  try {
    return stripBom(fs.readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Editors drop a byte-order mark from the document text; so must we, or every column on line 1 is off by one. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function isDir(path: string): boolean {
  return fs.statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(path: string): boolean {
  return fs.statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
