// Fix everything that can be fixed without asking (`--fix`, like `eslint --fix`): the preferred fixes of kind `fix`
// (never a suppression, never the pin, which needs a certificate file), applied in passes over the workspace's texts,
// re-linting between passes until nothing fixable is left. A file whose fixed text would not parse keeps its text.
import type { Finding, Fix, TextEdit } from './types';
import type { Workspace } from './workspace';

export interface FixAllOptions {
  /** Only findings this accepts are fixed (the CLI's: those in, or consumed in, the files the user named). */
  concerns?: (finding: Finding) => boolean;
  /** Whether a file's text parses without errors, with the parser the linter uses for it. */
  parsesCleanly: (file: string, text: string) => boolean;
  /** Re-lint rounds at most; fixes that keep producing new fixes stop here. */
  maxPasses?: number;
}

export interface FixAllResult {
  /** The files whose text changed, with their original and fixed texts. */
  changed: Map<string, { before: string; after: string }>;
  /** How many fixes were applied, by the file of the finding they fixed. */
  fixesByFile: Map<string, number>;
  /** Files left as they were because their fixed text would not parse, with why. */
  refused: Array<{ file: string; reason: string }>;
  /** False when fixes were still appearing after maxPasses. */
  settled: boolean;
}

export const MAX_FIX_PASSES = 10;

/**
 * Applies the fixes to the workspace's texts (the caller writes or shows them). Each pass takes, file by file and in
 * file order, every fixable finding whose edits do not touch an edit already taken, applies them together, and lints
 * again; edits of one pass all refer to the same texts, so the result is what applying them one at a time gives.
 */
export function fixAll(workspace: Workspace, options: FixAllOptions): FixAllResult {
  const maxPasses = options.maxPasses ?? MAX_FIX_PASSES;
  const originals = new Map<string, string>();
  const frozen = new Set<string>();
  const refused: FixAllResult['refused'] = [];
  for (;;) {
    const fixesByFile = new Map<string, number>();
    let settled = false;
    for (let pass = 0; pass < maxPasses; pass++) {
      const chosen = choose(workspace.lint().findings, options, frozen);
      if (chosen.length === 0) {
        settled = true;
        break;
      }
      const byFile = new Map<string, TextEdit[]>();
      for (const { finding, fix } of chosen) {
        fixesByFile.set(finding.file, (fixesByFile.get(finding.file) ?? 0) + 1);
        for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
      }
      for (const [file, edits] of byFile) {
        const text = workspace.textOf(file)!;
        if (!originals.has(file)) originals.set(file, text);
        workspace.setFile(file, applyEdits(text, edits));
      }
    }
    // A file that would not parse is put back as it was and left out of another round, with everything it touched.
    const broken = [...originals].filter(([file, before]) => workspace.textOf(file) !== before && !options.parsesCleanly(file, workspace.textOf(file)!));
    if (broken.length === 0) {
      const changed = new Map<string, { before: string; after: string }>();
      for (const [file, before] of originals) {
        const after = workspace.textOf(file)!;
        if (after !== before) changed.set(file, { before, after });
      }
      return { changed, fixesByFile, refused, settled };
    }
    for (const [file, before] of broken) {
      frozen.add(file);
      refused.push({
        file,
        reason: options.parsesCleanly(file, before) ? 'the fixed text would not parse' : 'it does not parse (before the fixes either)',
      });
    }
    for (const [file, before] of originals) workspace.setFile(file, before);
    originals.clear();
  }
}

/** The preferred fixes of one pass: at most one per finding, none touching the edits of another, none in a frozen file. */
function choose(findings: Finding[], options: FixAllOptions, frozen: ReadonlySet<string>): Array<{ finding: Finding; fix: Fix }> {
  const taken: TextEdit[] = [];
  const out: Array<{ finding: Finding; fix: Fix }> = [];
  for (const finding of findings) {
    if (options.concerns && !options.concerns(finding)) continue;
    const fix = finding.fixes.find((f) => f.isPreferred && f.kind === 'fix' && f.edits.length > 0);
    if (!fix || fix.edits.some((e) => frozen.has(e.file))) continue;
    if (fix.edits.some((e) => taken.some((t) => touches(t, e)))) continue;
    taken.push(...fix.edits);
    out.push({ finding, fix });
  }
  return out;
}

/** Overlapping ranges, or two insertions at one offset (their order would be a guess). */
function touches(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file) return false;
  if (a.start === b.start) return true;
  return a.start < b.end && b.start < a.end;
}

function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
