// LSP wiring only: documents in, diagnostics and code actions out. All analysis is in ./core.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type CodeAction,
  CodeActionKind,
  CodeLensRefreshRequest,
  DiagnosticSeverity,
  DiagnosticTag,
  FileChangeType,
  TextDocumentSyncKind,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { CONFIG_FILE_NAME, defaultConfig, parseConfig, type ConfigProblem } from './core/config';
import { loadTerraformParser } from './core/parse/terraform-parser';
import { loadBicepParser } from './core/parse/bicep-parser';
import { formatOf, isLintedFile } from './core/formats';
import { RULE_IDS } from './core/rules';
import { DIRECTIVE_CODES } from './core/suppress';
import { LineIndex } from './core/text';
import { docsPageUrl, docsUrl, SOURCE, type Finding, type Severity } from './core/types';
import { Workspace, type LintResult } from './core/workspace';
import { isCertificateFile, readCertificates } from './core/certificates/read';
import { trustHover, trustLenses } from './trust-views';
import { executeCommand } from './commands';
import { packageVersion } from './package-version';
import { explainAction, orderActions, type RankedAction } from './rule-actions';
import { PIN_BACKEND_FROM_CA_FILE, SERVER_COMMANDS, type PinBackendFromCaFileArgs } from './custom-messages';
import { isLintedText, readCertificateFile, readLintedFile, readLintedFileSync, walkWorkspaceFiles } from './workspace-files';

export interface ServerOptions {
  /** The folder holding tree-sitter.wasm, tree-sitter-terraform.wasm and tree-sitter-bicep.wasm. */
  wasmDir: string;
}

