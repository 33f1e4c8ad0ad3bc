// An open Terraform file kept as top-level segments (one block each, found by the lexical scan of parse-relevant.ts),
// so that a keystroke costs what it touches: the segments an edit falls in are parsed again on their own, and every
// segment after it only moves. Moving is done in place, on a list of everything each segment holds that carries an
// offset (its blocks, attributes and expressions, and the model's spans read from them), so the objects keep their
// identity and whatever was derived from an unchanged block can be reused.
import { extractFile, type HclAttribute, type HclBlock, type HclFile, type Located } from './hcl-ast';
import { parserInput } from './parser-input';
import { topLevelBlockStarts } from './parse-relevant';
import type { TerraformParser } from './terraform-parser';

/** How many following segments a damaged one is joined with, at most, to find the block it heads. */
const MAX_JOINS = 3;

/**
 * Top-level blocks that other blocks read values from: an edit inside one can change any resource of the module
 * (`terraform` too: its required_providers decide what an azapi_resource backend needs, APIM018).
 */
const SHARED_BLOCKS = new Set(['variable', 'locals', 'module', 'terraform']);

interface Segment {
  start: number;
  end: number;
  blocks: HclBlock[];
  attributes: HclAttribute[];
  hasErrors: boolean;
  /** Every object of this segment that carries offsets, moved with it. */
  located: Offsets;
  /** Whether it holds a block other blocks read (variable, locals, module) or a top-level attribute. */
  shared: boolean;
}

export interface SegmentEdit {
  /** A segment holding a block other blocks read was touched (or the file had to be read whole again). */
  shared: boolean;
}

export class SegmentedHcl {
  private file: HclFile | undefined;

  private constructor(
    private readonly parser: TerraformParser,
    private segments: Segment[],
  ) {}

  /**
   * Splits an extracted file into segments at the top-level block starts of its text; undefined when the text's top
   * level is unclear or an extracted item straddles two segments (the caller then reads the file whole).
   */
  static from(parser: TerraformParser, text: string, file: HclFile): SegmentedHcl | undefined {
    // A damaged file is read whole until it parses cleanly: where its blocks begin is the parser's guess, not the scan's.
    if (file.hasErrors) return undefined;
    const starts = topLevelBlockStarts(text);
    if (!starts) return undefined;
    const bounds = starts.map((s) => s.offset);
    if (bounds[0] !== 0) bounds.unshift(0);
    const segments: Segment[] = bounds.map((start, i) => emptySegment(start, i + 1 < bounds.length ? bounds[i + 1] : text.length));
    let k = 0;
    const place = (item: HclBlock | HclAttribute, list: 'blocks' | 'attributes'): boolean => {
      while (k + 1 < segments.length && segments[k + 1].start <= item.start) k++;
      const seg = segments[k];
      if (item.end > seg.end) return false;
      (seg[list] as Array<typeof item>).push(item);
      return true;
    };
    k = 0;
    for (const b of file.blocks) if (!place(b, 'blocks')) return undefined;
    k = 0;
    for (const a of file.attributes) if (!place(a, 'attributes')) return undefined;
    for (const seg of segments) finish(seg, file.hasErrors);
    return new SegmentedHcl(parser, segments);
  }

  /** The file's blocks and attributes, in text order, with their current offsets. */
  hcl(): HclFile {
    if (this.file) return this.file;
    const blocks: HclBlock[] = [];
    const attributes: HclAttribute[] = [];
    let hasErrors = false;
    for (const seg of this.segments) {
      for (const b of seg.blocks) blocks.push(b);
      for (const a of seg.attributes) attributes.push(a);
      hasErrors ||= seg.hasErrors;
    }
    return (this.file = { blocks, attributes, hasErrors });
  }

  /**
   * Applies one change (offsets in `before`, the text before it; `after` is the text after it). Undefined when the
   * change reaches beyond what segments can follow (a block comment or heredoc left open, brackets unbalanced, a
   * block header broken): the caller reads the file whole.
   */
  edit(change: { start: number; end: number; text: string }, after: string): SegmentEdit | undefined {
    const delta = change.text.length - (change.end - change.start);
    const segs = this.segments;
    // The segments the change falls in; an insertion where a block starts belongs to the segment before it.
    let i = 0;
    while (i + 1 < segs.length && segs[i + 1].start < change.start) i++;
    let j = i;
    while (j + 1 < segs.length && segs[j].end < change.end) j++;
    // A damaged segment just before is read again with them: the change may mend it.
    while (i > 0 && segs[i - 1].hasErrors) i--;
    const from = segs[i].start;
    const to = segs[j].end + delta;
    // The next segment must still start a line, or its header changed.
    if (to < after.length && after.charCodeAt(to - 1) !== 10) return undefined;
    const starts = topLevelBlockStarts(after.slice(from, to));
    if (!starts) return undefined;
    const bounds = starts.map((s) => from + s.offset);
    // Only the file's head may hold something before its first block (comments).
    if (from !== to && bounds[0] !== from) {
      if (from !== 0) return undefined;
      bounds.unshift(0);
    }
    const ranges = bounds.map((start, k) => ({ start, end: k + 1 < bounds.length ? bounds[k + 1] : to }));
    // Segments after the change, in the new text's offsets, that a damaged piece may have to take in.
    let absorbed = 0;
    const following = (n: number) => {
      const seg = segs[j + 1 + n];
      return seg ? { start: seg.start + delta, end: seg.end + delta } : undefined;
    };
    const pieces: Segment[] = [];
    for (let k = 0; k < ranges.length; k++) {
      let piece = this.read(after, ranges[k].start, ranges[k].end);
      if (!piece) return undefined;
      // Tree-sitter reads a block header over several lines, so a damaged piece may be the head of the next block:
      // it is read together with what follows, up to a few segments, for as long as that mends it.
      let next = k;
      let taken = 0;
      for (let tries = 0; piece.hasErrors && tries < MAX_JOINS; tries++) {
        const more = next + 1 < ranges.length ? ranges[++next] : following(absorbed + taken++);
        if (!more) break;
        const joined = this.read(after, ranges[k].start, more.end);
        if (!joined) return undefined;
        if (!joined.hasErrors) {
          piece = joined;
          k = next;
          absorbed += taken;
        }
      }
      pieces.push(piece);
    }
    j += absorbed;
    const shared = segs.slice(i, j + 1).some((s) => s.shared) || pieces.some((s) => s.shared);
    for (let k = j + 1; k < segs.length; k++) move(segs[k], delta);
    this.segments = [...segs.slice(0, i), ...pieces, ...segs.slice(j + 1)];
    if (this.segments.length === 0) this.segments.push(emptySegment(0, 0));
    this.file = undefined;
    return { shared };
  }

