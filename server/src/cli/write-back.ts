// Writing edited files back, and showing the edits instead: shared by --fix and pin. A file is written only if it
// still holds the text the edits were computed on, and keeps its byte-order mark; the diff is what `patch -p1` reads.
import * as fs from 'node:fs';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

/** Writes `after` over the file unless the file no longer holds `before`; returns why not, or undefined. */
export function writeBack(file: string, before: string, after: string): string | undefined {
  try {
    const disk = fs.readFileSync(file);
    const bom = disk[0] === 0xef && disk[1] === 0xbb && disk[2] === 0xbf;
    if (disk.toString('utf8', bom ? 3 : 0) !== before) return 'it changed on disk while it was being edited';
    fs.writeFileSync(file, (bom ? '\ufeff' : '') + after);
    return undefined;
  } catch (e) {
    return `it cannot be written (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
}

/** A unified diff of one file, `a/<shown>` against `b/<shown>`, with three lines of context. */
export function unifiedDiff(shown: string, before: string, after: string): string {
  const name = shown.split('\\').join('/');
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { headerOptions: FILE_HEADERS_ONLY });
}
