// One Terraform file as the workspace keeps it: its text and its extracted blocks (plain objects), read once per text.
// A .tf file opened for editing is kept as top-level segments (parse/hcl-segments.ts): a keystroke parses again only
// the block it falls in, and the other blocks keep their objects, so what the model read from them can be reused.
// No tree-sitter tree is kept (the wasm heap never shrinks).
import { extractFile, type HclFile, type Located } from '../parse/hcl-ast';
import { SegmentedHcl } from '../parse/hcl-segments';
import { ParseBudgetError } from '../parse/parse-budget';
import { LineStarts } from '../parse/line-starts';
import { parserInput } from '../parse/parser-input';
import type { TerraformParser } from '../parse/terraform-parser';
import type { FormatDocument, TextChange } from '../source-format';
import { isConfigFile, isVarFile } from './module';
import { readClosedFile, readsAsEmpty, type ClosedFileReader } from './read-closed';

export class TerraformDocument implements FormatDocument {
  private hclFile: HclFile | undefined;
  private segments: SegmentedHcl | undefined;
  /**
   * Bumped by every change after which what was read from this file must be read again whole: any change of a
   * closed file or a var file, and an edit of an open file that touched a variable, a local, a module call, or
   * could not be followed segment by segment. Edits inside resources leave it as it is.
   */
  generation = 0;

  constructor(
    private readonly parser: TerraformParser,
    readonly path: string,
    public text: string,
    private readonly editing: boolean,
    private readonly readClosed: ClosedFileReader = readClosedFile,
  ) {}

  /** Set when the file's parse ran out of time (the file then reads as empty, and gets one notice). */
  overBudget: number | undefined;
  /** Where the file first nests deeper than the cap (parse/parser-input.ts), when it does: what lies deeper is not read. */
  tooDeepAt: number | undefined;

  /** The file's blocks and attributes, extracted on first use and kept until the text changes. */
  hcl(): HclFile {
    if (this.hclFile) return this.hclFile;
    if (readsAsEmpty(this.path, this.text)) {
      this.segments = undefined;
      this.overBudget = undefined;
      this.tooDeepAt = undefined;
      return (this.hclFile = { blocks: [], attributes: [], hasErrors: false });
    }
    if (!this.editing) {
      const read = this.readClosed(this.parser, this.path, this.text);
      this.overBudget = read.overBudget;
      this.tooDeepAt = read.tooDeepAt;
      return (this.hclFile = read.file);
    }
    this.overBudget = undefined;
    this.tooDeepAt = undefined;
    try {
      return this.readEditing();
    } catch (e) {
      if (!(e instanceof ParseBudgetError)) throw e;
      this.segments = undefined;
      this.overBudget = e.budgetMs;
      return (this.hclFile = { blocks: [], attributes: [], hasErrors: true });
    }
  }

  /** An open file: read whole, then kept as segments that a keystroke reads again one at a time. */
  private readEditing(): HclFile {
    const { path, parser } = this;
    if (this.segments) return (this.hclFile = this.segments.hcl());
    // Parsed and read as capped; offsets are those of the real text.
    const { text, cutAt, ranges } = parserInput(this.text, 'hcl');
    this.tooDeepAt = cutAt;
    const lines = ranges && new LineStarts(text);
    const tree = lines ? parser.parseRanges(text, ranges, (o) => lines.pointAt(o).row) : parser.parse(text);
    try {
      this.hclFile = extractFile(tree, text, parser, isVarFile(path));
    } finally {
      tree.delete();
    }
    // A file read in ranges is read whole after each change: segments would hand the parser what was left out.
    if (isConfigFile(path) && !ranges) {
      this.segments = SegmentedHcl.from(parser, text, this.hclFile);
      this.hclFile = this.segments?.hcl() ?? this.hclFile;
    }
    return this.hclFile;
  }

  edit(changes: readonly TextChange[], text: string): void {
    let before = this.text;
    this.text = text;
    this.hclFile = undefined;
    // What kept the old text from being read says nothing of the new one (which may not be read at all: a file that can
    // no longer matter is skipped).
    this.overBudget = undefined;
    this.tooDeepAt = undefined;
    for (const [k, change] of changes.entries()) {
      const after = k === changes.length - 1 ? text : before.slice(0, change.start) + change.text + before.slice(change.end);
      let result: ReturnType<SegmentedHcl['edit']>;
      try {
        result = this.segments?.edit(change, after);
      } catch (e) {
        // A segment whose parse ran out of time: the file is read whole again, and gets its notice then.
        if (!(e instanceof ParseBudgetError)) throw e;
      }
      if (!result) {
        this.segments = undefined;
        this.generation++;
        return;
      }
      if (result.shared) this.generation++;
      before = after;
    }
    // A file that can no longer matter is read as empty (see hcl()); whatever was read from it goes.
    if (readsAsEmpty(this.path, text)) {
      this.segments = undefined;
      this.generation++;
    }
  }

  /** Moves a span the model read from this file with the text it lies in, while the file is edited segment by segment. */
  track(span: Located): boolean {
    if (!this.segments) return false;
    this.segments.track(span);
    return true;
  }

  /** Forgets the spans tracked so far (the model is read again from scratch). */
  untrack(): void {
    this.segments?.untrack();
  }

  dispose(): void {
    // Nothing outside the JavaScript heap is kept; a closed file is read as a whole from now on.
    this.segments = undefined;
  }
}
