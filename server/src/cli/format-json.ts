// `--format json`: exactly the array of DESIGN §6, one object per finding, in the order given (already sorted).
import type { Reported } from './report';

export function formatJson(findings: readonly Reported[]): string {
  const out = findings.map((f) => ({
    file: f.file,
    rule: f.ruleId,
    severity: f.severity,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message,
  }));
  return JSON.stringify(out, null, 2) + '\n';
}