  /** Moves `span` (a model value or place read from this file) with the segment it lies in, from now on. */
  track(span: Located): void {
    const segs = this.segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].start <= span.start) lo = mid;
      else hi = mid - 1;
    }
    add(segs[lo].located, span);
  }

  /** Forgets every tracked model span (the model is read again from scratch). */
  untrack(): void {
    for (const seg of this.segments) seg.located = collect(seg);
  }

  /** The text between two offsets, read as a file of its own and moved to where it starts. */
  private read(after: string, at: number, end: number): Segment | undefined {
    const text = after.slice(at, end);
    // A piece nested past the cap or holding a long run of comments: the file is read whole (terraform/document.ts).
    if (parserInput(text, 'hcl').ranges) return undefined;
    let file: HclFile;
    const tree = this.parser.parse(text);
    try {
      file = extractFile(tree, text, this.parser, false);
    } finally {
      tree.delete();
    }
    const seg = emptySegment(at, at + text.length);
    seg.blocks = file.blocks;
    seg.attributes = file.attributes;
    finish(seg, file.hasErrors);
    if (at !== 0) shift(seg.located, at);
    return seg;
  }
}

function emptySegment(start: number, end: number): Segment {
  return { start, end, blocks: [], attributes: [], hasErrors: false, located: offsets(), shared: false };
}

function finish(seg: Segment, hasErrors: boolean): void {
  seg.hasErrors = hasErrors;
  seg.shared = seg.attributes.length > 0 || seg.blocks.some((b) => SHARED_BLOCKS.has(b.type));
  seg.located = collect(seg);
}

function move(seg: Segment, delta: number): void {
  if (delta === 0) return;
  seg.start += delta;
  seg.end += delta;
  shift(seg.located, delta);
}

/**
 * The objects that carry offsets, sorted by which offsets they carry besides start and end, so that moving them is a
 * few tight loops (a keystroke moves every object after it in the file).
 */
interface Offsets {
  plain: Located[];
  /** HclBlock. */
  blocks: Array<Located & { typeEnd: number; bodyStart: number; bodyEnd: number }>;
  /** The model's BlockSpan. */
  bodies: Array<Located & { bodyStart: number; bodyEnd: number }>;
  /** HclAttribute. */
  attributes: Array<Located & { nameEnd: number }>;
  /** ObjectItem. */
  items: Array<Located & { keyStart: number; keyEnd: number }>;
}

function offsets(): Offsets {
  return { plain: [], blocks: [], bodies: [], attributes: [], items: [] };
}

function add(to: Offsets, o: Located): void {
  if ('typeEnd' in o) to.blocks.push(o as Offsets['blocks'][number]);
  else if ('bodyStart' in o) to.bodies.push(o as Offsets['bodies'][number]);
  else if ('nameEnd' in o) to.attributes.push(o as Offsets['attributes'][number]);
  else if ('keyStart' in o) to.items.push(o as Offsets['items'][number]);
  else to.plain.push(o);
}

function shift(o: Offsets, d: number): void {
  for (const x of o.plain) {
    x.start += d;
    x.end += d;
  }
  for (const x of o.blocks) {
    x.start += d;
    x.end += d;
    x.typeEnd += d;
    x.bodyStart += d;
    x.bodyEnd += d;
  }
  for (const x of o.bodies) {
    x.start += d;
    x.end += d;
    x.bodyStart += d;
    x.bodyEnd += d;
  }
  for (const x of o.attributes) {
    x.start += d;
    x.end += d;
    x.nameEnd += d;
  }
  for (const x of o.items) {
    x.start += d;
    x.end += d;
    x.keyStart += d;
    x.keyEnd += d;
  }
}

/** Every object of a segment's blocks and attributes that carries an offset, each once. */
function collect(seg: Segment): Offsets {
  const out = offsets();
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    const o = value as Record<string, unknown>;
    if (typeof o.start === 'number') add(out, o as unknown as Located);
    for (const key in o) {
      const v = o[key];
      if (v !== null && typeof v === 'object') visit(v);
    }
  };
  visit(seg.blocks);
  visit(seg.attributes);
  return out;
}
