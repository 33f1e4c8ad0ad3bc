// Publication: findings become LSP diagnostics on the client's URI and version, and what was published is remembered
// (code actions are built from it, and a file whose findings are gone is cleared rather than left stale).
import { DiagnosticSeverity, DiagnosticTag, type Connection, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { ConfigProblem } from './core/config';
import { RULE_IDS } from './core/rules';
import { DIRECTIVE_CODES } from './core/suppress';
import { LineIndex } from './core/text';
import { docsPageUrl, docsUrl, SOURCE, type Finding, type Severity } from './core/types';
import type { OpenDocuments } from './documents';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export class DiagnosticsPublisher {
  /** Findings last published, per path, for code actions. */
  private readonly published = new Map<string, Finding[]>();
  /** The document version each open file's diagnostics were last published for. */
  private readonly versions = new Map<string, number | undefined>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: OpenDocuments,
    /** The text the server holds for a file that is not open (the workspace's). */
    private readonly textOf: (file: string) => string | undefined,
  ) {}

  publish(file: string, findings: Finding[]): void {
    const doc = this.documents.get(file);
    const toRange = this.ranges(file);
    this.published.set(file, findings);
    this.versions.set(file, doc?.version);
    void this.connection.sendDiagnostics({
      uri: this.documents.uriOf(file),
      version: doc?.version,
      diagnostics: findings.map((f) => this.toDiagnostic(f, toRange)),
    });
  }

  /**
   * An open document that the last lint did not cover (its new text yields nothing to read, say) is published empty
   * for its current version, so that nothing older stays on screen.
   */
  settle(file: string): void {
    const doc = this.documents.get(file);
    if (doc) {
      if (this.published.get(file)?.length === 0 && this.versions.get(file) === doc.version) return;
      this.publish(file, []);
    } else this.clear(file);
  }

  publishFailure(file: string): void {
    const doc = this.documents.get(file);
    this.published.set(file, []);
    this.versions.set(file, doc?.version);
    const message = 'apim-tls-lint could not analyse this file: an internal error occurred (see the APIM TLS Lint output).';
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    void this.connection.sendDiagnostics({
      uri: this.documents.uriOf(file),
      version: doc?.version,
      diagnostics: [{ range, severity: DiagnosticSeverity.Information, source: SOURCE, code: 'internal-error', message }],
    });
  }

  clear(file: string): void {
    if (!this.published.has(file)) return;
    this.published.delete(file);
    this.versions.delete(file);
    void this.connection.sendDiagnostics({ uri: this.documents.uriOf(file), diagnostics: [] });
  }

  /** The configuration file's own problems, on the configuration file. */
  publishConfigProblems(file: string, text: string, problems: ConfigProblem[]): void {
    const index = new LineIndex(text);
    void this.connection.sendDiagnostics({
      uri: this.documents.uriOf(file),
      diagnostics: problems.map((p) => ({
        range: { start: index.positionAt(p.start), end: index.positionAt(p.end) },
        severity: DiagnosticSeverity.Error,
        source: SOURCE,
        message: p.message,
      })),
    });
  }

  findingsOf(file: string): readonly Finding[] {
    return this.published.get(file) ?? [];
  }

  hasPublished(file: string): boolean {
    return this.published.has(file);
  }

  publishedFiles(): string[] {
    return [...this.published.keys()];
  }

  toDiagnostic(f: Finding, toRange = this.ranges(f.file)): Diagnostic {
    const diagnostic: Diagnostic = {
      range: toRange(f.start, f.end),
      severity: SEVERITY[f.severity],
      source: SOURCE,
      code: f.ruleId,
      message: f.message,
    };
    if (RULE_IDS.includes(f.ruleId)) diagnostic.codeDescription = { href: docsUrl(f.ruleId) };
    else if (DIRECTIVE_CODES.has(f.ruleId)) diagnostic.codeDescription = { href: docsPageUrl('suppression') };
    if (f.unnecessary) diagnostic.tags = [DiagnosticTag.Unnecessary];
    if (f.related.length) {
      diagnostic.relatedInformation = f.related.map((r) => ({
        location: { uri: this.documents.uriOf(r.file), range: this.rangeIn(r.file, r.start, r.end) },
        message: r.message,
      }));
    }
    return diagnostic;
  }

  rangeIn(file: string, start: number, end: number): Range {
    return this.ranges(file)(start, end);
  }

  /**
   * Offsets to positions in a file: an open document's own line table (kept up to date edit by edit, so a keystroke in
   * a large file does not index all its lines again), else a line index of the workspace's text.
   */
  private ranges(file: string): (start: number, end: number) => Range {
    const doc = this.documents.get(file);
    if (doc) return (start, end) => ({ start: doc.positionAt(start), end: doc.positionAt(end) });
    let index: LineIndex | undefined;
    return (start, end) => {
      index ??= new LineIndex(this.textOf(file) ?? '');
      return { start: index.positionAt(start), end: index.positionAt(end) };
    };
  }
}
