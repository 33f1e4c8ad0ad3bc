// The core's public vocabulary: findings, fixes and edits over offsets. The server and the CLI turn these
// into LSP objects or printed lines; nothing here knows about either.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

/** A span of one file, in UTF-16 code unit offsets (JavaScript string indices). */
export interface Span {
  file: string;
  start: number;
  end: number;
}

export interface TextEdit extends Span {
  newText: string;
}

/** A fix is data: the server turns it into a code action, the tests apply it directly. */
export interface Fix {
  title: string;
  /** Safe fixes are preferred; a suppression or an uncertain rewrite never is. */
  isPreferred: boolean;
  /** `suppress` fixes add a directive comment instead of changing configuration. */
  kind: 'fix' | 'suppress';
  edits: TextEdit[];
}

export interface RelatedInfo extends Span {
  message: string;
}

export interface Finding extends Span {
  ruleId: string;
  severity: Severity;
  message: string;
  related: RelatedInfo[];
  fixes: Fix[];
  /** Rendered faded in the editor (LSP DiagnosticTag.Unnecessary). */
  unnecessary?: boolean;
}

/** Where the documentation lives; a rule's page is derived from its id in one place. */
export const DOCS_BASE = 'https://github.com/apim-tls-lint/apim-tls-lint/blob/main/docs/';
export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}rules/${ruleId}.md`;
}
export function docsPageUrl(page: string): string {
  return `${DOCS_BASE}${page}.md`;
}
export const SOURCE = 'apim-tls-lint';
