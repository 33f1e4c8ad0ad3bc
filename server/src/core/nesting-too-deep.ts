// The one cap on nesting that every format's reader applies before a parser sees the text (json-depth.ts for ARM and
// Bicep's embedded JSON, parse/parser-input.ts for Terraform and Bicep), and the notice of a file that went past it.
import type { Finding } from './types';

/** Values nested deeper than this are not read (real configurations stay far below it). */
export const MAX_NESTING_DEPTH = 128;

export const NESTING_TOO_DEEP_CODE = 'nesting-too-deep';

/** The one info finding of a file whose values nested deeper than the cap were not read. */
export function tooDeepNotice(file: string, cutAt: number): Finding {
  return {
    file,
    start: cutAt,
    end: cutAt + 1,
    ruleId: NESTING_TOO_DEEP_CODE,
    severity: 'info',
    message: `apim-tls-lint did not read what this file nests more than ${MAX_NESTING_DEPTH} levels deep (the first such value starts here); the rest of the file was linted.`,
    related: [],
    fixes: [],
  };
}
