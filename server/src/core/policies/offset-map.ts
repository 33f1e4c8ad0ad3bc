// Text of one language embedded in another's file (policy XML in a heredoc, a JSON string, a Bicep string) is read as
// the embedded language sees it: unescaped, its indentation stripped. Like Volar's virtual code and mappings, the
// map below takes every offset of that text back to the characters of the host file, so a finding lands on what the
// user must edit. Three kinds of piece: characters copied as they are, an escape written as several characters
// (`\"`, `&quot;` is XML's own business), and stretches whose value the host cannot know (an interpolation).

/** A stretch of the host file and what it became in the embedded text. */
interface Piece {
  /** Start and end in the embedded text. */
  v: number;
  vEnd: number;
  /** Start and end in the host file. */
  s: number;
  sEnd: number;
  kind: 'copy' | 'escape' | 'opaque';
}

export class OffsetMap {
  constructor(private readonly pieces: readonly Piece[]) {}

  /** The map of a text that is the host's own characters from `sourceStart` on (a file read whole). */
  static identity(length: number, sourceStart = 0): OffsetMap {
    return new OffsetMap([{ v: 0, vEnd: length, s: sourceStart, sEnd: sourceStart + length, kind: 'copy' }]);
  }

  /** The host characters that wrote the embedded text from `start` to `end`. */
  toSource(start: number, end: number): { start: number; end: number } {
    const first = this.pieceAt(start, false);
    const last = this.pieceAt(end, true);
    if (!first || !last) return { start: 0, end: 0 };
    const s = first.kind === 'copy' ? first.s + (start - first.v) : first.s;
    const e = last.kind === 'copy' ? last.s + (end - last.v) : last.sEnd;
    return { start: s, end: Math.max(s, e) };
  }

  /** Whether the host writes `start..end` character for character (so an edit there can replace it as it is). */
  isVerbatim(start: number, end: number): boolean {
    const first = this.pieceAt(start, false);
    if (!first || first.kind !== 'copy') return false;
    return end <= first.vEnd;
  }

  /** The first offset in `start..end` whose character the host does not know (an interpolation), if any. */
  firstOpaque(start: number, end: number): number | undefined {
    for (const p of this.pieces) {
      if (p.vEnd <= start || p.kind !== 'opaque') continue;
      if (p.v >= end) break;
      return Math.max(p.v, start);
    }
    return undefined;
  }

  /** The embedded stretches the host could not know, in order. */
  opaqueRanges(): Array<{ start: number; end: number }> {
    return this.pieces.filter((p) => p.kind === 'opaque').map((p) => ({ start: p.v, end: p.vEnd }));
  }

  /**
   * The piece holding `offset`; at a boundary between two pieces, the one that ends there when `ending` (an end
   * offset belongs to what precedes it), else the one that starts there.
   */
  private pieceAt(offset: number, ending: boolean): Piece | undefined {
    const pieces = this.pieces;
    let lo = 0;
    let hi = pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const p = pieces[mid];
      if (ending ? p.vEnd < offset : p.vEnd <= offset) lo = mid + 1;
      else hi = mid;
    }
    return pieces[lo] ?? pieces[pieces.length - 1];
  }
}

/** Builds an embedded text and its map, piece by piece, in the order the host writes them. */
export class OffsetMapBuilder {
  private text = '';
  private readonly pieces: Piece[] = [];

  /** Host characters `source..source+chunk.length` that the embedded text holds as they are. */
  copy(source: number, chunk: string): void {
    if (!chunk) return;
    const last = this.pieces[this.pieces.length - 1];
    if (last && last.kind === 'copy' && last.sEnd === source && last.vEnd === this.text.length) {
      last.vEnd += chunk.length;
      last.sEnd += chunk.length;
    } else this.push(source, source + chunk.length, chunk.length, 'copy');
    this.text += chunk;
  }

  /** An escape sequence `source..sourceEnd` that stands for `produced`. */
  escape(source: number, sourceEnd: number, produced: string): void {
    if (!produced) return;
    this.push(source, sourceEnd, produced.length, 'escape');
    this.text += produced;
  }

  /**
   * Host text `source..sourceEnd` whose value is unknown (an interpolation). It stands as blanks of the same length
   * in the embedded text: a blank breaks no XML where a value could be, and the map marks the stretch unknown.
   */
  opaque(source: number, sourceEnd: number): void {
    const length = Math.max(1, sourceEnd - source);
    this.push(source, sourceEnd, length, 'opaque');
    this.text += '_'.repeat(length);
  }

  build(): { text: string; map: OffsetMap } {
    return { text: this.text, map: new OffsetMap(this.pieces.length ? this.pieces : [{ v: 0, vEnd: 0, s: 0, sEnd: 0, kind: 'copy' }]) };
  }

  private push(s: number, sEnd: number, length: number, kind: Piece['kind']): void {
    this.pieces.push({ v: this.text.length, vEnd: this.text.length + length, s, sEnd, kind });
  }
}
