// The language server: LSP wiring only, all analysis is in ./core. startServer composes the parts, each in a file of
// its own (as rust-analyzer's main loop and handlers, or vscode-eslint's server, are split): document sync, lint
// scheduling, publication of diagnostics, indexing and watching the workspace folder, and the editor features.
import { CodeActionKind, TextDocumentSyncKind, type Connection, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import { bicepFormat } from './core/bicep/format';
import { builtinFormats } from './core/builtin-formats';
import { loadBicepParser } from './core/parse/bicep-parser';
import { loadTerraformParser } from './core/parse/terraform-parser';
import { Workspace } from './core/workspace';
import { INVENTORY_CHANGED, SERVER_COMMANDS } from './custom-messages';
import { DiagnosticsPublisher } from './diagnostics';
import { registerDocumentSync } from './document-sync';
import { OpenDocuments, toPath } from './documents';
import { registerFeatures } from './features';
import { WorkspaceIndex } from './indexing';
import { LintScheduler } from './lint-scheduler';
import { packageVersion } from './package-info';
import type { ServerState } from './server-state';

export interface ServerOptions {
  /** The folder holding tree-sitter.wasm, tree-sitter-terraform.wasm and tree-sitter-bicep.wasm. */
  wasmDir: string;
  /** The version the server reports; the package's by default. */
  version?: string;
}

export const SERVER_NAME = 'apim-tls-lint';

export function startServer(connection: Connection, options: ServerOptions): void {
  const version = options.version ?? packageVersion();
  const documents = new OpenDocuments();
  const publisher = new DiagnosticsPublisher(connection, documents, (file) => state.workspace?.textOf(file));
  const scheduler = new LintScheduler(
    connection,
    () => state.workspace,
    documents,
    publisher,
    () => state.lensRefresh,
    () => void connection.sendNotification(INVENTORY_CHANGED).catch(() => undefined),
  );
  const state: ServerState = { connection, documents, publisher, scheduler, progress: false, lensRefresh: false };
  const index = new WorkspaceIndex(state);

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    const began = performance.now();
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    state.rootDir = folder && folder.startsWith('file:') ? toPath(folder) : undefined;
    state.progress = !!params.capabilities.window?.workDoneProgress;
    state.lensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    const workspace = new Workspace(builtinFormats(await loadTerraformParser(options.wasmDir)));
    // Without the Bicep grammar the server still lints Terraform and ARM templates.
    await loadBicepParser(options.wasmDir).then(
      (parser) => workspace.addFormat(bicepFormat(parser)),
      (e) => connection.console.error(`Loading the Bicep parser failed; .bicep files are not linted: ${e instanceof Error ? e.message : String(e)}`),
    );
    state.workspace = workspace;
    connection.console.info(
      `${SERVER_NAME} ${version} started on Node ${process.version} in ${Math.round(performance.now() - began)} ms; ` +
        `formats: ${workspace
          .formats()
          .map((f) => f.displayName)
          .join(', ')}; workspace: ${state.rootDir ?? '(none)'}.`,
    );
    index.readConfig();
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [...SERVER_COMMANDS] },
      },
      serverInfo: { name: SERVER_NAME, version },
    };
  });

  connection.onInitialized(() => {
    index.index().catch((e) => connection.console.error(`Indexing the workspace failed: ${String(e)}`));
  });

  registerDocumentSync(connection, state, index);
  connection.onDidChangeWatchedFiles((params) => {
    try {
      index.onWatchedFiles(params.changes);
    } catch (e) {
      connection.console.error(`didChangeWatchedFiles failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  });
  registerFeatures(connection, state);

  connection.onShutdown(() => {
    scheduler.dispose();
    for (const file of documents.files()) state.workspace?.closeFile(file);
  });

  connection.listen();
}
