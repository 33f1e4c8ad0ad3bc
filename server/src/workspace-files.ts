// Finding the Terraform files below a folder: the one place (with the CLI's file walker) that lists directories.
import * as fs from 'node:fs';
import { isTerraformFile } from './core/workspace';

/** Folders that never hold the user's own configuration. */
export const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.terraform', '.vscode-test', '.terragrunt-cache']);

/** A guard against walking a home directory or a monorepo of generated files for ever. */
const MAX_FILES = 20000;

export async function walkTerraformFiles(root: string, isIgnored: (path: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const stack = [root.replace(/\/+$/, '')];
  while (stack.length && out.length < MAX_FILES) {
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
      } else if (e.isFile() && isTerraformFile(p) && !isIgnored(p)) out.push(p);
    }
  }
  return out.sort();
}
