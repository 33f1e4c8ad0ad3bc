// web-tree-sitter with tree-sitter-bicep. The runtime is the one the Terraform parser initialises (once per process);
// each parse runs under a time budget, because this grammar is quadratic on some inputs (many `${...}`).
import { LineStarts } from './line-starts';
import { budgeted, parseBudgetMs } from './parse-budget';
import { newParser, type SyntaxNode, type Tree, type WasmLocation } from './terraform-parser';

export const BICEP_GRAMMAR_WASM = 'tree-sitter-bicep.wasm';

export interface BicepParser {
  readonly kind: 'bicep';
  /**
   * Parses `text` (a `.bicep` file, or with `paramFile` a `.bicepparam` file); null when the parse went over
   * `budgetMs`. Offsets in the tree are those of `text` itself.
   */
  parse(text: string, paramFile?: boolean, budgetMs?: number): Tree | null;
  /** Parses only the given ranges of `text` (sorted, disjoint), offsets kept absolute. */
  parseRanges?(text: string, ranges: ReadonlyArray<{ start: number; end: number }>, budgetMs?: number, paramFile?: boolean): Tree | null;
}

export type { SyntaxNode, Tree };

/** `location` is the folder holding both wasm files (the bundle's dist/), or each file's own path. */
export async function loadBicepParser(location: WasmLocation): Promise<BicepParser> {
  const run = budgeted(await newParser(location, BICEP_GRAMMAR_WASM));
  return {
    kind: 'bicep',
    parse: (text, paramFile = false, budgetMs = parseBudgetMs(text.length)) => run(prepareBicepText(text, paramFile), { budgetMs }),
    parseRanges(text, ranges, budgetMs = parseBudgetMs(text.length), paramFile = false) {
      const rows = new LineStarts(text);
      const includedRanges = ranges.map((r) => ({
        startIndex: r.start,
        endIndex: r.end,
        startPosition: rows.pointAt(r.start),
        endPosition: rows.pointAt(r.end),
      }));
      return run(prepareBicepText(text, paramFile), { budgetMs, includedRanges });
    },
  };
}

/**
 * Rewrites, length for length, the two constructs tree-sitter-bicep 1.1 does not parse: an object spread `...x`
 * becomes the property `_: x` (the extractor recognises it by the `...` in the original text), and a `.bicepparam`
 * assignment `param x = v` becomes `var   x = v`. Offsets are unchanged, so every span points into the real text.
 * Long runs of non-ASCII characters or of `"` become `#`: the grammar lexes such a run outside a string again from
 * each of its characters, in one step its progress callback cannot stop (a line of 10,000 `é` took 5.5 s whatever the
 * budget, 100,000 `"` took 109 s). Inside a string or a comment the run is text either way (values are read from the
 * real text, and neither character escapes anything); outside, it was an error and stays one (Bicep names are ASCII,
 * its strings single-quoted).
 */
export function prepareBicepText(text: string, paramFile: boolean): string {
  let out = text.replace(/(^|[{,])([ \t]*)\.\.\.(?=[\w([{])/gm, '$1$2_: ');
  if (paramFile) out = out.replace(/^([ \t]*)param(?=\s)/gm, '$1var  ');
  return out.replace(LONG_NON_SYNTAX_RUN, (run) => '#'.repeat(run.length));
}

/** Runs this long are never Bicep syntax (UTF-16 units, so a character outside the BMP counts twice and stays two). */
const LONG_NON_SYNTAX_RUN = /[\u0080-\uffff"]{256,}/g;
