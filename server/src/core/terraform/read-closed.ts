// How a Terraform file that is not open for editing is read: capped and stripped for the parser (parse/parser-input.ts),
// parsed without its irrelevant blocks, and extracted into plain objects: a pure function of the path and the text.
import { extractFile, type HclFile } from '../parse/hcl-ast';
import { LineStarts } from '../parse/line-starts';
import { ParseBudgetError } from '../parse/parse-budget';
import { parseForExtraction } from '../parse/parse-relevant';
import { parserInput } from '../parse/parser-input';
import type { TerraformParser } from '../parse/terraform-parser';
import { isConfigFile, isModulesManifest, isVarFile } from './module';

/** A file that mentions none of these cannot hold a backend, a service or a value a backend reads. */
export const RELEVANT = /api_management|ApiManagement|azapi|variable|locals|module/;

/** What was read from a file: its blocks and attributes, and what kept part of it from being read. */
export interface ClosedRead {
  file: HclFile;
  /** The budget its parse ran out of (the file then reads as empty, and gets one notice). */
  overBudget?: number;
  /** Where it first nests deeper than the cap: what lies deeper is not read. */
  tooDeepAt?: number;
}

/** How the workspace reads a closed file that matters: readClosedFile, or a cache of its reads (the CLI's, cli/read-cache.ts). */
export type ClosedFileReader = (parser: TerraformParser, path: string, text: string) => ClosedRead;

/** Whether a file is read as empty without a parse: the modules manifest (JSON), or a file that cannot matter. */
export function readsAsEmpty(path: string, text: string): boolean {
  return isModulesManifest(path) || (isConfigFile(path) && !RELEVANT.test(text));
}

/** Reads a file that is not read as empty (readsAsEmpty: the document looks first, so that a cache never sees those). */
export function readClosedFile(parser: TerraformParser, path: string, realText: string): ClosedRead {
  // Parsed and read as capped; offsets are those of the real text.
  const { text, cutAt, ranges } = parserInput(realText, 'hcl');
  const tooDeep = cutAt === undefined ? {} : { tooDeepAt: cutAt };
  try {
    let tree;
    if (ranges) {
      const lines = new LineStarts(text);
      tree = parser.parseRanges(text, ranges, (o) => lines.pointAt(o).row);
    } else tree = isConfigFile(path) ? parseForExtraction(parser, text) : parser.parse(text);
    try {
      return { file: extractFile(tree, text, parser, isVarFile(path)), ...tooDeep };
    } finally {
      tree.delete();
    }
  } catch (e) {
    if (!(e instanceof ParseBudgetError)) throw e;
    return { file: { blocks: [], attributes: [], hasErrors: true }, overBudget: e.budgetMs, ...tooDeep };
  }
}
