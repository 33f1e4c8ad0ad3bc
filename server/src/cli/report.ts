// A finding as the CLI prints it: the path the user knows it by and 1-based positions, shared by every format.
import type { Severity } from '../core/types';

export interface Location {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (what editors and SARIF's default column kind count). */
  column: number;
  endLine: number;
  /** 1-based and exclusive: the column just after the last character. */
  endColumn: number;
}

export interface Reported extends Location {
  ruleId: string;
  severity: Severity;
  message: string;
  related: Array<Location & { message: string }>;
  /** The text of the finding's first line, for fingerprints that survive edits elsewhere in the file. */
  lineText?: string;
}

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { hint: 0, info: 1, warning: 2, error: 3 };

/** By file, line, column; ties by rule id and message so that output never depends on rule order. */
export function compareReported(a: Reported, b: Reported): number {
  return cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.ruleId, b.ruleId) || cmp(a.message, b.message);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
