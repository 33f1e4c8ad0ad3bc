// Where each line of a text starts, to give tree-sitter the row and column of an offset (included ranges need both).
// Not text.ts's LineIndex: that one counts a lone \r as a line break, as LSP does; tree-sitter's rows split at \n only.

/** Rows and columns of offsets, as tree-sitter counts them (rows split at \n only). */
export class LineStarts {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  pointAt(offset: number): { row: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: offset - this.starts[lo] };
  }
}