/** The findings a pin resolves (DESIGN §3); it is the preferred fix of APIM001 and APIM003. */
const PIN_RULES = new Set(['APIM001', 'APIM002', 'APIM003']);

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function startServer(connection: Connection, options: ServerOptions): void {
  let workspace: Workspace | undefined;
  let rootDir: string | undefined;
  let progressSupported = false;
  let lensRefreshSupported = false;
  const open = new Map<string, TextDocument>();
  /** Findings last published, per path, for code actions. */
  const lastFindings = new Map<string, Finding[]>();
  const pending = new Set<string>();
  let lintAllPending = false;
  let scheduled = false;

  const guard =
    <A extends unknown[], R>(what: string, fn: (...args: A) => R) =>
    (...args: A): R | undefined => {
      try {
        return fn(...args);
      } catch (e) {
        connection.console.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return undefined;
      }
    };

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    rootDir = folder && folder.startsWith('file:') ? toPath(folder) : undefined;
    progressSupported = !!params.capabilities.window?.workDoneProgress;
    lensRefreshSupported = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    workspace = new Workspace(await loadTerraformParser(options.wasmDir));
    // Without the Bicep grammar the server still lints Terraform and ARM templates.
    await loadBicepParser(options.wasmDir).then(
      (parser) => workspace!.setBicepParser(parser),
      (e) => connection.console.error(`Loading the Bicep parser failed; .bicep files are not linted: ${e instanceof Error ? e.message : String(e)}`),
    );
    readConfig();
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [...SERVER_COMMANDS] },
      },
      serverInfo: { name: 'apim-tls-lint', version: packageVersion() },
    };
  });

  connection.onInitialized(() => {
    indexWorkspace().catch((e) => connection.console.error(`Indexing the workspace failed: ${String(e)}`));
  });

  /**
   * Reads every linted file below the root so findings show in files that are not open (a .tfvars, a parameters
   * file). JSON that is neither an ARM template nor a parameters file is left out after reading its head.
   */
  async function indexWorkspace(): Promise<void> {
    if (!rootDir || !workspace) return;
    const progress = progressSupported ? await connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('APIM TLS Lint', 0, 'Indexing Terraform, ARM and Bicep files', false);
    try {
      const found = await walkWorkspaceFiles(rootDir, (p) => workspace!.isIgnored(p));
      for (const file of found.certificates) loadCertificates(file);
      const files = found.linted;
      let done = 0;
      for (const file of files) {
        if (!open.has(file)) {
          const text = await readLintedFile(file);
          // The editor may have opened the file while it was being read: its text wins over the disk's.
          if (text !== undefined && !open.has(file)) workspace.setFile(file, text);
        }
        if (++done % 200 === 0) progress?.report(Math.round((done / files.length) * 100), `${done}/${files.length} files`);
      }
    } finally {
      progress?.done();
    }
    scheduleLintAll();
  }

  function readConfig(): void {
    if (!rootDir || !workspace) return;
    const file = path.join(rootDir, CONFIG_FILE_NAME).replace(/\\/g, '/');
    const text = open.get(file)?.getText() ?? readTextSync(file);
    if (text === undefined) {
      workspace.setConfig(defaultConfig(), rootDir);
      publishConfigProblems(file, '', []);
      return;
    }
    const { config, problems } = parseConfig(text, RULE_IDS);
    workspace.setConfig(config, rootDir);
    publishConfigProblems(file, text, problems);
  }

  function publishConfigProblems(file: string, text: string, problems: ConfigProblem[]): void {
    const index = new LineIndex(text);
    void connection.sendDiagnostics({
      uri: toUri(file),
      diagnostics: problems.map((p) => ({
        range: { start: index.positionAt(p.start), end: index.positionAt(p.end) },
        severity: DiagnosticSeverity.Error,
        source: SOURCE,
        message: p.message,
      })),
    });
  }

  connection.onDidOpenTextDocument(
    guard('didOpen', ({ textDocument }) => {
      const file = toPath(textDocument.uri);
      const doc = TextDocument.create(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
      open.set(file, doc);
      if (isConfigPath(file)) return onConfigChanged();
      if (!workspace || !isLintedFile(file)) return;
      // Unrelated JSON (package.json, settings) is never linted; the index may have read the disk text before.
      if (!isLintedText(file, doc.getText())) return dropFile(file);
      // The first diagnostics must not wait for the whole workspace: read this file's own module now.
      readSiblingsSync(file);
      workspace.openFile(file, doc.getText());
      schedule(file);
    }),
  );

  connection.onDidChangeTextDocument(
    guard('didChange', ({ textDocument, contentChanges }) => {
      const file = toPath(textDocument.uri);
      const doc = open.get(file);
      if (!doc) return;
      const changes = [];
      let current = doc;
      for (const change of contentChanges) {
        if ('range' in change) {
          const start = current.offsetAt(change.range.start);
          const end = current.offsetAt(change.range.end);
          changes.push({ start, end, text: change.text });
        } else {
          changes.push({ start: 0, end: current.getText().length, text: change.text });
        }
        current = TextDocument.update(current, [change], textDocument.version);
      }
      open.set(file, current);
      if (isConfigPath(file)) return onConfigChanged();
      if (!workspace || !isLintedFile(file)) return;
      // A JSON document becomes a template, or stops being one, when its $schema is typed or removed.
      if (!isLintedText(file, current.getText())) return dropFile(file);
      if (!workspace.has(file)) {
        readSiblingsSync(file);
        workspace.openFile(file, current.getText());
      } else workspace.editFile(file, changes);
      schedule(file);
    }),
  );

  connection.onDidCloseTextDocument(
    guard('didClose', ({ textDocument }) => {
      const file = toPath(textDocument.uri);
      open.delete(file);
      if (isConfigPath(file)) return onConfigChanged();
      if (!workspace || !isLintedFile(file)) return;
      workspace.closeFile(file);
      const disk = readLintedFileSync(file);
      if (disk === undefined) return dropFile(file);
      workspace.setFile(file, disk);
      schedule(file);
    }),
  );

  connection.onDidChangeWatchedFiles(
    guard('didChangeWatchedFiles', ({ changes }) => {
      for (const change of changes) {
        const file = toPath(change.uri);
        if (isConfigPath(file)) {
          onConfigChanged();
          continue;
        }
        if (workspace && isCertificateFile(file)) {
          // Any pin in any module may name this certificate, so everything is linted again.
          if (change.type === FileChangeType.Deleted) workspace.setCertificates(file, []);
          else loadCertificates(file);
          scheduleLintAll();
          continue;
        }
        if (!workspace || !isLintedFile(file) || open.has(file)) continue;
        const text = change.type === FileChangeType.Deleted ? undefined : readLintedFileSync(file);
        if (text === undefined) {
          dropFile(file);
          continue;
        }
        if (workspace.isIgnored(file)) continue;
        workspace.setFile(file, text);
        schedule(file);
      }
    }),
  );

  connection.onCodeAction(guard('codeAction', (params: CodeActionParams) => codeActions(params)));

  connection.onExecuteCommand((params) =>
    executeCommand(
      { connection, workspace: () => workspace, rootDir: () => rootDir, textOf: (file) => open.get(file)?.getText() ?? workspace?.textOf(file), uriOf, toPath },
      params,
    ),
  );

  connection.onHover(
    guard('hover', ({ textDocument, position }) => {
      const file = toPath(textDocument.uri);
      const text = open.get(file)?.getText();
      return workspace && text !== undefined && workspace.has(file) ? trustHover(workspace, file, text, position) : null;
    }),
  );

  connection.onCodeLens(
    guard('codeLens', ({ textDocument }) => {
      const file = toPath(textDocument.uri);
      const text = open.get(file)?.getText();
      return workspace && text !== undefined && workspace.has(file) ? trustLenses(workspace, file, text) : [];
    }),
  );

  /** Reads a workspace certificate file; refused files (a private key, say) contribute nothing and are not logged. */
  function loadCertificates(file: string): void {
    if (!workspace || workspace.isIgnored(file)) return;
    const bytes = readCertificateFile(file);
    const result = bytes ? readCertificates(bytes, file) : undefined;
    workspace.setCertificates(file, result?.ok ? result.certificates : []);
  }

  connection.onShutdown(() => {
    for (const file of open.keys()) workspace?.closeFile(file);
  });

  /**
   * Forgets a file that is gone or is no longer linted (JSON whose $schema is not a template's). A Terraform file's
   * module is found from its folder; what an ARM or Bicep file fed (parameter values, a module) is not, so
   * everything is linted again.
   */
  function dropFile(file: string): void {
    if (!workspace) return;
    const had = workspace.has(file);
    workspace.removeFile(file);
    clearDiagnostics(file);
    if (had && formatOf(file) === 'terraform') schedule(file);
    else if (had) scheduleLintAll();
  }

  function onConfigChanged(): void {
    const before = JSON.stringify(workspace?.getConfig().ignore);
    readConfig();
    // Files that were ignored until now have never been read: walk the workspace again.
    if (JSON.stringify(workspace?.getConfig().ignore) !== before) {
      indexWorkspace().catch((e) => connection.console.error(`Indexing the workspace failed: ${String(e)}`));
    } else scheduleLintAll();
  }

  function schedule(file: string): void {
    pending.add(file);
    kick();
  }

  function scheduleLintAll(): void {
    lintAllPending = true;
    kick();
  }

  // Changes that arrive together are linted once, against the latest text.
  function kick(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(guard('lint', runLint));
  }

  function runLint(): void {
    scheduled = false;
    if (!workspace) return;
    const all = lintAllPending;
    const paths = [...pending];
    lintAllPending = false;
    pending.clear();
    let result: LintResult;
    try {
      result = all ? workspace.lint() : workspace.lint(paths);
    } catch (e) {
      // Diagnostics must belong to the latest version: replace the stale ones instead of leaving them up.
      connection.console.error(`lint failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      for (const file of new Set([...paths, ...(all ? open.keys() : [])])) if (workspace.has(file)) publishFailure(file);
      return;
    }
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) {
      const list = byFile.get(f.file) ?? [];
      list.push(f);
      byFile.set(f.file, list);
    }
    const covered = new Set(result.files);
    for (const p of paths) if (!covered.has(p) && !workspace.has(p)) clearDiagnostics(p);
    if (all) for (const p of lastFindings.keys()) if (!covered.has(p)) clearDiagnostics(p);
    for (const p of paths) if (!covered.has(p) && workspace.isIgnored(p)) clearDiagnostics(p);
    for (const file of covered) publish(file, byFile.get(file) ?? []);
    // A change in one file (an overlay, a tfvars value) can change the lens of a backend in another.
    if (lensRefreshSupported) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  function publish(file: string, findings: Finding[]): void {
    const doc = open.get(file);
    const text = doc?.getText() ?? workspace?.textOf(file) ?? '';
    const index = new LineIndex(text);
    lastFindings.set(file, findings);
    void connection.sendDiagnostics({ uri: doc?.uri ?? toUri(file), version: doc?.version, diagnostics: findings.map((f) => toDiagnostic(f, index)) });
  }

  function publishFailure(file: string): void {
    const doc = open.get(file);
    lastFindings.set(file, []);
    const message = 'apim-tls-lint could not analyse this file: an internal error occurred (see the APIM TLS Lint output).';
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    void connection.sendDiagnostics({
      uri: doc?.uri ?? toUri(file),
      version: doc?.version,
      diagnostics: [{ range, severity: DiagnosticSeverity.Information, source: SOURCE, code: 'internal-error', message }],
    });
  }

  function clearDiagnostics(file: string): void {
    if (!lastFindings.has(file)) return;
    lastFindings.delete(file);
    void connection.sendDiagnostics({ uri: open.get(file)?.uri ?? toUri(file), diagnostics: [] });
  }

  function toDiagnostic(f: Finding, index: LineIndex): Diagnostic {
    const isRule = RULE_IDS.includes(f.ruleId);
    const diagnostic: Diagnostic = {
      range: { start: index.positionAt(f.start), end: index.positionAt(f.end) },
      severity: SEVERITY[f.severity],
      source: SOURCE,
      code: f.ruleId,
      message: f.message,
    };
    if (isRule) diagnostic.codeDescription = { href: docsUrl(f.ruleId) };
    else if (DIRECTIVE_CODES.has(f.ruleId)) diagnostic.codeDescription = { href: docsPageUrl('suppression') };
    if (f.unnecessary) diagnostic.tags = [DiagnosticTag.Unnecessary];
    if (f.related.length) {
      diagnostic.relatedInformation = f.related.map((r) => ({
        location: { uri: uriOf(r.file), range: rangeIn(r.file, r.start, r.end) },
        message: r.message,
      }));
    }
    return diagnostic;
  }

  function codeActions(params: CodeActionParams): CodeAction[] {
    const file = toPath(params.textDocument.uri);
    const doc = open.get(file);
    const text = doc?.getText() ?? workspace?.textOf(file);
    if (text === undefined) return [];
    const index = new LineIndex(text);
    const start = index.offsetAt(params.range.start);
    const end = index.offsetAt(params.range.end);
    const actions: RankedAction[] = [];
    const pins = new Map<string, CodeAction>();
    const explained = new Set<string>();
    for (const f of lastFindings.get(file) ?? []) {
      if (f.end < start || f.start > end) continue;
      const diagnostic = toDiagnostic(f, index);
      if (PIN_RULES.has(f.ruleId)) addPinAction(pins, f, diagnostic, file, doc?.uri ?? uriOf(file));
      for (const fix of f.fixes) {
        const changes: Record<string, LspTextEdit[]> = {};
        for (const e of fix.edits) {
          (changes[uriOf(e.file)] ??= []).push({ range: rangeIn(e.file, e.start, e.end), newText: e.newText });
        }
        const edit: WorkspaceEdit = { changes };
        const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.isPreferred, edit };
        actions.push({ action, role: fix.kind === 'suppress' ? 'suppress' : 'fix' });
      }
      if (RULE_IDS.includes(f.ruleId) && !explained.has(f.ruleId)) {
        explained.add(f.ruleId);
        actions.push(explainAction(f.ruleId, diagnostic));
      }
    }
    for (const action of pins.values()) actions.push({ action, role: 'fix' });
    // The preferred fix first, suppressions last, on every rule.
    return orderActions(actions);
  }

  /**
   * The pin needs a certificate file, which only the client can ask for: the action runs the client command. One
   * action per backend, however many of its findings the range covers.
   */
  function addPinAction(pins: Map<string, CodeAction>, f: Finding, diagnostic: Diagnostic, file: string, uri: string): void {
    const backend = workspace?.backendsIn(file).find((b) => b.block.start <= f.start && f.end <= b.block.end);
    const key = backend?.name ?? `${f.start}`;
    const existing = pins.get(key);
    const preferred = f.ruleId !== 'APIM002';
    if (existing) {
      existing.diagnostics!.push(diagnostic);
      existing.isPreferred ||= preferred;
      return;
    }
    const args: PinBackendFromCaFileArgs = { uri, position: diagnostic.range.start };
    pins.set(key, {
      title: 'Pin issuing CA from certificate file…',
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: preferred,
      command: { title: 'Pin issuing CA from certificate file…', command: PIN_BACKEND_FROM_CA_FILE, arguments: [args] },
    });
  }

  function rangeIn(file: string, start: number, end: number) {
    const text = open.get(file)?.getText() ?? workspace?.textOf(file) ?? '';
    const index = new LineIndex(text);
    return { start: index.positionAt(start), end: index.positionAt(end) };
  }

  function uriOf(file: string): string {
    return open.get(file)?.uri ?? toUri(file);
  }

  function readSiblingsSync(file: string): void {
    if (!workspace || !file.startsWith('/')) return;
    const dir = path.dirname(file);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    // A Terraform module is its folder; a template's parameters file, a .bicepparam or a Bicep module sits beside it.
    const family = (p: string) => (formatOf(p) === 'terraform' ? 'terraform' : formatOf(p) ? 'arm-bicep' : undefined);
    const wanted = family(file);
    for (const name of names) {
      const sibling = `${dir}/${name}`;
      if (sibling === file || open.has(sibling) || workspace.has(sibling) || family(sibling) !== wanted || workspace.isIgnored(sibling)) continue;
      const text = readLintedFileSync(sibling);
      if (text !== undefined) workspace.setFile(sibling, text);
    }
  }

  function isConfigPath(file: string): boolean {
    return !!rootDir && file === `${rootDir}/${CONFIG_FILE_NAME}`;
  }

  connection.listen();
}

function toPath(uri: string): string {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath.replace(/\\/g, '/') : uri;
}

function toUri(file: string): string {
  return file.startsWith('/') ? URI.file(file).toString() : file;
}

function readTextSync(file: string): string | undefined {
  try {
    // Editors drop a byte-order mark from the document text; so must we, or every column on line 1 is off by one.
    return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}
