// Whether a text parses without errors, with the format that reads it (SourceFormat.parsesCleanly): the last check
// before a fixed file is written (DESIGN §4: every fix leaves a file that parses).
import { formatFor } from './formats';
import type { SourceFormat } from './source-format';

/** No format claims the file, or its format cannot check: no answer, and no answer is not a yes. */
export function parsesCleanly(file: string, text: string, formats: readonly SourceFormat[]): boolean {
  return formatFor(file, formats)?.parsesCleanly?.(file, text) ?? false;
}
