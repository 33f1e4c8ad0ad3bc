// "APIM TLS: Show Inventory Report": the server's HTML inventory (the same file `apim-tls-lint inventory --format
// html` writes) in a webview. The page has no script and asks for nothing; its filters are CSS.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { INVENTORY_REQUEST, type InventoryParams, type InventoryResult } from '../../server/src/custom-messages';

export interface InventoryReportView {
  title: string;
  html: string;
}

let panel: vscode.WebviewPanel | undefined;
let last: InventoryReportView | undefined;

export function lastInventoryReport(): InventoryReportView | undefined {
  return last;
}

export async function showInventory(getClient: () => LanguageClient | undefined): Promise<InventoryReportView | undefined> {
  const client = getClient();
  if (!client?.isRunning()) {
    void vscode.window.showErrorMessage('The APIM TLS Lint language server is not running (see the apimTls.enable setting).');
    return undefined;
  }
  const result = await client.sendRequest<InventoryResult>(INVENTORY_REQUEST, { html: true } satisfies InventoryParams);
  const title = `APIM Backends: ${result.totals.pinned} of ${result.totals.backends} pinned`;
  if (!panel) {
    panel = vscode.window.createWebviewPanel('apimTls.inventory', title, vscode.ViewColumn.Active, { enableScripts: false, enableFindWidget: true });
    panel.onDidDispose(() => (panel = undefined));
  }
  panel.title = title;
  panel.webview.html = result.html ?? '';
  panel.reveal();
  last = { title, html: result.html ?? '' };
  return last;
}
