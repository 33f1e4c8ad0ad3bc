// Finding and reading the files of a workspace folder: Terraform files to lint and certificate files whose
// thumbprints pins may name. Shared by the language server and the CLI.
import * as fs from 'node:fs';
import { isCertificateFile } from './core/certificates/read';
import { isTerraformFile } from './core/workspace';

/** Folders that never hold the user's own configuration. */
export const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.terraform', '.vscode-test', '.terragrunt-cache']);

/** A guard against walking a home directory or a monorepo of generated files for ever. */
const MAX_FILES = 20000;

/** Certificate files larger than this hold no certificate worth pinning (a CA bundle is a few hundred kB). */
const MAX_CERTIFICATE_FILE = 1024 * 1024;

export interface WorkspaceFiles {
  terraform: string[];
  certificates: string[];
}

export async function walkWorkspaceFiles(root: string, isIgnored: (path: string) => boolean): Promise<WorkspaceFiles> {
  const out: WorkspaceFiles = { terraform: [], certificates: [] };
  const stack = [root.replace(/\/+$/, '')];
  while (stack.length && out.terraform.length + out.certificates.length < MAX_FILES) {
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
      else if (isTerraformFile(p)) out.terraform.push(p);
      else if (isCertificateFile(p)) out.certificates.push(p);
    }
  }
  out.terraform.sort();
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
