// web-tree-sitter with the Terraform flavour of the HCL grammar. The core receives the folder holding the wasm
// files from its caller (server, CLI or tests) and never reads the disk itself beyond what the runtime loads.
// An import-equals keeps esbuild on the CommonJS entry (see shared notes: the ESM one breaks in a CJS bundle).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import TS = require('web-tree-sitter');

import { blankRunsAsComments } from './hcl-blank-runs';
import { budgeted, ParseBudgetError, parseBudgetMs } from './parse-budget';

export type SyntaxNode = TS.Node;
export type Tree = TS.Tree;

export interface TerraformParser {
  /**
   * Parses `text`; with `oldTree` (already `edit`ed) the parse is incremental. Throws ParseBudgetError when the parse
   * takes longer than parseBudgetMs.
   */
  parse(text: string, oldTree?: Tree): Tree;
  /**
   * Parses only the given line-aligned ranges of `text` (sorted, disjoint), keeping offsets absolute: for recovery
   * after damage, and to skip blocks that cannot matter. `rowOf` maps an offset to its 0-based line. `budgetMs`
   * (default parseBudgetMs) is the CPU time it may take before it throws ParseBudgetError.
   */
  parseRanges(text: string, ranges: ReadonlyArray<{ start: number; end: number }>, rowOf: (offset: number) => number, budgetMs?: number): Tree;
}

/** Where the two wasm files are: one folder holding both (the bundle's dist/), or each file's own path. */
export type WasmLocation = string | { runtime: string; grammar: string };

export const RUNTIME_WASM = 'tree-sitter.wasm';
export const GRAMMAR_WASM = 'tree-sitter-terraform.wasm';

let runtime: Promise<void> | undefined;
let wasmReader: ((path: string) => Uint8Array) | undefined;

/**
 * How the caller reads a grammar's wasm file. Without it web-tree-sitter reads the file itself, through a dynamic
 * `import()`, which a script compiled from a code cache cannot do (cli/main.ts uses one to start fast).
 */
export function setWasmReader(read: (path: string) => Uint8Array): void {
  wasmReader = read;
}
const languages = new Map<string, Promise<TS.Language>>();

/** The runtime is initialised once per process (the Bicep parser shares it); later calls share it whatever they pass. */
function initRuntime(runtimeWasm: string): Promise<void> {
  runtime ??= TS.Parser.init({ locateFile: () => runtimeWasm });
  return runtime;
}

/**
 * A tree-sitter parser for the grammar `grammarWasm` (the file name looked for in a folder `location`): the runtime
 * is initialised once and each grammar loaded once per process, whichever parser asks first.
 */
export async function newParser(location: WasmLocation, grammarWasm: string): Promise<TS.Parser> {
  const dir = typeof location === 'string' ? location.replace(/[\\/]+$/, '') : undefined;
  const files = dir ? { runtime: `${dir}/${RUNTIME_WASM}`, grammar: `${dir}/${grammarWasm}` } : (location as { runtime: string; grammar: string });
  await initRuntime(files.runtime);
  if (!languages.has(files.grammar)) languages.set(files.grammar, TS.Language.load(wasmReader?.(files.grammar) ?? files.grammar));
  const parser = new TS.Parser();
  parser.setLanguage(await languages.get(files.grammar)!);
  return parser;
}

export async function loadTerraformParser(location: WasmLocation): Promise<TerraformParser> {
  const run = budgeted(await newParser(location, GRAMMAR_WASM));
  // Recovery parses many ranges of one text: prepare each text once.
  let last: { text: string; prepared: string } | undefined;
  const prepare = (text: string) => {
    if (last?.text !== text) last = { text, prepared: blankRunsAsComments(text) };
    return last.prepared;
  };
  return {
    parse(text, oldTree) {
      const budgetMs = parseBudgetMs(text.length);
      const tree = run(prepare(text), { budgetMs, oldTree });
      if (!tree) throw new ParseBudgetError(budgetMs);
      return tree;
    },
    parseRanges(text, ranges, rowOf, budgetMs = parseBudgetMs(text.length)) {
      const includedRanges: TS.Range[] = ranges.map((r) => ({
        startIndex: r.start,
        endIndex: r.end,
        startPosition: { row: rowOf(r.start), column: 0 },
        endPosition: { row: rowOf(r.end), column: 0 },
      }));
      const tree = run(prepare(text), { budgetMs, includedRanges });
      if (!tree) throw new ParseBudgetError(budgetMs);
      return tree;
    },
  };
}
