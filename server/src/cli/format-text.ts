// `--format text`: one `path:line:col: severity ID message` line per finding (the shape compilers print, so
// terminals and editors link it), then a summary line.
import type { Severity } from '../core/types';
import { SEVERITY_RANK, type Reported } from './report';

export interface TextOptions {
  /** How many files the user asked about were linted. */
  filesChecked: number;
  color: boolean;
}

const COLORS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', hint: '\x1b[2m' };
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

export function formatText(findings: readonly Reported[], options: TextOptions): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  const lines = findings.map((f) => `${f.file}:${f.line}:${f.column}: ${paint(COLORS[f.severity], f.severity)} ${paint(DIM, f.ruleId)} ${f.message}`);
  if (findings.length) lines.push('');
  lines.push(paint(BOLD, summary(findings, options.filesChecked)));
  return lines.join('\n') + '\n';
}

function summary(findings: readonly Reported[], filesChecked: number): string {
  if (filesChecked === 0) return 'No Terraform, ARM template or Bicep files found.';
  if (findings.length === 0) return `No findings in ${plural(filesChecked, 'file')}.`;
  const bySeverity = (Object.keys(SEVERITY_RANK) as Severity[])
    .sort((a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a])
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    // "info" reads as a mass noun: "2 info", like "2 warnings".
    .map(([s, n]) => (s === 'info' ? `${n} info` : plural(n, s)));
  const files = new Set(findings.map((f) => f.file)).size;
  return `${plural(findings.length, 'finding')} (${bySeverity.join(', ')}) in ${plural(files, 'file')} (${filesChecked} checked).`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
