// Finding and reading the files of a workspace folder: Terraform, ARM template and Bicep files to lint and
// certificate files whose thumbprints pins may name. Shared by the language server and the CLI.
import * as fs from 'node:fs';
import { isCertificateFile } from './core/certificates/read';
import { armSchemaKind, formatOf, isLintedFile } from './core/formats';

/** Folders that never hold the user's own configuration. */
export const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.terraform', '.vscode-test', '.terragrunt-cache']);

/** A guard against walking a home directory or a monorepo of generated files for ever. */
const MAX_FILES = 20000;

/** Certificate files larger than this hold no certificate worth pinning (a CA bundle is a few hundred kB). */
const MAX_CERTIFICATE_FILE = 1024 * 1024;

/** How much of a JSON file is read to tell a template or parameters file from any other JSON (see armSchemaKind). */
const JSON_HEAD = 4096;

export interface WorkspaceFiles {
  /** Terraform, Bicep and JSON files; a JSON file is linted only if readLintedFile finds a template in it. */
  linted: string[];
  certificates: string[];
}

export async function walkWorkspaceFiles(root: string, isIgnored: (path: string) => boolean): Promise<WorkspaceFiles> {
  const out: WorkspaceFiles = { linted: [], certificates: [] };
  const stack = [root.replace(/\/+$/, '')];
  while (stack.length && out.linted.length + out.certificates.length < MAX_FILES) {
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name) && !isIgnored(p + '/')) stack.push(p);
      } else if (!e.isFile() || isIgnored(p)) continue;
      else if (isLintedFile(p)) out.linted.push(p);
      else if (isCertificateFile(p)) out.certificates.push(p);
    }
  }
  out.linted.sort();
  out.certificates.sort();
  return out;
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

/**
 * A linted file's text without a byte-order mark, or undefined when it cannot be read or is JSON that is neither an
 * ARM template nor a parameters file. Only the head of a JSON file is read to decide, so a workspace full of big
 * unrelated JSON costs little. A template over the size cap is still read, so that the Workspace reports it skipped.
 */
export async function readLintedFile(path: string): Promise<string | undefined> {
  if (!formatOf(path)) return undefined;
  if (formatOf(path) === 'arm') {
    let handle: fs.promises.FileHandle | undefined;
    try {
      handle = await fs.promises.open(path, 'r');
      const head = Buffer.alloc(JSON_HEAD);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      if (!armSchemaKind(stripBom(head.subarray(0, bytesRead).toString('utf8')))) return undefined;
    } catch {
      return undefined;
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }
  return fs.promises.readFile(path, 'utf8').then(stripBom, () => undefined);
}

/** readLintedFile, synchronously: for the few siblings read before an opened file's first diagnostics. */
export function readLintedFileSync(path: string): string | undefined {
  if (!formatOf(path)) return undefined;
  try {
    if (formatOf(path) === 'arm' && !readArmHead(path)) return undefined;
    return stripBom(fs.readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** What a JSON file is (template, parameters or neither), read from its first few kB; I/O errors are thrown. */
export function readArmHead(path: string): ReturnType<typeof armSchemaKind> {
  const fd = fs.openSync(path, 'r');
  try {
    const head = Buffer.alloc(JSON_HEAD);
    const bytesRead = fs.readSync(fd, head, 0, head.length, 0);
    return armSchemaKind(stripBom(head.subarray(0, bytesRead).toString('utf8')));
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether a linted file's text belongs in the workspace: anything but JSON that is not a template or parameters file. */
export function isLintedText(path: string, text: string): boolean {
  return formatOf(path) !== 'arm' || armSchemaKind(text) !== undefined;
}

// Editors drop a byte-order mark from the document text; so must we, or every column on line 1 is off by one.
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
