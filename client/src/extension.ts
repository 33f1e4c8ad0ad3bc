// The thin VS Code client: starts the language server (dist/server.js) and stops it again. All analysis lives in
// the server; the client only wires VS Code to it.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { openQuestion, type OpenQuestion } from './ask';
import { BackendsView } from './backends-view';
import { lastInventoryReport, showInventory, type InventoryReportView } from './inventory-report';
import { registerCommands } from './commands';
import { lastLiveCheckView, liveCheckMiddleware, type LiveCheckView } from './live-check';
import { ServerStatus } from './status';

/** What `activate` returns; the editor tests reach the running client through it. */
export interface ApimTlsApi {
  /** The running client, or undefined while the server is stopped or disabled. */
  readonly client: LanguageClient | undefined;
  restartServer(): Promise<void>;
  /** The live check panel last shown (its title, page and verdict). */
  readonly liveCheckView: LiveCheckView | undefined;
  /** The question a command shows (a quick pick), as the user sees it; undefined when none is open. */
  openQuestion(): OpenQuestion | undefined;
  /** The APIM Backends view. */
  readonly backendsView: BackendsView;
  /** The inventory report last shown by apimTls.showInventory. */
  readonly inventoryReport: InventoryReportView | undefined;
}

/** The client id: VS Code reads `apimTls.trace.server` for a client named so. */
const CLIENT_ID = 'apimTls';
const CLIENT_NAME = 'APIM TLS Lint';

let client: LanguageClient | undefined;
// Starts and stops run one after another, so toggling `apimTls.enable` quickly never leaves two servers running.
let queue: Promise<void> = Promise.resolve();

export async function activate(context: vscode.ExtensionContext): Promise<ApimTlsApi> {
  const output = vscode.window.createOutputChannel(CLIENT_NAME);
  const status = new ServerStatus();
  const backendsView = new BackendsView();
  // One watcher for the extension's lifetime, shared by every client a restart creates.
  const watcher = vscode.workspace.createFileSystemWatcher(
    '**/{*.tf,*.tofu,*.tfvars,*.bicep,*.bicepparam,*.json,*.jsonc,.apim-tls-lint.json,*.cer,*.crt,*.pem,*.der,*.p7b}',
  );
  context.subscriptions.push(output, status, backendsView, watcher);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'terraform' },
      { scheme: 'untitled', language: 'terraform' },
      // Other extensions give these files their own language ids (terraform-vars, opentofu).
      { scheme: 'file', pattern: '**/*.tfvars' },
      { scheme: 'file', pattern: '**/*.tofu' },
      // The server reports problems in its own configuration file on that file.
      { scheme: 'file', pattern: '**/.apim-tls-lint.json' },
      // Microsoft's Bicep extension uses the same language id; .bicepparam is its own language there.
      { scheme: 'file', language: 'bicep' },
      { scheme: 'file', pattern: '**/*.bicepparam' },
      // Every JSON file is sent, whatever the language mode; the server lints only ARM templates and parameters files.
      { scheme: 'file', language: 'json' },
      { scheme: 'file', language: 'jsonc' },
      { scheme: 'file', language: 'arm-template' },
    ],
    synchronize: { fileEvents: watcher },
    outputChannel: output,
    // The live check's lens and palette command are the server's; the editor adds consent, progress and the panel.
    middleware: { executeCommand: liveCheckMiddleware },
  };

  const enabled = () => vscode.workspace.getConfiguration('apimTls').get<boolean>('enable', true);
  const start = async () => {
    if (client || !enabled()) return;
    const next = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    client = next;
    status.attach(next);
    backendsView.attach(next);
    try {
      await next.start();
    } catch (e) {
      client = undefined;
      await next.dispose().catch(() => undefined);
      throw e;
    }
  };
  const stop = async () => {
    const current = client;
    client = undefined;
    status.attach(undefined);
    backendsView.attach(undefined);
    // A server that crashed for good cannot be stopped cleanly; disposing it is all that is left to do.
    if (current) await current.dispose().catch((e) => output.appendLine(`Stopping the server failed: ${String(e)}`));
  };
  const restartServer = () =>
    serialize(async () => {
      await stop();
      await start();
    });

  context.subscriptions.push(
    vscode.commands.registerCommand('apimTls.restartServer', restartServer),
    vscode.commands.registerCommand('apimTls.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('apimTls.showInventory', () => showInventory(() => client)),
    ...registerCommands(() => client, context.extensionUri),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('apimTls.enable')) void serialize(() => (enabled() ? start() : stop())).catch(() => undefined);
    }),
  );

  await serialize(start).catch((e) => output.appendLine(`Starting the server failed: ${String(e)}`));
  return {
    get client() {
      return client;
    },
    restartServer,
    get liveCheckView() {
      return lastLiveCheckView();
    },
    openQuestion,
    backendsView,
    get inventoryReport() {
      return lastInventoryReport();
    },
  };
}

export function deactivate(): Promise<void> {
  return serialize(async () => {
    const current = client;
    client = undefined;
    await current?.dispose();
  });
}

function serialize(step: () => Promise<void>): Promise<void> {
  const run = queue.then(step);
  queue = run.catch(() => undefined);
  return run;
}
