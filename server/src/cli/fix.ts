// `--fix` and `--fix-dry-run`: the core's fixAll on each configuration's workspace, then either the fixed files written
// back (byte-order mark kept, never over a file that changed meanwhile) or a unified diff of them, and a summary on
// stderr. The report that follows lints the fixed texts, so it shows what remains.
import { fixAll } from '../core/fix-all';
import { parsesCleanly } from '../core/syntax-check';
import type { Finding } from '../core/types';
import type { Workspace } from '../core/workspace';
import type { ConfigGroup } from './files';
import { unifiedDiff, writeBack } from './write-back';

export type FixMode = 'write' | 'dry-run';

export class Fixer {
  private readonly diffs: string[] = [];
  private readonly notes: string[] = [];
  private readonly fixedFiles: Array<{ shown: string; fixes: number }> = [];

  constructor(readonly mode: FixMode) {}

  /** Fixes what `concerns` accepts in `group`'s workspace; the group's file texts become the fixed ones (or stay). */
  apply(workspace: Workspace, group: ConfigGroup, concerns: (f: Finding) => boolean): void {
    const byKey = new Map(group.files.map((f) => [f.key, f] as const));
    const shown = (key: string) => byKey.get(key)?.display ?? key;
    const result = fixAll(workspace, { concerns, parsesCleanly: (file, text) => parsesCleanly(file, text, workspace.formats()) });
    for (const r of result.refused) this.notes.push(`left ${shown(r.file)} unchanged: ${r.reason}.`);
    if (!result.settled) this.notes.push('fixes were still appearing after the last pass; run --fix again.');
    for (const [key, { before, after }] of [...result.changed].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const file = byKey.get(key);
      if (!file) continue;
      if (this.mode === 'write') {
        const problem = writeBack(key, before, after);
        if (problem) {
          this.notes.push(`left ${file.display} unchanged: ${problem}.`);
          workspace.setFile(key, before);
          continue;
        }
      } else {
        this.diffs.push(unifiedDiff(file.display, before, after));
      }
      file.text = after;
      this.fixedFiles.push({ shown: file.display, fixes: result.fixesByFile.get(key) ?? 0 });
    }
  }

  /** The unified diff of every file --fix-dry-run would change (empty when none). */
  diff(): string {
    return this.diffs.join('');
  }

  /** What was fixed (or would be), and what was left alone, for stderr. */
  summary(): string {
    const fixes = this.fixedFiles.reduce((n, f) => n + f.fixes, 0);
    const files = this.fixedFiles.map((f) => (f.fixes ? `${f.shown} (${f.fixes})` : f.shown)).join(', ');
    const lines = this.fixedFiles.length
      ? [
          this.mode === 'write'
            ? `fixed ${plural(fixes, 'finding')} in ${plural(this.fixedFiles.length, 'file')}: ${files}.`
            : `--fix-dry-run: ${plural(fixes, 'finding')} would be fixed in ${plural(this.fixedFiles.length, 'file')} (${files}); nothing was written.`,
        ]
      : ['nothing to fix.'];
    return [...lines, ...this.notes].map((l) => `apim-tls-lint: ${l}\n`).join('');
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
