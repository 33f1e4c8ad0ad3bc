// "Check live" in VS Code: the code lens and the palette run the server command `apimTls.checkBackendLive`; this
// middleware wraps it with what only an editor can do: fill in the cursor's position, ask before connecting in an
// untrusted workspace, show progress, ask which for_each instance, and show the verdict in a panel whose "Pin what
// it presents" link runs the client command PIN_BACKEND_FROM_LIVE for the backend checked.
import * as vscode from 'vscode';
import type { ExecuteCommandSignature } from 'vscode-languageclient/node';
import {
  CHECK_BACKEND_LIVE,
  PIN_BACKEND_FROM_LIVE,
  type CheckBackendLiveArgs,
  type CheckBackendLiveResult,
  type PinBackendFromLiveArgs,
} from '../../server/src/custom-messages';
import type { LiveReport } from '../../server/src/core/live/report';
import { renderLiveCheck } from './live-check-view';

/** The panel last shown, for the editor tests and anyone reading the extension's API. */
export interface LiveCheckView {
  title: string;
  html: string;
  report: LiveReport;
}

let panel: vscode.WebviewPanel | undefined;
let lastView: LiveCheckView | undefined;

export function lastLiveCheckView(): LiveCheckView | undefined {
  return lastView;
}

/** The client middleware's `executeCommand`: every other server command passes through untouched. */
export function liveCheckMiddleware(command: string, args: unknown[], next: ExecuteCommandSignature): vscode.ProviderResult<unknown> {
  if (command !== CHECK_BACKEND_LIVE) return next(command, args);
  return checkLive(args[0] as Partial<CheckBackendLiveArgs> | undefined, (a) => Promise.resolve(next(command, [a]) as Thenable<CheckBackendLiveResult>));
}

/** Resolves to the server's answer (the tests read it), or undefined when the user cancelled or nothing could run. */
async function checkLive(
  given: Partial<CheckBackendLiveArgs> | undefined,
  run: (args: CheckBackendLiveArgs) => Promise<CheckBackendLiveResult>,
): Promise<CheckBackendLiveResult | undefined> {
  const editor = vscode.window.activeTextEditor;
  const uri = given?.uri ?? editor?.document.uri.toString();
  const position = given?.position ?? (editor && { line: editor.selection.active.line, character: editor.selection.active.character });
  if (!uri || !position) {
    void vscode.window.showErrorMessage('Place the cursor in an API Management backend to check it live.');
    return undefined;
  }
  // Linting runs untrusted because it executes nothing; a connection to a host the workspace names needs consent.
  if (!vscode.workspace.isTrusted) {
    const go = await vscode.window.showWarningMessage(
      'This workspace is not trusted. Check live connects from this machine to the host its backend URL names (a TLS handshake, nothing sent after it). Connect?',
      { modal: true },
      'Connect',
    );
    if (go !== 'Connect') return undefined;
  }
  let args: CheckBackendLiveArgs = { ...given, uri, position };
  let result = await withProgress(args, run);
  if ('choices' in result) {
    const picked = await vscode.window.showQuickPick(result.choices, { title: 'Check which instance live?' });
    if (!picked) return result;
    args = { ...args, backend: picked };
    result = await withProgress(args, run);
  }
  if ('error' in result) {
    void vscode.window.showErrorMessage(result.error);
    return result;
  }
  if ('verdict' in result) show(result, { uri, position: args.position, backend: result.backend });
  return result;
}

function withProgress(args: CheckBackendLiveArgs, run: (args: CheckBackendLiveArgs) => Promise<CheckBackendLiveResult>): Promise<CheckBackendLiveResult> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'APIM TLS: checking the backend live…' }, () => run(args)),
  );
}

function show(report: LiveReport, pinArgs: PinBackendFromLiveArgs): void {
  const title = `Live check: ${shortName(report.backend)}`;
  if (!panel) {
    panel = vscode.window.createWebviewPanel(
      'apimTls.liveCheck',
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      // No script: the one action is a command link, and only the pin command may be run from the page.
      { enableScripts: false, enableCommandUris: [PIN_BACKEND_FROM_LIVE] },
    );
    panel.onDidDispose(() => (panel = undefined));
  }
  // A command URI carries its arguments as a JSON array in the query.
  const pinLink = report.suggestedPin ? `command:${PIN_BACKEND_FROM_LIVE}?${encodeURIComponent(JSON.stringify([pinArgs]))}` : undefined;
  const html = renderLiveCheck(report, panel.webview.cspSource, { pinLink });
  panel.title = title;
  panel.webview.html = html;
  panel.reveal(vscode.ViewColumn.Beside, true);
  lastView = { title, html, report };
}

/** `azurerm_api_management_backend.orders["eu"]` → `orders["eu"]`; a URL stays as it is. */
function shortName(backend: string): string {
  return /^[a-z_]+\.(.+)$/i.exec(backend)?.[1] ?? backend;
}
