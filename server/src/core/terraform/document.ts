// One Terraform file as the workspace keeps it: its text and its extracted blocks (plain objects), read once per text.
// A file opened for editing keeps its tree-sitter tree, so that a keystroke reparses incrementally and re-reads only
// the top-level blocks it touched; a closed file keeps no tree (the wasm heap never shrinks).
import { extractFile, patchFile, type HclFile } from '../parse/hcl-ast';
import { parseForExtraction } from '../parse/parse-relevant';
import type { TerraformParser, Tree } from '../parse/terraform-parser';
import type { FormatDocument, TextChange } from '../source-format';
import { isConfigFile, isVarFile } from './module';

/** A file that mentions none of these cannot hold a backend, a service or a value a backend reads. */
const RELEVANT = /api_management|ApiManagement|azapi|variable|locals|module/;

export class TerraformDocument implements FormatDocument {
  private tree: Tree | undefined;
  private hclFile: HclFile | undefined;

  constructor(
    private readonly parser: TerraformParser,
    readonly path: string,
    public text: string,
    editing: boolean,
  ) {
    if (editing) this.tree = parser.parse(text);
  }

  /** The file's blocks and attributes, extracted on first use and kept until the text changes. */
  hcl(): HclFile {
    if (this.hclFile) return this.hclFile;
    const { path, text } = this;
    if (isConfigFile(path) && !RELEVANT.test(text)) {
      this.hclFile = { blocks: [], attributes: [], hasErrors: false };
    } else if (this.tree) {
      this.hclFile = extractFile(this.tree, text, this.parser, isVarFile(path));
    } else {
      const tree = isConfigFile(path) ? parseForExtraction(this.parser, text) : this.parser.parse(text);
      try {
        this.hclFile = extractFile(tree, text, this.parser, isVarFile(path));
      } finally {
        tree.delete();
      }
    }
    return this.hclFile;
  }

  edit(changes: readonly TextChange[], text: string): void {
    let current = this.text;
    const tree = this.tree;
    for (const change of changes) {
      if (tree) {
        // Points without indexing every line of the text twice per keystroke.
        const start = pointAt(current, change.start);
        tree.edit({
          startIndex: change.start,
          oldEndIndex: change.end,
          newEndIndex: change.start + change.text.length,
          startPosition: start,
          oldEndPosition: pointAt(current, change.end),
          newEndPosition: advance(start, change.text),
        });
      }
      current = current.slice(0, change.start) + change.text + current.slice(change.end);
    }
    this.text = text;
    const prev = this.hclFile;
    this.hclFile = undefined;
    if (!tree) return;
    this.tree = this.parser.parse(text, tree);
    // One edit in an error-free document: re-read only the top-level blocks it touched.
    if (prev && changes.length === 1 && prev.blocks.length + prev.attributes.length > 0) {
      const c = changes[0];
      const changed = this.tree.getChangedRanges(tree).map((r) => ({ start: r.startIndex, end: r.endIndex }));
      this.hclFile = patchFile(prev, this.tree, text, c.start, c.end, c.start + c.text.length, changed);
    }
    tree.delete();
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
  }
}

/** Tree-sitter's point for an offset: rows split at \n only, as tree-sitter counts them. */
function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

function advance(p: { row: number; column: number }, inserted: string): { row: number; column: number } {
  const last = inserted.lastIndexOf('\n');
  if (last < 0) return { row: p.row, column: p.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i >= 0; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: p.row + rows, column: inserted.length - last - 1 };
}
